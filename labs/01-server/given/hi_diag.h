/*
 * hi_diag: what went wrong while reading, kept for main to report.
 *
 * Library code never prints. A reader that meets a missing, truncated or
 * malformed file records it here and carries on with the rest of the report:
 * each entry is a struct vmlab_err (vmlab_err.h: the negative errno and a
 * short phrase, what was expected or what failed) with the file's path and
 * the line when one applies. main prints each entry as
 * "hostinfo: warning: FILE:LINE: WHAT" and picks the exit code from the
 * entries' codes.
 */
#ifndef HI_DIAG_H
#define HI_DIAG_H

#include "vmlab_err.h"

#define HI_DIAG_MAX 32

struct hi_diag {
	struct vmlab_err err; /* code: negative errno; msg: what was expected
			       * or what failed; name: NULL */
	unsigned line;      /* 1-based line in the file, 0 when none applies */
	char file[256];     /* full path, root included */
};

struct hi_diags {
	unsigned n;         /* entries used */
	unsigned dropped;   /* entries past HI_DIAG_MAX, counted only */
	int nomem;          /* 1 once an -ENOMEM was added, kept or dropped */
	struct hi_diag d[HI_DIAG_MAX];
};

/*
 * Records one problem with root/rel: err (a negative errno) and the message
 * what, a printf format, go into the entry's struct vmlab_err. ds may be
 * NULL: then nothing is kept.
 */
void hi_diag_add(struct hi_diags *ds, int err, const char *root,
		 const char *rel, unsigned line, const char *what, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * err, recorded first when it is -ENOMEM. For the optional files a reader
 * may pass over when they are missing: running out of memory while reading
 * one is never passed over (main then exits 4, not 0).
 */
int hi_diag_nomem(struct hi_diags *ds, const char *root, const char *rel, int err);

#endif /* HI_DIAG_H */
