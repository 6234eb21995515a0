/*
 * lv_deps.c: a program's shared libraries, as ldd(1) reports them
 * (see lv_deps.h).
 */
#define _GNU_SOURCE
#include "lv_deps.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* One line of ldd output: the library's path, or NULL when there is none. */
static int parse_line(char *line, struct lv_strs *out, struct vmlab_err *err)
{
	char *arrow = strstr(line, "=> "), *path, *end;

	path = arrow ? arrow + 3 : line + strspn(line, " \t");
	if (strncmp(path, "not found", 9) == 0) {
		*arrow = '\0';
		line += strspn(line, " \t");
		return vmlab_fail_named(err, -ENOENT, "ldd", "%.*s",
					(int)strcspn(line, " \t"), line);
	}
	/* "libX.so => (0x...)" and "linux-vdso.so.1 (0x...)": nothing on disk. */
	if (path[0] != '/')
		return 0;
	end = path + strcspn(path, " \t(");
	*end = '\0';
	return lv_strs_add_unique(out, path);
}

int lv_deps_parse_ldd(const char *text, struct lv_strs *out, struct vmlab_err *err)
{
	char *copy = strdup(text), *save = NULL;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	for (char *l = strtok_r(copy, "\n", &save); l && !rc; l = strtok_r(NULL, "\n", &save))
		rc = parse_line(l, out, err);
	free(copy);
	return rc;
}

int lv_deps_is_elf(const char *path)
{
	unsigned char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, magic, sizeof(magic));
	close(fd);
	return n == 4 && memcmp(magic, "\177ELF", 4) == 0;
}

/* Appends "tag value\n" to the key being built (open_memstream). */
static void key_add(FILE *f, const char *tag, const char *value)
{
	fprintf(f, "%s %s\n", tag, value ? value : "?");
}

/* The dynamic section's entries that choose libraries, in file order. */
static void key_dynamic(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh,
			const char *path, FILE *f)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
	int origin = 0;

	for (size_t i = 0; d && i < n; i++) {
		GElf_Dyn dyn;
		const char *v;

		if (!gelf_getdyn(d, (int)i, &dyn))
			break;
		if (dyn.d_tag != DT_NEEDED && dyn.d_tag != DT_RPATH &&
		    dyn.d_tag != DT_RUNPATH)
			continue;
		v = elf_strptr(e, sh->sh_link, dyn.d_un.d_val);
		key_add(f, dyn.d_tag == DT_NEEDED ? "needed" :
			   dyn.d_tag == DT_RPATH ? "rpath" : "runpath", v);
		origin |= v && strstr(v, "ORIGIN") != NULL;
	}
	if (origin) {           /* $ORIGIN: the file's own folder counts */
		char copy[PATH_MAX];

		snprintf(copy, sizeof(copy), "%s", path);
		key_add(f, "origin", dirname(copy));
	}
}

int lv_deps_key(const char *path, char **key)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0, dynamic = 0;
	GElf_Ehdr eh;
	char *text = NULL;
	size_t len = 0, nph = 0;
	Elf *e = NULL;
	FILE *f = NULL;

	*key = NULL;
	if (fd < 0)
		return -errno;
	if (elf_version(EV_CURRENT) == EV_NONE ||
	    !(e = elf_begin(fd, ELF_C_READ, NULL)) || elf_kind(e) != ELF_K_ELF ||
	    !gelf_getehdr(e, &eh) || elf_getphdrnum(e, &nph) != 0)
		rc = -EINVAL;
	if (!rc && !(f = open_memstream(&text, &len)))
		rc = -ENOMEM;
	if (!rc)
		fprintf(f, "class %d machine %d\n", gelf_getclass(e), (int)eh.e_machine);
	for (size_t i = 0; !rc && i < nph; i++) {
		GElf_Phdr ph;
		size_t size = 0;
		char *raw;

		if (!gelf_getphdr(e, (int)i, &ph))
			continue;
		dynamic |= ph.p_type == PT_DYNAMIC;
		if (ph.p_type != PT_INTERP)
			continue;
		raw = elf_rawfile(e, &size);
		dynamic = 1;
		if (raw && ph.p_offset < size && ph.p_filesz <= size - ph.p_offset)
			fprintf(f, "interp %.*s\n", (int)ph.p_filesz, raw + ph.p_offset);
		else
			rc = -EINVAL;
	}
	for (Elf_Scn *scn = NULL; !rc && dynamic && (scn = elf_nextscn(e, scn));) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_DYNAMIC)
			key_dynamic(e, scn, &sh, path, f);
	}
	if (f && fclose(f) != 0 && !rc)
		rc = -ENOMEM;
	if (e)
		elf_end(e);
	close(fd);
	if (!rc && dynamic)
		*key = text;
	else
		free(text);
	return rc;
}

/* Reads fd to its end into a NUL-terminated malloc'd buffer. */
static char *read_all(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *grown;
	ssize_t n;

	while (buf && (n = read(fd, buf + len, cap - len - 1)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
		if (cap - len - 1 == 0) {
			grown = realloc(buf, cap *= 2);
			if (!grown)
				free(buf);
			buf = grown;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

static pid_t spawn_ldd(const char *path, int *out)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(p[1], 1);
		dup2(null, 2);
		execlp("ldd", "ldd", path, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0)
		close(p[0]);
	*out = p[0];
	return pid;
}

int lv_deps_of(const char *path, struct lv_strs *out, struct vmlab_err *err)
{
	int fd, status, rc;
	char *text;
	pid_t pid = spawn_ldd(path, &fd);

	if (pid < 0)
		return -errno;
	text = read_all(fd);
	close(fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!text)
		return -ENOMEM;
	/* ldd exits 1 for a static program ("not a dynamic executable"). */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		rc = vmlab_fail_named(err, -ENOENT, "ldd", "ldd");
	else
		rc = WIFEXITED(status) && WEXITSTATUS(status) == 0
			     ? lv_deps_parse_ldd(text, out, err) : 0;
	free(text);
	return rc;
}
