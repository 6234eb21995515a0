/*
 * Tests of the report: sections, the text of a fixture machine, and the
 * JSON document (parsed back with json-c).
 */
#include "hi_host.h"
#include "hi_json.h"
#include "hi_report.h"

#include "graded.h"
#include "hi_diag.h"
#include "fixture.h"

#include <errno.h>
#include <json-c/json.h>
#include <string.h>

GRADED(report, sections, 0, "01.8 command line", 5)
{
	unsigned mask;
	struct vmlab_err err;

	cr_expect_eq(hi_sections_parse("cpu,mem", &mask, &err), 0);
	cr_expect_eq(mask, HI_SEC_CPU | HI_SEC_MEM);
	cr_expect_eq(hi_sections_parse("cpu,disk,mem", &mask, &err), -EINVAL);
	cr_expect_eq(err.code, -EINVAL);
	cr_expect_str_eq(err.msg, "unknown section 'disk' "
			 "(known: os,cpu,mem,storage,net,virt,util)");
	cr_expect_eq(hi_sections_parse("cpu,", &mask, &err), -EINVAL);
	cr_expect_str_eq(err.msg, "unknown section '' "
			 "(known: os,cpu,mem,storage,net,virt,util)");
	cr_expect_eq(hi_sections_parse("disk", &mask, NULL), -EINVAL);
}

GRADED(report, units, 0, "01.8 command line", 5)
{
	char b[32];

	hi_fmt_bytes(100, b, sizeof(b));
	cr_expect_str_eq(b, "100 B");
	hi_fmt_bytes(1536, b, sizeof(b));
	cr_expect_str_eq(b, "1.5 KiB");
	hi_fmt_bytes(32768, b, sizeof(b));
	cr_expect_str_eq(b, "32 KiB");
	hi_fmt_duration(8734512, b, sizeof(b));
	cr_expect_str_eq(b, "101 d 2 h");
}

/* Reads a fixture machine whole. */
static struct hi_host *host(const char *name, struct hi_diags *ds)
{
	static struct hi_host h;

	hi_host_read(fixture(name), HI_SEC_ALL & ~HI_SEC_UTIL, 0, &h, ds);
	return &h;
}

GRADED(report, text_of_xeon, 2, "01.8 command line", 5)
{
	struct hi_diags ds = {0};
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	cr_assert_eq(hi_report_text(f, host("xeon-2s", &ds)), 0);
	fclose(f);
	cr_expect_eq(ds.n, 0);
	cr_expect(strstr(text, "  Topology          2 sockets x 18 cores x 2 "
			       "threads (from sysfs)\n"),
		  "%s", text);
	cr_expect(strstr(text, "  Total             377.6 GiB\n"));
	cr_expect(strstr(text, "  Hardware virt.    yes: Intel VT-x (vmx)\n"));
	cr_expect(strstr(text, "  => This server is a physical machine;"));
	free(text);
}

GRADED(report, json_same_facts, 2, "01.8 command line", 5)
{
	struct hi_diags ds = {0};
	struct json_object *o = hi_json_host(host("storage-server", &ds), &ds);
	struct json_object *back, *cpu, *x;

	cr_assert(o);
	back = json_tokener_parse(json_object_to_json_string(o));
	cr_assert(back, "the document parses back");
	cr_assert(json_object_object_get_ex(back, "cpu", &cpu));
	cr_assert(json_object_object_get_ex(cpu, "logical_cpus", &x));
	cr_expect_eq(json_object_get_int(x), 32);
	cr_assert(json_object_object_get_ex(cpu, "threads_per_core", &x));
	cr_expect_eq(json_object_get_int(x), 2);
	cr_assert(json_object_object_get_ex(back, "memory", &x));
	cr_assert(json_object_object_get_ex(x, "swap_total_bytes", &x));
	cr_expect_eq(json_object_get_uint64(x), 16777212ull * 1024);
	cr_assert(json_object_object_get_ex(back, "warnings", &x));
	cr_expect_eq(json_object_array_length(x), 0);
	json_object_put(back);
	json_object_put(o);
}

GRADED(report, broken_tree_still_reports, 2, "01.8 command line", 5)
{
	struct hi_diags ds = {0};
	struct hi_host *h = host("broken", &ds);

	cr_expect_eq(ds.n, 4, "meminfo, cpuinfo, loadavg, a cache size");
	cr_expect_eq(h->cpu.online, 2,
		     "the CPU count survives a broken cpuinfo");
	cr_expect_eq(h->cpu.topo.cores_per_socket, 2);
	cr_expect(!(h->ok & HI_SEC_MEM));
	cr_expect_str_eq(h->os.distro, "Debian GNU/Linux 12 (bookworm)");
}

/* main exits 4 on -ENOMEM: a full list must not lose that fact. */
GRADED(report, nomem_kept_when_the_list_is_full, 0, "01.8 command line", 5)
{
	static struct hi_diags ds;

	for (unsigned i = 0; i < HI_DIAG_MAX; i++)
		hi_diag_add(&ds, -EINVAL, "/", "proc/meminfo", i + 1, "bad line");
	cr_expect_eq(ds.nomem, 0);
	hi_diag_add(&ds, -ENOMEM, "/", "proc/cpuinfo", 0, "out of memory");
	cr_expect_eq(ds.n, HI_DIAG_MAX);
	cr_expect_eq(ds.dropped, 1);
	cr_expect_eq(ds.nomem, 1, "an -ENOMEM past the last entry is still known");
	cr_expect_eq(ds.d[0].err.code, -EINVAL);
	cr_expect_str_eq(ds.d[0].err.msg, "bad line");
}

GRADED(report, many_cpus_summed_up, 0, "01.8 command line", 5)
{
	static struct hi_host h;
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	h.root = "/";
	h.live = 1;
	h.sections = h.ok = HI_SEC_UTIL;
	h.sample = (struct hi_sample){ .seconds = 1, .cpus = 10, .ncpu = 10,
				       .busy = 0.5 };
	for (unsigned i = 0; i < 10; i++)
		h.sample.cpu_busy[i] = 0.5;
	h.sample.cpu_busy[8] = 0.2;
	h.sample.cpu_busy[9] = 0.9;
	cr_assert_eq(hi_report_text(f, &h), 0);
	fclose(f);
	cr_expect(strstr(text, "  cpu7               50.0% busy\n"), "%s", text);
	cr_expect(strstr(text, "  ...               2 more CPUs, from 20.0% to "
			       "90.0% busy\n"),
		  "%s", text);
	free(text);
}
