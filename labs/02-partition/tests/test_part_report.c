/*
 * test_part_report: the report's numbers (utilization before and after,
 * the text table), the JSON plan and its round trip, the dot picture.
 */
#include "graded.h"
#include "part_json.h"
#include "part_report.h"
#include "part_size.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define G PART_GIB

static struct part_reqs rs;
static struct part_plan pl;

/* The lesson's server: 100 CPUs, 100 GiB; an app of 4 CPUs and 4 GiB, 23 times. */
static void lesson(void)
{
	struct part_opts o = {.host = {100, 100 * G, 1000 * G}, .ratio_milli = 1000};
	struct vmlab_err err;

	for (int i = 0; i < 25; i++) {
		struct part_req r = {.vcpus = 4, .mem = 4 * G, .disk = 10 * G, .pids = 100};

		snprintf(r.name, sizeof(r.name), "app%d", i + 1);
		cr_assert_eq(part_reqs_add(&rs, &r, &err), 0);
	}
	o.reserve = (struct part_host){4, 4 * G, 0};
	cr_assert_eq(part_plan_make(&pl, &o, &rs, &err), 0, "%s", err.msg);
	snprintf(pl.image, sizeof(pl.image), "disk.img");
}

static void done(void)
{
	part_plan_free(&pl);
	part_reqs_free(&rs);
}

GRADED(part_report, utilization_in_the_lessons_terms, 2, "02.3 report", 5, .init = lesson, .fini = done)
{
	struct part_util b, a;

	part_util_before(&pl, &rs, &b);
	part_util_after(&pl, &a);
	cr_assert_float_eq(b.cpu, 0.04, 1e-9, "one app: 4 of 100 CPUs");
	cr_assert_float_eq(b.mem, 0.04, 1e-9);
	cr_assert_float_eq(b.disk, 0.01, 1e-9);
	cr_assert_eq(pl.nvs, 24, "the reserve keeps one app's worth");
	cr_assert_float_eq(a.cpu, 0.96, 1e-9, "24 virtual servers: 96 of 100 CPUs");
	cr_assert_float_eq(a.mem, 0.96, 1e-9);
}

