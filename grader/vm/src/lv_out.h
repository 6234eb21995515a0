/*
 * lv_out.h: bringing COMMAND's /out folder back to the host.
 *
 * The guest sends /out as a newc cpio archive over ttyS3, which QEMU writes
 * into a file; this module unpacks that file into the --out folder.
 */
#ifndef LV_OUT_H
#define LV_OUT_H

#include "vmlab_err.h"

/*
 * Unpacks the cpio archive at archive into dir (created if missing). Paths
 * that are absolute, hold "..", or pass through a symlink are refused, so
 * the guest cannot write outside dir. An empty file unpacks to nothing.
 * Returns the number of entries written, or -errno with, in err (NULL: only
 * the code), the offending path as err->msg (empty for -ENOMEM).
 */
int lv_out_extract(const char *archive, const char *dir, struct vmlab_err *err);

#endif
