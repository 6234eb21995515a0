/*
 * lv_snap.h: the saved machine (a booted labvm, ready for a run).
 *
 * A snapshot file holds a 4096-byte header, then QEMU's migration stream
 * of a machine whose /init waits for its run (guest/init.c, mode "wait"):
 *   labvm-snapshot 1\n  key KEY\n  size N\n  sum HEX\n   (then zeros)
 * sum is lv_snap_hash() of the N bytes after the header, checked before
 * every restore, so a damaged file is never fed to QEMU. KEY (16 hex
 * digits) names the file: it hashes QEMU's command line and, for every file
 * the machine is made of (QEMU, firmware, kernel, modules, busybox, the
 * guest init, labvm itself), its device, inode, size and modification time.
 * Any change gives a new key, hence no snapshot: a stale one is never used.
 */
#ifndef LV_SNAP_H
#define LV_SNAP_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab_err.h"

#define LV_SNAP_HEADER 4096

/* A 64-bit hash of n bytes (not cryptographic: it finds damage, not tampering). */
uint64_t lv_snap_hash(const void *p, size_t n);

/*
 * The key of argv (the save boot's QEMU command line) and files (paths,
 * n of them). Writes 16 hex digits and a NUL into key. Returns 0, or
 * -errno of a file that cannot be looked at, with, in err (NULL: only the
 * code), the name "stat" and that file's path as err->msg.
 */
int lv_snap_key(char *const *argv, const char *const *files, size_t n, char key[17],
		struct vmlab_err *err);

/*
 * Opens the snapshot at path for a restore: checks its header against key
 * and its content against sum. Returns an fd positioned at the stream (not
 * close-on-exec: QEMU inherits it), or -ENOENT (none), -EBADMSG (damaged or
 * another key's), or another -errno.
 */
int lv_snap_open(const char *path, const char *key);

/* Creates path (mode 0644) holding only a blank header. Returns 0 or -errno. */
int lv_snap_begin(const char *path);

/*
 * Writes the header of the snapshot at tmp (QEMU appended its stream) and
 * renames it to path. Returns 0, -EBADMSG (no stream), or -errno.
 */
int lv_snap_seal(const char *tmp, const char *path, const char *key);

#endif
