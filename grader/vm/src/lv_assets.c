/*
 * lv_assets.c: checking labvm's asset cache against its MANIFEST
 * (see lv_assets.h and assets.sh, which writes it).
 */
#include "lv_assets.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

const char *const lv_modules[LV_N_MODULES] = { "irqbypass", "kvm", "kvm-amd", "kvm-intel",
						       "overlay" };

static int join(char *buf, const char *dir, const char *name)
{
	if ((size_t)snprintf(buf, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* Checks one "file NAME SIZE" line of the MANIFEST. */
static int check_file(struct lv_assets *a, const char *name, long long size)
{
	char path[PATH_MAX];
	struct stat st;
	int rc = join(path, a->dir, name);

	if (rc)
		return rc;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != size) {
		snprintf(a->bad, sizeof(a->bad), "%s", path);
		return -EBADMSG;
	}
	return 0;
}

/* The files labvm boots with must exist even if the MANIFEST forgot them. */
static int require_file(struct lv_assets *a, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(a->bad, sizeof(a->bad), "%s", path);
		return -EBADMSG;
	}
	return 0;
}

static int fill_paths(struct lv_assets *a, int have_vmlinux)
{
	/* The unpacked ELF kernel boots faster (PVH entry); vmlinuz always works. */
	int rc = join(a->kernel, a->dir, have_vmlinux ? "vmlinux" : "vmlinuz");

	rc = rc ? rc : join(a->bzimage, a->dir, "vmlinuz");
	rc = rc ? rc : join(a->busybox, a->dir, "busybox");
	rc = rc ? rc : join(a->applets, a->dir, "applets");
	for (int i = 0; i < LV_N_MODULES && !rc; i++) {
		char name[64];
		snprintf(name, sizeof(name), "modules/%s.ko", lv_modules[i]);
		rc = join(a->module[i], a->dir, name);
	}
	return rc;
}

int lv_assets_open(const char *dir, struct lv_assets *a)
{
	char path[PATH_MAX], line[PATH_MAX + 64], name[PATH_MAX];
	long long size;
	int rc, have_vmlinux = 0;
	FILE *f;

	memset(a, 0, sizeof(*a));
	if ((size_t)snprintf(a->dir, sizeof(a->dir), "%s", dir) >= sizeof(a->dir) ||
	    (rc = join(path, dir, "MANIFEST")) != 0)
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	rc = 0;
	while (!rc && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "file %4095s %lld", name, &size) == 2) {
			rc = check_file(a, name, size);
			have_vmlinux |= strcmp(name, "vmlinux") == 0;
		} else {
			sscanf(line, "kernel %63s", a->abi);
		}
	}
	fclose(f);
	rc = rc ? rc : fill_paths(a, have_vmlinux);
	rc = rc ? rc : require_file(a, a->kernel);
	rc = rc ? rc : require_file(a, a->busybox);
	for (int i = 0; i < LV_N_MODULES && !rc; i++)
		rc = require_file(a, a->module[i]);
	return rc;
}
