/*
 * test_lv_snap.c: the saved machine's file and key (lv_snap.c).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lv_snap.h"

static char dir[] = "/tmp/test_lv_snap.XXXXXX";
static char file[PATH_MAX], tmp[PATH_MAX], snap[PATH_MAX];

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/input", dir);
	snprintf(tmp, sizeof(tmp), "%s/.tmp", dir);
	snprintf(snap, sizeof(snap), "%s/k.snap", dir);
}

static void teardown(void)
{
	unlink(file);
	unlink(tmp);
	unlink(snap);
	rmdir(dir);
}

static void put(const char *path, const char *text, int append)
{
	FILE *f = fopen(path, append ? "a" : "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static void key_of(char key[17])
{
	char *argv[] = { "qemu", "-m", "1024M", NULL };
	const char *files[] = { file };
	cr_assert_eq(lv_snap_key(argv, files, 1, key, NULL), 0);
}

TestSuite(lv_snap, .init = setup, .fini = teardown);

Test(lv_snap, key_changes_with_a_touched_input)
{
	char a[17], b[17], c[17];
	struct timespec t[2] = { { 0, UTIME_OMIT }, { 12345, 0 } };

	put(file, "x", 0);
	key_of(a);
	key_of(b);
	cr_assert_str_eq(a, b);
	cr_assert_eq(utimensat(AT_FDCWD, file, t, 0), 0);
	key_of(c);
	cr_assert_str_neq(a, c);
}

Test(lv_snap, key_fails_on_a_missing_input)
{
	char *argv[] = { "qemu", NULL };
	const char *files[] = { "/nonexistent/qemu" };
	char key[17];
	struct vmlab_err e;

	cr_assert_eq(lv_snap_key(argv, files, 1, key, &e), -ENOENT);
	cr_assert_eq(e.code, -ENOENT);
	cr_assert_str_eq(e.name, "stat");
	cr_assert_str_eq(e.msg, "/nonexistent/qemu");
}

Test(lv_snap, sealed_opens_at_the_stream)
{
	char buf[16] = "";
	int fd;

	cr_assert_eq(lv_snap_open(snap, "k"), -ENOENT);
	cr_assert_eq(lv_snap_begin(tmp), 0);
	put(tmp, "QEVM stream", 1);
	cr_assert_eq(lv_snap_seal(tmp, snap, "0123456789abcdef"), 0);
	cr_assert_eq(access(tmp, F_OK), -1);
	fd = lv_snap_open(snap, "0123456789abcdef");
	cr_assert_geq(fd, 0);
	cr_assert_eq(read(fd, buf, sizeof(buf) - 1), 11);
	cr_assert_str_eq(buf, "QEVM stream");
	close(fd);
	cr_assert_eq(lv_snap_open(snap, "fedcba9876543210"), -EBADMSG, "another key's");
}

Test(lv_snap, damage_is_found)
{
	int fd;

	cr_assert_eq(lv_snap_begin(tmp), 0);
	put(tmp, "QEVM stream", 1);
	cr_assert_eq(lv_snap_seal(tmp, snap, "0123456789abcdef"), 0);
	fd = open(snap, O_WRONLY);
	cr_assert_eq(pwrite(fd, "X", 1, LV_SNAP_HEADER + 3), 1);
	close(fd);
	cr_assert_eq(lv_snap_open(snap, "0123456789abcdef"), -EBADMSG);
	put(snap, "truncated", 0);
	cr_assert_eq(lv_snap_open(snap, "0123456789abcdef"), -EBADMSG);
}

Test(lv_snap, an_empty_stream_is_not_sealed)
{
	cr_assert_eq(lv_snap_begin(tmp), 0);
	cr_assert_eq(lv_snap_seal(tmp, snap, "0123456789abcdef"), -EBADMSG);
	cr_assert_eq(access(snap, F_OK), -1);
}
