/*
 * test_lv_initrd.c: the initramfs labvm writes (lv_initrd.c), read back
 * with libarchive as the kernel would unpack it.
 */
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lv_initrd.h"
#include "lv_strs.h"

static char dir[] = "/tmp/test_lv_initrd.XXXXXX";
static char path[256], tree[256];
static struct lv_assets assets;

static void put(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	cr_assert_not_null(f, "%s", name);
	fputs(text, f);
	fclose(f);
}

/* Stand-in assets, and an --in folder holding a file, a subfolder and a symlink. */
static void setup(void)
{
	char p[PATH_MAX];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(assets.busybox, PATH_MAX, "%s/busybox", dir);
	snprintf(assets.applets, PATH_MAX, "%s/applets", dir);
	put(assets.busybox, "BB");
	put(assets.applets, "sh\nls\n");
	for (int i = 0; i < LV_N_MODULES; i++) {
		snprintf(assets.module[i], PATH_MAX, "%s/%s.ko", dir, lv_modules[i]);
		put(assets.module[i], "KO");
	}
	snprintf(path, sizeof(path), "%s/initrd", dir);
	snprintf(tree, sizeof(tree), "%s/in", dir);
	mkdir(tree, 0755);
	snprintf(p, sizeof(p), "%s/sub", tree);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sub/data.txt", tree);
	put(p, "hello\n");
	snprintf(p, sizeof(p), "%s/link", tree);
	cr_assert_eq(symlink("sub/data.txt", p), 0);
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(lv_initrd, .init = setup, .fini = teardown);

/* The archive's entries in order; the content of one entry into data. */
static void read_back(struct lv_strs *names, const char *want, char *data, size_t len)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;

	archive_read_support_format_cpio(a);
	cr_assert_eq(archive_read_open_filename(a, path, 4096), ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		lv_strs_add(names, archive_entry_pathname(e));
		if (want && strcmp(archive_entry_pathname(e), want) == 0) {
			ssize_t n = archive_read_data(a, data, len - 1);
			data[n > 0 ? n : 0] = '\0';
		}
	}
	archive_read_free(a);
}

static size_t index_of(const struct lv_strs *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return i;
	cr_assert_fail("no entry %s in the archive", s);
	return 0;
}

static int write_initrd(char *const *cmd, const char *const *in, size_t n_in,
			struct vmlab_err *err)
{
	struct lv_initrd s = {
		.assets = &assets, .init = LV_BUILD "/init", .mode = "run", .cmd = cmd,
		.cwd = "/work/lab", .stdio = "pp", .term = "dumb", .in = in, .n_in = n_in,
	};
	return lv_initrd_write(path, &s, err);
}

Test(lv_initrd, holds_init_busybox_modules_and_command)
{
	char *cmd[] = { "echo", "a b", NULL }, argv[64];
	struct vmlab_err e = { 0 };
	struct lv_strs names = { 0 };

	cr_assert_eq(write_initrd(cmd, NULL, 0, &e), 0, "%s", e.msg);
	read_back(&names, "labvm/argv", argv, sizeof(argv));
	index_of(&names, "init");
	index_of(&names, "dev/console");
	index_of(&names, "bin/busybox");
	index_of(&names, "bin/sh");
	index_of(&names, "lib/modules/kvm-amd.ko");
	cr_assert(index_of(&names, "work") < index_of(&names, "work/lab"),
		  "a folder must come before what it holds");
	cr_assert_eq(memcmp(argv, "echo\0a b\0", 9), 0, "argv is NUL-separated");
	lv_strs_free(&names);
}

Test(lv_initrd, in_folder_lands_at_its_host_path)
{
	const char *in[] = { tree };
	char want[PATH_MAX], data[64];
	struct vmlab_err e = { 0 };
	char *cmd[] = { "true", NULL };
	struct lv_strs names = { 0 };

	cr_assert_eq(write_initrd(cmd, in, 1, &e), 0, "%s", e.msg);
	snprintf(want, sizeof(want), "%s/sub/data.txt", tree + 1);
	read_back(&names, want, data, sizeof(data));
	cr_assert_str_eq(data, "hello\n");
	snprintf(want, sizeof(want), "%s/link", tree + 1);
	index_of(&names, want);
	lv_strs_free(&names);
}

Test(lv_initrd, a_program_brings_its_libraries)
{
	const char *in[] = { "/bin/sh" };
	char *cmd[] = { "sh", NULL };
	struct vmlab_err e = { 0 };
	struct lv_strs names = { 0 };
	int libc = 0;

	cr_assert_eq(write_initrd(cmd, in, 1, &e), 0, "%s", e.msg);
	read_back(&names, NULL, NULL, 0);
	for (size_t i = 0; i < names.n; i++)
		libc |= strstr(names.v[i], "/libc.so.6") != NULL;
	cr_assert(libc, "libc.so.6 is not in the archive");
	lv_strs_free(&names);
}

Test(lv_initrd, a_missing_in_path_is_named)
{
	const char *in[] = { "/nonexistent/file" };
	char *cmd[] = { "true", NULL };
	struct vmlab_err e;

	cr_assert_eq(write_initrd(cmd, in, 1, &e), -ENOENT);
	cr_assert_eq(e.code, -ENOENT);
	cr_assert_str_eq(e.msg, "/nonexistent/file");
}

/* A full disk, injected: every write to /dev/full fails with ENOSPC. */
Test(lv_initrd, full_disk_is_reported)
{
	struct lv_initrd s = {
		.assets = &assets, .init = LV_BUILD "/init", .mode = "run",
		.cmd = (char *[]){ "true", NULL }, .cwd = "/", .stdio = "pp", .term = "dumb",
	};

	cr_assert_eq(lv_initrd_write("/dev/full", &s, NULL), -ENOSPC);
}
