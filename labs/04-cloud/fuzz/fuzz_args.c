/*
 * fuzz_args: a command line into `cloud` (lab 04), against a real SQLite
 * state file. The input is the arguments, separated by NUL bytes; each run
 * gets `cloud --db W ARGS...` through cli_caught() (cli_main.c), which
 * brings an early exit back here as the exit code, so one process runs
 * them all.
 *
 * W is a fresh copy of one database (three running instances, the clock
 * an hour on) for every input. Checked:
 *   - no crash, no leak, no undefined behaviour (ASan, UBSan, LSan);
 *   - an exit code that `cloud --help` documents (0 to 9), and a failure
 *     is never silent: it says "cloud: ..." on stderr;
 *   - a refused command leaves the rows exactly as they were. The one
 *     documented exception: `run --boot` with no vmm records the
 *     instances and then fails, saying so.
 * What the fuzzer may not do: name another database or a fleet file
 * (arguments starting --db or --fl are dropped: W is the only file it
 * touches), boot a VM ($CLOUD_VMM points nowhere, so --boot stops before
 * any fork), or ask `simulate` for more than a few thousand hosts or
 * requests (slow by design, not a bug: such inputs are skipped).
 *
 * The program's command layer is not in the lab's library that mk/fuzz.mk
 * links, so its three files are compiled into this target.
 */
#include "../given/cli_main.c"
#include "../given/cli_cmds.c"
#include "../given/cli_vm.c"

#include "fuzz_input.h"

#include <sqlite3.h>
#include <unistd.h>

#define MAX_ARGS 24

static char dir[] = "/tmp/fuzz-args-XXXXXX";
static char work[64];
static char *template_bytes, *template_rows;
static size_t template_len;

/* Every row of every table, as text: what "unchanged" compares. (A table
 * made on first use, such as cloud_vm's, holds no row until one is put.) */
static char *rows(const char *path)
{
	sqlite3 *sq;
	sqlite3_stmt *st, *t;
	char *buf = NULL, sql[128];
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	FUZZ_ASSERT(out && sqlite3_open_v2(path, &sq, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	FUZZ_ASSERT(sqlite3_prepare_v2(sq, "SELECT name FROM sqlite_master WHERE type = 'table'"
				       " ORDER BY name", -1, &t, NULL) == SQLITE_OK);
	while (sqlite3_step(t) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(t, 0);
		snprintf(sql, sizeof(sql), "SELECT '%s', * FROM \"%s\" ORDER BY 2", table, table);
		FUZZ_ASSERT(sqlite3_prepare_v2(sq, sql, -1, &st, NULL) == SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				const unsigned char *v = sqlite3_column_text(st, c);
				fprintf(out, "%s%c", v ? (const char *)v : "NULL",
					c + 1 < sqlite3_column_count(st) ? '|' : '\n');
			}
		sqlite3_finalize(st);
	}
	sqlite3_finalize(t);
	sqlite3_close(sq);
	fclose(out);
	return buf;
}

/* Runs `cloud --db work ARGS`, its output and messages into err. */
static int run(int argc, char **args, char **err)
{
	char *argv[MAX_ARGS + 4] = {"cloud", "--db", work};
	FILE *out = stdout, *msg = stderr, *null = fopen("/dev/null", "w");
	size_t len;
	int rc;

	for (int i = 0; i < argc; i++)
		argv[3 + i] = args[i];
	FUZZ_ASSERT(null);
	stdout = null;
	stderr = open_memstream(err, &len);
	FUZZ_ASSERT(stderr);
	rc = cli_caught(argc + 3, argv);
	fclose(stderr);
	fclose(null);
	stdout = out;
	stderr = msg;
	return rc;
}

static void fresh(void)
{
	char p[96];
	FILE *f;

	snprintf(p, sizeof(p), "%s-wal", work);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", work);
	unlink(p);
	f = fopen(work, "wb");
	FUZZ_ASSERT(f && fwrite(template_bytes, 1, template_len, f) == template_len);
	fclose(f);
}

static void cleanup(void)
{
	char p[96];

	for (const char *sfx = ""; sfx; sfx = *sfx ? (sfx[1] == 'w' ? "-shm" : NULL) : "-wal") {
		snprintf(p, sizeof(p), "%s%s", work, sfx);
		unlink(p);
	}
	rmdir(dir);
}

/* The database every input starts from, made by the program itself. */
static void make_template(void)
{
	char *setup[][8] = {
		{"clock", "set", "2026-01-01T00:00:00Z"},
		{"run", "--type", "m5.large", "--region", "ap-south-1", "--count", "3"},
		{"clock", "advance", "1h"},
	};
	int n[] = {3, 7, 3};
	char *err;
	FILE *f;

	FUZZ_ASSERT(mkdtemp(dir));
	snprintf(work, sizeof(work), "%s/w.db", dir);
	atexit(cleanup);
	setenv("CLOUD_VMM", "/nonexistent/vmm", 1);
	setenv("CLOUD_IMAGE", "/nonexistent/os.elf", 1);
	for (int i = 0; i < 3; i++) {
		FUZZ_ASSERT(run(n[i], setup[i], &err) == 0);
		free(err);
	}
	f = fopen(work, "rb");
	FUZZ_ASSERT(f && !fseek(f, 0, SEEK_END) && (template_len = (size_t)ftell(f)) > 0);
	rewind(f);
	template_bytes = malloc(template_len);
	FUZZ_ASSERT(template_bytes && fread(template_bytes, 1, template_len, f) == template_len);
	fclose(f);
	template_rows = rows(work);
}

/* A number above what a quick run may simulate. */
static int too_big(const char *a)
{
	const char *eq = strchr(a, '=');

	return strtol(eq ? eq + 1 : a, NULL, 10) > 2000;
}

/* Splits data on NULs into args; 0 when the input is to be skipped. */
static int split(char *s, size_t size, char **args, int *n)
{
	int simulate = 0, big = 0;

	*n = 0;
	for (char *p = s; p < s + size + 1 && *n < MAX_ARGS; p += strlen(p) + 1) {
		if (!strncmp(p, "--db", 4) || !strncmp(p, "--fl", 4))
			continue;
		simulate |= !strcmp(p, "simulate");
		big |= too_big(p);
		args[(*n)++] = p;
	}
	return !(simulate && big);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *args[MAX_ARGS], *err = NULL, *now;
	int n, rc;

	if (!template_bytes)
		make_template();
	if (!split(s, size, args, &n)) {
		free(s);
		return 0;
	}
	fresh();
	rc = run(n, args, &err);
	FUZZ_ASSERT(rc >= EXIT_OK && rc <= EXIT_CHECK);
	if (rc != EXIT_OK) {
		FUZZ_ASSERT(!strncmp(err, "cloud: ", 7));
		now = rows(work);
		FUZZ_ASSERT(!strcmp(now, template_rows) ||
			    strstr(err, "the instances are recorded, not booted"));
		free(now);
	}
	free(err);
	free(s);
	return 0;
}
