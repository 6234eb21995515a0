/*
 * hi_diag: what went wrong while reading, kept for main to report.
 *
 * Library code never prints. A reader that meets a missing, truncated or
 * malformed file records it here (the file's path, the line when one applies,
 * the error, a short phrase) and carries on with the rest of the report.
 * main prints each entry as "hostinfo: warning: FILE:LINE: WHAT" and picks
 * the exit code.
 */
#ifndef HI_DIAG_H
#define HI_DIAG_H

#define HI_DIAG_MAX 32

struct hi_diag {
	int err;            /* negative errno */
	unsigned line;      /* 1-based line in the file, 0 when none applies */
	char file[256];     /* full path, root included */
	char what[160];     /* what was expected or what failed */
};

struct hi_diags {
	unsigned n;         /* entries used */
	unsigned dropped;   /* entries past HI_DIAG_MAX, counted only */
	struct hi_diag d[HI_DIAG_MAX];
};

/*
 * Records one problem with root/rel (ds may be NULL: then nothing is kept).
 * what is a printf format.
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