static char *text_of(int (*fn)(FILE *, const struct part_plan *, const struct part_reqs *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_eq(fn(f, &pl, &rs), 0);
	fclose(f);
	return buf;
}

static int dot_adapter(FILE *f, const struct part_plan *p, const struct part_reqs *r)
{
	(void)r;
	return part_report_dot(f, p);
}

GRADED(part_report, text_table_rejections_and_utilization, 2, "02.3 report", 5, .init = lesson, .fini = done)
{
	char *t = text_of(part_report_text);

	cr_assert(strstr(t, "\napp1                 4  4-7               4 GiB     10 GiB          0 B    100\n"), "%s", t);
	cr_assert(strstr(t, "\napp24                4  96-99             4 GiB     10 GiB      230 GiB    100\n"), "%s", t);
	cr_assert(strstr(t, "disk    760 GiB, for lack of CPU\n"), "%s", t);
	cr_assert(strstr(t, "app25: needs 4 GiB memory, 0 B left after 24 servers"), "%s", t);
	cr_assert(strstr(t, "  CPU                   4%                     96%\n"), "%s", t);
	cr_assert(strstr(t, "One application: 4 of 100 CPUs = 4% used; with 24 virtual servers: 96 of 100 = 96%."), "%s", t);
	free(t);
}

GRADED(part_report, json_round_trip, 2, "02.3 report", 5, .init = lesson, .fini = done)
{
	struct json_object *j = part_json_plan(&pl, &rs);
	struct part_plan back;
	struct vmlab_err err;

	cr_assert_not_null(j);
	const char *s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
	cr_assert(strstr(s, "\"vmm_disk\":\"disk.img:10737418240:10737418240\""), "%s", s);
	cr_assert(strstr(s, "\"reason\":\"app25: needs 4 GiB memory, 0 B left after 24 servers\""));
	cr_assert_eq(part_json_read(&back, s, &err), 0, "%s", err.msg);
	cr_assert_eq(back.nvs, pl.nvs);
	cr_assert_eq(back.opts.ratio_milli, 1000);
	cr_assert_str_eq(back.image, "disk.img");
	for (size_t i = 0; i < pl.nvs; i++) {
		cr_assert_str_eq(back.vs[i].req.name, pl.vs[i].req.name);
		cr_assert_eq(back.vs[i].req.mem, pl.vs[i].req.mem);
		cr_assert_eq(back.vs[i].disk_off, pl.vs[i].disk_off);
		cr_assert_eq(back.vs[i].req.pids, 100);
		cr_assert_arr_eq(back.vs[i].cpu, pl.vs[i].cpu, 4 * sizeof(uint32_t));
	}
	part_plan_free(&back);
	json_object_put(j);
}

static void refuse(const char *text, const char *needle)
{
	struct part_plan p;
	struct vmlab_err err;

	cr_assert_eq(part_json_read(&p, text, &err), -EINVAL, "%s", text);
	cr_assert(strstr(err.msg, needle), "'%s' should say '%s'", err.msg, needle);
	part_plan_free(&p);
}

GRADED(part_report, json_read_refuses_bad_plans, 0, "02.4 enforce", 5)
{
	const char *head = "{\"host\":{\"cpus\":4,\"mem\":1000,\"disk\":0},\"reserve\":{\"cpus\":0,\"mem\":0,\"disk\":0},"
			   "\"cpu_ratio_milli\":1000,\"image_size\":0,\"image\":\"x\",\"servers\":[";
	char buf[1024];

	refuse("[1,2", "not valid JSON");
	refuse("{\"host\":{}}", "host, reserve");
	snprintf(buf, sizeof(buf), "%s{\"name\":\"a\",\"cpu_ids\":[9],\"mem\":1,\"disk\":0,\"disk_offset\":0,\"pids\":1}]}", head);
	refuse(buf, "servers[0]");
	snprintf(buf, sizeof(buf), "%s{\"name\":\"a/b\",\"cpu_ids\":[1],\"mem\":1,\"disk\":0,\"disk_offset\":0,\"pids\":1}]}", head);
	refuse(buf, "servers[0]");
	snprintf(buf, sizeof(buf), "%s{\"name\":\"a\",\"cpu_ids\":[1],\"mem\":1,\"disk\":0,\"disk_offset\":0,\"pids\":1},"
		 "{\"name\":\"a\",\"cpu_ids\":[2],\"mem\":1,\"disk\":0,\"disk_offset\":0,\"pids\":1}]}", head);
	refuse(buf, "twice");
}

/* json-c kept the last of a key given twice: "cpus": 4 then "cpus": 64. */
GRADED(part_report, json_read_refuses_keys_twice_and_nul, 0, "02.4 enforce", 5)
{
	const char *host = "{\"host\":{\"cpus\":4,\"mem\":1000,\"disk\":0},\"reserve\":{\"cpus\":0,\"mem\":0,\"disk\":0},"
			   "\"cpu_ratio_milli\":1000,\"image_size\":0,\"image\":\"x\",";
	const char *a = "{\"name\":\"a\",\"cpu_ids\":[1],\"mem\":1,\"disk\":0,\"disk_offset\":0,\"pids\":1}";
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s\"servers\":[%s],\n\"servers\":[]}", host, a);
	refuse(buf, "line 2, column 9: a key given twice in one object, near '\"servers\"': give each key once");
	snprintf(buf, sizeof(buf), "{\"host\":{\"cpus\":4,\"cpus\":64,\"mem\":1000,\"disk\":0}}");
	refuse(buf, "line 1, column 24: a key given twice");
	snprintf(buf, sizeof(buf), "%s\"servers\":[{\"name\":\"a\",\"mem\":1,\"mem\":9,\"cpu_ids\":[1]}]}", host);
	refuse(buf, "a key given twice");
	snprintf(buf, sizeof(buf), "%s\"servers\":[{\"name\":\"a\\u0000b\",\"cpu_ids\":[1]}]}", host);
	refuse(buf, "a \\u0000 (NUL) in a string");
}

GRADED(part_report, dot_lots_sized_by_share, 2, "02.3 report", 5, .init = lesson, .fini = done)
{
	char *t = text_of(dot_adapter);
	double area = 0, app = -1;
	int lots = 0;

	cr_assert(strstr(t, "digraph plot {"), "%s", t);
	for (char *p = t; (p = strstr(p, "<TD WIDTH=\"")); p++) {
		int w, h;
		char color[16];

		cr_assert_eq(sscanf(p, "<TD WIDTH=\"%d\" HEIGHT=\"%d\" FIXEDSIZE=\"TRUE\" BGCOLOR=\"%15[^\"]", &w, &h, color), 3);
		area += (double)w * h;
		lots++;
		if (strstr(p, ">app1<") && strstr(p, ">app1<") < strstr(p, "</TD>"))
			app = (double)w * h;
	}
	cr_assert_eq(lots, 25, "reserve + 24 servers, no idle land left");
	cr_assert_float_eq(area, 480.0 * 480, 480.0 * 480 * 0.03, "the lots tile the plot");
	/* app1 holds 4% of the CPU (pool 100 cores) and 4% of memory. */
	cr_assert_float_eq(app / area, 0.04, 0.006, "a lot's area is its share");
	free(t);
}
