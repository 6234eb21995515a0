/*
 * hi_numa: NUMA nodes from sysfs (hi_numa.h). Given code: the lab's
 * parsers are elsewhere; this one only lists folders and reads two files.
 */
#include "hi_numa.h"

#include "hi_diag.h"
#include "hi_file.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const nodes = "sys/devices/system/node";

/* "Node 0 MemTotal:       24683748 kB" -> *bytes (0 when not given).
 * 0, or -ENOMEM. */
static int mem_total(const char *root, unsigned id, struct hi_diags *ds,
		     uint64_t *bytes)
{
	char rel[96], *text = NULL;
	size_t len;
	uint64_t kb = 0;
	const char *p, *end;
	int rc;

	snprintf(rel, sizeof(rel), "%s/node%u/meminfo", nodes, id);
	rc = hi_file_load(root, rel, &text, &len);
	(void)hi_diag_nomem(ds, root, rel, rc);
	if (rc == 0 && (p = strstr(text, "MemTotal:")) &&
	    hi_parse_u64(p + strlen("MemTotal:"), &end, &kb) == 0 &&
	    hi_mul_u64(kb, 1024, &kb) != 0)
		kb = 0;
	free(text);
	*bytes = kb;
	return rc == -ENOMEM ? -ENOMEM : 0;
}

static int by_id(const void *a, const void *b)
{
	const struct hi_numa_node *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

int hi_numa_read(const char *root, struct hi_numa *nu, struct hi_diags *ds)
{
	char dir[4096], rel[96];
	struct dirent *e;
	DIR *d;

	memset(nu, 0, sizeof(*nu));
	if (hi_path(dir, sizeof(dir), root, nodes))
		return 0;
	if (!(d = opendir(dir)))
		return errno == ENOMEM ? -ENOMEM : 0; /* no NUMA information: unknown */
	while ((e = readdir(d))) {
		char *end;
		unsigned long id;

		if (strncmp(e->d_name, "node", 4) || !e->d_name[4])
			continue;
		id = strtoul(e->d_name + 4, &end, 10);
		if (*end || id > 1u << 20)
			continue; /* "node" followed by anything but a number */
		if (nu->n == HI_NUMA_MAX) {
			nu->more++;
			continue;
		}
		struct hi_numa_node *n = &nu->node[nu->n++];
		n->id = (unsigned)id;
		snprintf(rel, sizeof(rel), "%s/node%u/cpulist", nodes, n->id);
		if (hi_diag_nomem(ds, root, rel,
				  hi_file_line(root, rel, n->cpus, sizeof(n->cpus))) == -ENOMEM) {
			closedir(d);
			return -ENOMEM;
		}
		if (mem_total(root, n->id, ds, &n->mem_bytes) == -ENOMEM) {
			closedir(d);
			return -ENOMEM;
		}
	}
	closedir(d);
	qsort(nu->node, nu->n, sizeof(nu->node[0]), by_id);
	return 0;
}
