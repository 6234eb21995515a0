/*
 * hi_diag: what went wrong while reading, kept for main to report.
 * Entries past HI_DIAG_MAX are counted, not stored: a tree full of broken
 * files still gives a bounded report.
 */
#include "hi_diag.h"

#include "hi_file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

void hi_diag_add(struct hi_diags *ds, int err, const char *root,
		 const char *rel, unsigned line, const char *what, ...)
{
	struct hi_diag *d;
	va_list ap;

	if (!ds)
		return;
	if (err == -ENOMEM)
		ds->nomem = 1;  /* main exits 4 even when the entry is dropped */
	if (ds->n >= HI_DIAG_MAX) {
		ds->dropped++;
		return;
	}
	d = &ds->d[ds->n++];
	d->line = line;
	if (hi_path(d->file, sizeof(d->file), root, rel))
		snprintf(d->file, sizeof(d->file), "%s", rel);
	va_start(ap, what);
	vmlab_vfail(&d->err, err, NULL, what, ap);
	va_end(ap);
}

int hi_diag_nomem(struct hi_diags *ds, const char *root, const char *rel, int err)
{
	if (err == -ENOMEM)
		hi_diag_add(ds, err, root, rel, 0, "out of memory");
	return err;
}
