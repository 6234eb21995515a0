/*
 * test_lv_out.c: unpacking the /out archive (lv_out.c), including archives
 * that try to write outside --out.
 */
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lv_out.h"

static char dir[] = "/tmp/test_lv_out.XXXXXX";
static char cpio[256], out[256];

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(cpio, sizeof(cpio), "%s/out.cpio", dir);
	snprintf(out, sizeof(out), "%s/results/deep", dir);
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(lv_out, .init = setup, .fini = teardown);

/* A newc archive as busybox cpio writes it: NAME=TEXT pairs, NULL-terminated. */
static void make_cpio(const char *const *entries)
{
	struct archive *a = archive_write_new();

	archive_write_set_format_cpio_newc(a);
	cr_assert_eq(archive_write_open_filename(a, cpio), ARCHIVE_OK);
	for (; *entries; entries += 2) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, entries[0]);
		archive_entry_set_mode(e, entries[1] ? 0100644 : 040755);
		archive_entry_set_size(e, entries[1] ? (la_int64_t)strlen(entries[1]) : 0);
		archive_write_header(a, e);
		if (entries[1])
			archive_write_data(a, entries[1], strlen(entries[1]));
		archive_entry_free(e);
	}
	archive_write_free(a);
}

static void read_text(const char *name, char *buf, size_t len)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out, name);
	cr_assert_not_null(f = fopen(path, "r"), "%s", path);
	buf[fread(buf, 1, len - 1, f)] = '\0';
	fclose(f);
}

Test(lv_out, files_and_folders_arrive)
{
	const char *entries[] = { "./report.json", "{}\n", "./logs", NULL, "./logs/a.txt", "A",
				  NULL };
	struct vmlab_err e = { 0 };
	char buf[32];

	make_cpio(entries);
	cr_assert_eq(lv_out_extract(cpio, out, &e), 3, "%s", e.msg);
	read_text("report.json", buf, sizeof(buf));
	cr_assert_str_eq(buf, "{}\n");
	read_text("logs/a.txt", buf, sizeof(buf));
	cr_assert_str_eq(buf, "A");
}

Test(lv_out, dotdot_is_refused)
{
	const char *entries[] = { "../escaped", "x", NULL };
	char path[PATH_MAX + 16];

	make_cpio(entries);
	cr_assert_lt(lv_out_extract(cpio, out, NULL), 0);
	snprintf(path, sizeof(path), "%s/results/escaped", dir);
	cr_assert_neq(access(path, F_OK), 0, "a file escaped --out");
}

Test(lv_out, absolute_path_is_refused)
{
	const char *entries[] = { "/etc/labvm-test", "x", NULL };
	struct vmlab_err e;

	make_cpio(entries);
	cr_assert_eq(lv_out_extract(cpio, out, &e), -EPERM);
	cr_assert_eq(e.code, -EPERM);
	cr_assert_str_eq(e.msg, "/etc/labvm-test");
}

Test(lv_out, empty_archive_gives_an_empty_folder)
{
	FILE *f = fopen(cpio, "w");

	fclose(f);
	cr_assert_eq(lv_out_extract(cpio, out, NULL), 0);
	cr_assert_eq(access(out, F_OK), 0, "--out is created");
}
