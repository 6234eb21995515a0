/*
 * hi_report: the human report, aligned, in units people read.
 *
 *   hi_report_text(f, h)        the whole report onto a stream
 *   hi_fmt_bytes(n, buf, size)  "23.5 GiB"
 *   hi_fmt_duration(s, ...)     "3 d 4 h", "19 min"
 *
 * Writes only to the stream it is given (main passes stdout; tests pass a
 * memory stream), so the library still never prints on its own.
 */
#ifndef HI_REPORT_H
#define HI_REPORT_H

#include <stdint.h>
#include <stdio.h>

struct hi_host;

/* Binary units, one decimal: 1536 -> "1.5 KiB", 100 -> "100 B". */
void hi_fmt_bytes(uint64_t n, char *buf, size_t size);

/* A duration for humans: "45 s", "19 min", "5 h 3 min", "101 d 2 h". */
void hi_fmt_duration(double seconds, char *buf, size_t size);

/* Writes the report of the sections h holds. Returns 0, or -EIO. */
int hi_report_text(FILE *f, const struct hi_host *h);

#endif /* HI_REPORT_H */
