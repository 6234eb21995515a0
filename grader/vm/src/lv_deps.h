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
 * What decides which libraries the loader gives an ELF file, read from the
 * file itself (libelf), so that labvm asks ldd once per distinct answer
 * instead of once per file (a built lab has ~170 ELF files and a handful
 * of answers): its loader (PT_INTERP), its DT_NEEDED names in order, its
 * DT_RPATH and DT_RUNPATH, and its folder when they say $ORIGIN. Two files
 * with the same key get the same libraries. Sets *key to a malloc'd
 * string, or to NULL for a file that needs no loader (a static program,
 * an object file). Returns 0, or -errno (-EINVAL: not an ELF file libelf
 * can read; then ask ldd).
 */
int lv_deps_key(const char *path, char **key);

/*
 * Runs ldd on an ELF file and adds its libraries to out. A static program
 * adds nothing. Returns 0, or -errno: -ENOENT with err->msg naming the
 * library not found, or "ldd" when there is no ldd.
 */
int lv_deps_of(const char *path, struct lv_strs *out, struct vmlab_err *err);

#endif
