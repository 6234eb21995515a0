/*
 * hi_host: everything hostinfo knows about one machine, section by section.
 * The readers record their own problems; this module only runs them in
 * order and notes which succeeded.
 */
#include "hi_host.h"

#include "hi_diag.h"
#include "hi_file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const names[] = { "os", "cpu", "mem", "storage",
				      "net", "virt", "util" };

const char *hi_section_name(unsigned bit)
{
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (bit == 1u << i)
			return names[i];
	return NULL;
}

/* The known names, comma-separated, for a message: "os,cpu,...,util". */
static void names_list(char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]) && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "," : "",
				      names[i]);
}

int hi_sections_parse(const char *list, unsigned *mask, struct vmlab_err *err)
{
	const char *p = list;
	char known[64];

	*mask = 0;
	do {
		size_t n = strcspn(p, ",");
		unsigned i;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i]) == n && !strncmp(p, names[i], n))
				break;
		if (i == sizeof(names) / sizeof(names[0])) {
			names_list(known, sizeof(known));
			return vmlab_fail(err, -EINVAL,
					  "unknown section '%.*s' (known: %s)",
					  (int)n, p, known);
		}
		*mask |= 1u << i;
		p += n;
	} while (*p++ == ',');
	return 0;
}

/* Notes a section's result: its ok bit, or the first error of all. */
static void done(struct hi_host *h, unsigned bit, int err)
{
	if (err == 0)
		h->ok |= bit;
	else if (h->err == 0)
		h->err = err;
}

int hi_host_read(const char *root, unsigned sections, double sample_s,
		 struct hi_host *h, struct hi_diags *ds)
{
	unsigned s = sections;

	memset(h, 0, sizeof(*h));
	h->root = root;
	h->live = hi_root_is_live(root);
	h->sections = sections;
	if (s & HI_SEC_OS)
		done(h, HI_SEC_OS, hi_os_read(root, &h->os, ds));
	if (s & (HI_SEC_CPU | HI_SEC_VIRT)) /* virt needs the cpuinfo flags */
		done(h, HI_SEC_CPU, hi_cpu_read(root, &h->cpu, ds));
	if (s & HI_SEC_CPU)
		done(h, HI_SEC_CPU, hi_numa_read(root, &h->numa, ds));
	if (s & HI_SEC_MEM)
		done(h, HI_SEC_MEM, hi_mem_read(root, &h->mem, ds));
	if (s & HI_SEC_STORAGE)
		done(h, HI_SEC_STORAGE, hi_storage_read(root, &h->storage, ds));
	if (s & HI_SEC_NET)
		done(h, HI_SEC_NET, hi_net_read(root, &h->net, ds));
	if (s & HI_SEC_VIRT)
		done(h, HI_SEC_VIRT,
		     hi_virt_read(root, &h->cpu.info, &h->virt, ds));
	if ((s & HI_SEC_UTIL) && sample_s > 0)
		done(h, HI_SEC_UTIL, hi_sample(root, sample_s, &h->sample, ds));
	return h->err;
}
