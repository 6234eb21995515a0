/*
 * test_lv_assets.c: checking the asset cache against its MANIFEST (lv_assets.c).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lv_assets.h"

static char dir[] = "/tmp/test_lv_assets.XXXXXX";

static void put(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* A cache as assets.sh leaves it, with tiny stand-in files. */
static void make_cache(void)
{
	char path[512];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/modules", dir);
	mkdir(path, 0755);
	put("vmlinuz", "kernel");
	put("busybox", "bb");
	put("applets", "sh\n");
	put("modules/irqbypass.ko", "1");
	put("modules/kvm.ko", "22");
	put("modules/kvm-amd.ko", "333");
	put("modules/kvm-intel.ko", "4444");
	put("modules/overlay.ko", "55555");
	put("MANIFEST", "package busybox-static 1 sha256=00\nkernel 6.1.0-test\n"
		"file vmlinuz 6\nfile busybox 2\nfile applets 3\nfile modules/irqbypass.ko 1\n"
		"file modules/kvm.ko 2\nfile modules/kvm-amd.ko 3\nfile modules/kvm-intel.ko 4\n"
		"file modules/overlay.ko 5\n");
}

static void remove_cache(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(lv_assets, .init = make_cache, .fini = remove_cache);

Test(lv_assets, complete_cache_opens)
{
	struct lv_assets a;

	cr_assert_eq(lv_assets_open(dir, &a), 0, "bad: %s", a.bad);
	cr_assert_str_eq(a.abi, "6.1.0-test");
	cr_assert(strstr(a.kernel, "/vmlinuz"));
	cr_assert(strstr(a.module[2], "modules/kvm-amd.ko"), "%s", a.module[2]);
}

Test(lv_assets, no_manifest_means_never_fetched)
{
	struct lv_assets a;
	char path[512];

	snprintf(path, sizeof(path), "%s/MANIFEST", dir);
	unlink(path);
	cr_assert_eq(lv_assets_open(dir, &a), -ENOENT);
}

Test(lv_assets, truncated_file_is_named)
{
	struct lv_assets a;

	put("modules/kvm.ko", "2");
	cr_assert_eq(lv_assets_open(dir, &a), -EBADMSG);
	cr_assert(strstr(a.bad, "modules/kvm.ko"), "%s", a.bad);
}

Test(lv_assets, missing_file_is_named)
{
	struct lv_assets a;
	char path[512];

	snprintf(path, sizeof(path), "%s/busybox", dir);
	unlink(path);
	cr_assert_eq(lv_assets_open(dir, &a), -EBADMSG);
	cr_assert(strstr(a.bad, "busybox"), "%s", a.bad);
}

Test(lv_assets, unpacked_kernel_is_preferred_when_listed)
{
	struct lv_assets a;
	FILE *f;
	char path[512];

	cr_assert_eq(lv_assets_open(dir, &a), 0);
	cr_assert(strstr(a.kernel, "/vmlinuz"), "without vmlinux: %s", a.kernel);
	put("vmlinux", "ELF");
	snprintf(path, sizeof(path), "%s/MANIFEST", dir);
	cr_assert_not_null(f = fopen(path, "a"));
	fputs("file vmlinux 3\n", f);
	fclose(f);
	cr_assert_eq(lv_assets_open(dir, &a), 0, "bad: %s", a.bad);
	cr_assert(strstr(a.kernel, "/vmlinux"), "%s", a.kernel);
	cr_assert(strstr(a.bzimage, "/vmlinuz"), "%s", a.bzimage);
}
