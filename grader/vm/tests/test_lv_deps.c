/*
 * test_lv_deps.c: shared libraries from ldd (lv_deps.c).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>

#include "lv_deps.h"

static const char ldd_out[] =
	"\tlinux-vdso.so.1 (0x00007ffd4a3e5000)\n"
	"\tlibcriterion.so.3 => /lib/x86_64-linux-gnu/libcriterion.so.3 (0x00007f1)\n"
	"\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2)\n"
	"\t/lib64/ld-linux-x86-64.so.2 (0x00007f3)\n"
	"\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2)\n";

Test(lv_deps, parses_paths_once_and_skips_vdso)
{
	struct lv_strs l = { 0 };
	struct vmlab_err err;

	cr_assert_eq(lv_deps_parse_ldd(ldd_out, &l, &err), 0);
	cr_assert_eq(l.n, 3);
	cr_assert_str_eq(l.v[0], "/lib/x86_64-linux-gnu/libcriterion.so.3");
	cr_assert_str_eq(l.v[1], "/lib/x86_64-linux-gnu/libc.so.6");
	cr_assert_str_eq(l.v[2], "/lib64/ld-linux-x86-64.so.2");
	lv_strs_free(&l);
}

Test(lv_deps, names_a_library_not_found)
{
	struct lv_strs l = { 0 };
	struct vmlab_err err;

	cr_assert_eq(lv_deps_parse_ldd("\tlibfoo.so.1 => not found\n", &l, &err), -ENOENT);
	cr_assert_str_eq(err.msg, "libfoo.so.1");
	cr_assert_eq(err.code, -ENOENT);
	cr_assert_str_eq(err.name, "ldd");
	lv_strs_free(&l);
}

Test(lv_deps, a_dynamic_program_needs_libc_and_the_loader)
{
	struct lv_strs l = { 0 };
	struct vmlab_err err;
	int libc = 0;

	cr_assert(lv_deps_is_elf("/bin/sh"));
	cr_assert_eq(lv_deps_of("/bin/sh", &l, &err), 0);
	for (size_t i = 0; i < l.n; i++)
		libc |= strstr(l.v[i], "/libc.so.6") != NULL;
	cr_assert(libc, "no libc.so.6 among %zu libraries", l.n);
	lv_strs_free(&l);
}

Test(lv_deps, a_static_program_or_a_script_needs_nothing)
{
	struct lv_strs l = { 0 };
	struct vmlab_err err;

	cr_assert_eq(lv_deps_of(LV_BUILD "/init", &l, &err), 0);
	cr_assert_eq(l.n, 0);
	cr_assert_not(lv_deps_is_elf("assets.sh"));
}

/* ldd is asked once per key: files with one key get the same libraries. */
Test(lv_deps, one_key_per_set_of_libraries)
{
	char *sh = NULL, *sh2 = NULL, *ls = NULL, *none = (char *)"x";

	cr_assert_eq(lv_deps_key("/bin/sh", &sh), 0);
	cr_assert_not_null(sh, "a dynamic program has a key");
	cr_assert(strstr(sh, "needed libc.so.6\n"), "%s", sh);
	cr_assert(strstr(sh, "interp /lib64/ld-linux-x86-64.so.2"), "%s", sh);
	cr_assert_eq(lv_deps_key("/bin/dash", &sh2), 0);
	cr_assert_str_eq(sh, sh2);
	cr_assert_eq(lv_deps_key("/bin/ls", &ls), 0);       /* libselinux too */
	cr_assert_str_neq(sh, ls);
	cr_assert_eq(lv_deps_key(LV_BUILD "/init", &none), 0);
	cr_assert_null(none, "a static program needs no loader");
	none = (char *)"x";
	cr_assert_eq(lv_deps_key(LV_BUILD "/src/lv_deps.o", &none), 0);
	cr_assert_null(none, "an object file needs no loader");
	cr_assert_eq(lv_deps_key("assets.sh", &none), -EINVAL);
	cr_assert_eq(lv_deps_key("/no/such/file", &none), -ENOENT);
	free(sh);
	free(sh2);
	free(ls);
}
