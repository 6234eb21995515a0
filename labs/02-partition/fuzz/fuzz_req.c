/*
 * fuzz_req: a request file (text or JSON) into part_reqs_parse, then the
 * planner on what was accepted (lab 02).
 *
 * The input may end with "\n--\n" and a host spec ("cpus=..,mem=..") for
 * part_host_parse. Checked: a refused file leaves the list as it was
 * (empty) with a message; an accepted one holds only valid, unique names;
 * the planner then places every request or says why not.
 */
#include "fuzz_input.h"
#include "part_plan.h"

static void plan(const struct part_reqs *rs)
{
	struct part_opts o;
	struct part_plan pl;
	struct vmlab_err err;

	memset(&o, 0, sizeof(o));
	o.host.cpus = 16;
	o.host.mem = 64ULL << 30;
	o.host.disk = 1ULL << 40;
	o.ratio_milli = 2000;
	o.policy = PART_FIRST_FIT;
	memset(&pl, 0, sizeof(pl));
	part_plan_make(&pl, &o, rs, &err);
	part_plan_free(&pl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char *spec = fuzz_split(text);
	struct part_reqs rs = { 0 };
	struct vmlab_err err = {0};
	struct part_host h = { 0 };

	if (part_reqs_parse(&rs, text, &err) != 0) {
		FUZZ_ASSERT(rs.n == 0 && err.msg[0]);
	} else {
		for (size_t i = 0; i < rs.n; i++)
			FUZZ_ASSERT(part_name_ok(rs.v[i].name));
		FUZZ_ASSERT(part_reqs_check_unique(&rs, &err) == 0);
		if (rs.n <= 1000)
			plan(&rs);
	}
	part_reqs_free(&rs);
	if (spec)
		part_host_parse(spec, &h, &err);
	free(text);
	return 0;
}
