/*
 * lv_assets.h: labvm's cache of Debian files (kernel, KVM modules, busybox).
 *
 * grader/vm/assets.sh fills the cache folder (build/labvm/ at the top of the
 * repository) and writes DIR/MANIFEST last, with one line per file:
 *   file modules/kvm.ko 2378193
 * lv_assets_open() trusts a file only if it exists with exactly that size, so
 * an interrupted or partly deleted cache is reported, not booted.
 */
#ifndef LV_ASSETS_H
#define LV_ASSETS_H

#include <limits.h>
#include <stddef.h>

/* The modules /dev/kvm needs, in load order (the guest tries amd, then
 * intel), then overlay (the grader's jails mount the lab through one). */
#define LV_N_MODULES 5
extern const char *const lv_modules[LV_N_MODULES];

struct lv_assets {
	char dir[PATH_MAX];
	char kernel[PATH_MAX];     /* vmlinux (ELF, PVH entry) if cached, else vmlinuz */
	char bzimage[PATH_MAX];    /* vmlinuz, as Debian ships it */
	char busybox[PATH_MAX];    /* static busybox */
	char applets[PATH_MAX];    /* busybox's applet names, one a line */
	char module[LV_N_MODULES][PATH_MAX];
	char abi[64];              /* e.g. 6.1.0-56-cloud-amd64 */
	char bad[PATH_MAX];        /* on error: the file that is missing or wrong */
};

/*
 * Checks the cache in dir against its MANIFEST and fills a. Returns 0;
 * -ENOENT when there is no MANIFEST (never fetched); -EBADMSG when a file
 * is missing or has the wrong size (a->bad names it); -ENAMETOOLONG.
 */
int lv_assets_open(const char *dir, struct lv_assets *a);

#endif
