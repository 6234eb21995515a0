/*
 * lv_deps.h: the shared libraries a program needs, so that a binary passed
 * with --in runs inside labvm (e.g. a Criterion test needs libcriterion.so.3
 * and some twenty libraries behind it, plus the dynamic loader).
 *
 * The dynamic loader knows best where a library comes from (RUNPATH,
 * ld.so.conf, the multiarch folders), so labvm asks it, through ldd(1), and
 * reads its answer.
 */
#ifndef LV_DEPS_H
#define LV_DEPS_H

#include "lv_strs.h"
#include "vmlab_err.h"

/*
 * Parses ldd's output, adding each library's absolute path to out (once).
 * Lines "libX.so => /path (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"
 * count; "linux-vdso.so.1" (inside the kernel) does not.
 * Returns 0; -ENOENT for a "libX.so => not found" line, with err->msg
 * naming the library ("libX.so"); -ENOMEM.
 */
int lv_deps_parse_ldd(const char *text, struct lv_strs *out, struct vmlab_err *err);

/* True when the file at path starts with the ELF magic number. */
int lv_deps_is_elf(const char *path);

/*
 * Runs ldd on an ELF file and adds its libraries to out. A static program
 * adds nothing. Returns 0, or -errno: -ENOENT with err->msg naming the
 * library not found, or "ldd" when there is no ldd.
 */
int lv_deps_of(const char *path, struct lv_strs *out, struct vmlab_err *err);

#endif
