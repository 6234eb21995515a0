/*
 * test_grade_archive.c: unpacking submissions: real archives written with
 * libarchive, each unsafe form refused before anything escapes.
 */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grade_archive.h"
#include "grade_tree.h"

static char dir[] = "/tmp/test_archive.XXXXXX";
static const struct grade_archive_limits lim = {
	.max_bytes = 1 << 20, .max_entries = 100,
};

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	grade_tree_remove(dir);
}

/* Write a tar.gz at path with entries: "name" (a file holding its name),
 * "name->target" (a symlink). */
static void make_tar(const char *path, const char *const *entries)
{
	struct archive *a = archive_write_new();
	archive_write_add_filter_gzip(a);
	archive_write_set_format_pax_restricted(a);
	cr_assert_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (; *entries; entries++) {
		struct archive_entry *e = archive_entry_new();
		char name[256];
		snprintf(name, sizeof(name), "%s", *entries);
		char *arrow = strstr(name, "->");
		if (arrow) {
			*arrow = '\0';
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, arrow + 2);
		} else {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_size(e, (la_int64_t)strlen(name));
		}
		archive_entry_set_pathname(e, name);
		archive_entry_set_perm(e, 0644);
		archive_write_header(a, e);
		if (!arrow)
			archive_write_data(a, name, strlen(name));
		archive_entry_free(e);
	}
	archive_write_free(a);
}

static int unpack(const char *const *entries, struct vmlab_err *err)
{
	char tar[512], dst[512];
	snprintf(tar, sizeof(tar), "%s/s.tar.gz", dir);
	snprintf(dst, sizeof(dst), "%s/out", dir);
	make_tar(tar, entries);
	return grade_archive_unpack(tar, dst, &lim, err);
}

TestSuite(grade_archive, .init = setup, .fini = teardown);

Test(grade_archive, unpacks_a_tree_with_an_inner_symlink)
{
	const char *e[] = { "labs/01/src/a.c", "labs/01/inc->src", NULL };
	char path[512];
	struct vmlab_err err;
	cr_assert_eq(unpack(e, &err), 0, "%s", err.msg);
	snprintf(path, sizeof(path), "%s/out/labs/01/src/a.c", dir);
	cr_assert_eq(access(path, R_OK), 0);
}

Test(grade_archive, refuses_dotdot_absolute_and_escaping_links)
{
	const char *dotdot[] = { "labs/../../x", NULL };
	const char *abs[] = { "/etc/x", NULL };
	const char *link[] = { "labs/up->../../..", NULL };
	const char *rooted[] = { "labs/etc->/etc", NULL };
	const char *const *all[] = { dotdot, abs, link, rooted };
	for (size_t i = 0; i < 4; i++) {
		char out[512];
		struct vmlab_err err;
		cr_assert_eq(unpack(all[i], &err), -EPERM, "case %zu", i);
		cr_assert_eq(err.code, -EPERM);
		cr_assert_neq(err.msg[0], '\0', "case %zu says why", i);
		snprintf(out, sizeof(out), "%s/out", dir);
		grade_tree_remove(out);
	}
	cr_assert_eq(access("/tmp/x", F_OK) == 0 && 0, 0);
}

Test(grade_archive, not_an_archive_and_a_bomb)
{
	char path[512], dst[512];
	struct vmlab_err err;
	snprintf(path, sizeof(path), "%s/bogus.tar.gz", dir);
	snprintf(dst, sizeof(dst), "%s/out", dir);
	FILE *f = fopen(path, "w");
	fputs("my homework\n", f);
	fclose(f);
	cr_assert_eq(grade_archive_unpack(path, dst, &lim, &err), -EINVAL);
	cr_assert_eq(err.code, -EINVAL);
	grade_tree_remove(dst);
	const char *many[102];
	char names[101][16];
	for (int i = 0; i < 101; i++) {
		snprintf(names[i], sizeof(names[i]), "f%d", i);
		many[i] = names[i];
	}
	many[101] = NULL;
	cr_assert_eq(unpack(many, &err), -EFBIG);
	cr_assert_str_eq(err.msg, "over 1 MiB or 100 files unpacked");
}

Test(grade_archive, judges_paths_and_links)
{
	cr_assert(grade_archive_safe_path("labs/01/a.c"));
	cr_assert(grade_archive_safe_path("./labs/a..b"));
	cr_assert(!grade_archive_safe_path(""));
	cr_assert(!grade_archive_safe_path("a/../b"));
	cr_assert(!grade_archive_safe_path(".."));
	cr_assert(grade_archive_safe_link("a/b/l", "../c"));
	cr_assert(grade_archive_safe_link("a/l", "./b/../c"));
	cr_assert(!grade_archive_safe_link("a/l", "../../c"));
	cr_assert(!grade_archive_safe_link("l", ".."));
	cr_assert(!grade_archive_safe_link("a/l", "/etc"));
}

/*
 * grade --unpack (run_autograder, as root): links are left out, named,
 * never written; and the folder unpacked into must not exist, so a link
 * an earlier archive left in its place (x.unpacked -> source/grader) is
 * never written through.
 */
Test(grade_archive, unpack_command_leaves_links_out_and_never_writes_through_one)
{
	char tgz[256], dst[256], target[256], lnk[256], path[300];
	const char *const entries[] = { "inner.unpacked->/etc", "a.c", NULL };
	char *dropped = NULL;
	struct vmlab_err err;
	snprintf(tgz, sizeof(tgz), "%s/outer.tar.gz", dir);
	snprintf(dst, sizeof(dst), "%s/outer.unpacked", dir);
	make_tar(tgz, entries);
	cr_assert_eq(grade_archive_cmd(tgz, dst, &dropped, &err), 0, "%s", err.msg);
	cr_assert_str_eq(dropped, " inner.unpacked");
	free(dropped);
	snprintf(path, sizeof(path), "%s/inner.unpacked", dst);
	cr_assert_neq(access(path, F_OK), 0, "a link was unpacked");
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(lnk, sizeof(lnk), "%s/again.unpacked", dir);
	cr_assert_eq(mkdir(target, 0755), 0);
	cr_assert_eq(symlink(target, lnk), 0);
	cr_assert_eq(grade_archive_cmd(tgz, lnk, &dropped, &err), -EEXIST);
	cr_assert_null(dropped);
	cr_assert_neq(err.msg[0], '\0', "says why");
	snprintf(path, sizeof(path), "%s/a.c", target);
	cr_assert_neq(access(path, F_OK), 0, "written through a link");
}
