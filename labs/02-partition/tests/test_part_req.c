/*
 * test_part_req: request files, JSON requests and host specs.
 */
#include "graded.h"
#include "part_req.h"
#include "part_size.h"

#include <errno.h>
#include <string.h>

GRADED(part_req, reads_lines_comments_and_blanks, 2, "02.1 sizes", 5)
{
	struct part_reqs rs = {0};
	struct vmlab_err err = {0};
	const char *text = "# my servers\n"
			   "\n"
			   "web cpus=4 mem=4G disk=20G   # the front end\n"
			   "db  cpus=8\tmem=16G disk=1T pids=200\n"
			   "cache cpus=1 mem=512M\n";

	cr_assert_eq(part_reqs_parse(&rs, text, &err), 0, "%s", err.msg);
	cr_assert_eq(rs.n, 3);
	cr_assert_str_eq(rs.v[0].name, "web");
	cr_assert_eq(rs.v[0].line, 3);
	cr_assert_eq(rs.v[0].vcpus, 4);
	cr_assert_eq(rs.v[0].mem, 4 * PART_GIB);
	cr_assert_eq(rs.v[0].disk, 20 * PART_GIB);
	cr_assert_eq(rs.v[0].pids, PART_PIDS_DEFAULT);
	cr_assert_eq(rs.v[1].disk, PART_TIB);
	cr_assert_eq(rs.v[1].pids, 200);
	cr_assert_eq(rs.v[2].disk, 0);
	part_reqs_free(&rs);
}

GRADED(part_req, count_names_the_copies, 1, "02.1 sizes", 5)
{
	struct part_reqs rs = {0};
	struct vmlab_err err = {0};

	cr_assert_eq(part_reqs_parse(&rs, "web cpus=1 mem=1G count=3\n", &err), 0, "%s", err.msg);
	cr_assert_eq(rs.n, 3);
	cr_assert_str_eq(rs.v[0].name, "web1");
	cr_assert_str_eq(rs.v[2].name, "web3");
	part_reqs_free(&rs);
}

static void bad(const char *text, int code, const char *needle)
{
	struct part_reqs rs = {0};
	struct vmlab_err err = {0};

	cr_assert_eq(part_reqs_parse(&rs, text, &err), code, "%s -> %s", text, err.msg);
	cr_assert(strstr(err.msg, needle), "'%s' should mention '%s'", err.msg, needle);
	cr_assert_eq(rs.n, 0, "nothing is kept from a bad file");
	part_reqs_free(&rs);
}

GRADED(part_req, errors_name_the_line_and_the_fix, 2, "02.1 sizes", 5)
{
	bad("a cpus=1 mem=1G\nb cpus=1 mem=4X\n", -EINVAL, "line 2: mem=4X has an unknown unit");
	bad("a cpus=0 mem=1G\n", -EINVAL, "cpus=0 must be at least 1");
	bad("a cpus=-2 mem=1G\n", -EINVAL, "negative");
	bad("a cpus=2 mem=0\n", -EINVAL, "more than 0");
	bad("a cpus=2 mem=-1G\n", -EINVAL, "negative");
	bad("a cpus=2\n", -EINVAL, "needs cpus=N and mem=SIZE");
	bad("a cpus=2 mem=1G colour=red\n", -EINVAL, "unknown key 'colour'");
	bad("a cpus=2 mem=1G fast\n", -EINVAL, "'fast' is not key=value");
	bad("9lives cpus=2 mem=1G\n", -EINVAL, "bad name");
	bad("a cpus=1 mem=99999999999T\n", -ERANGE, "too large");
	bad("a cpus=5000 mem=1G\n", -ERANGE, "too large");
	bad("a cpus=1 mem=1G disk=1000\n", -EINVAL, "disk=1000 is not a whole number of 512-byte sectors");
}

GRADED(part_req, duplicate_names_are_refused, 2, "02.1 sizes", 5)
{
	bad("web1 cpus=1 mem=1G\ndb cpus=1 mem=1G\nweb cpus=1 mem=1G count=2\n",
	    -EEXIST, "line 3: duplicate name 'web1' (first on line 1)");
}

GRADED(part_req, json_requests, 2, "02.1 sizes", 5)
{
	struct part_reqs rs = {0};
	struct vmlab_err err = {0};
	const char *text = "[{\"name\": \"web\", \"cpus\": 2, \"mem\": \"1.5G\", \"disk\": 1048576, \"count\": 2},"
			   " {\"name\": \"db\", \"cpus\": 4, \"mem\": 4294967296}]";

	cr_assert_eq(part_reqs_parse(&rs, text, &err), 0, "%s", err.msg);
	cr_assert_eq(rs.n, 3);
	cr_assert_str_eq(rs.v[1].name, "web2");
	cr_assert_eq(rs.v[1].mem, 3 * PART_GIB / 2);
	cr_assert_eq(rs.v[1].disk, PART_MIB);
	cr_assert_eq(rs.v[2].mem, 4 * PART_GIB);
	part_reqs_free(&rs);
	bad("{\"servers\": [{\"name\": \"a\", \"cpus\": 1, \"mem\": \"1Q\"}]}", -EINVAL,
	    "servers[0]: mem has an unknown unit");
	bad("[{\"name\": \"a\", \"cpus\": -1, \"mem\": \"1G\"}]", -EINVAL, "servers[0]: cpus must not be negative");
	bad("[{\"name\": \"a\"", -EINVAL, "not valid JSON");
	bad("{\"a\": 1}", -EINVAL, "must be a list");
}

/* json-c kept the last of a key given twice and cut a name at "\u0000". */
GRADED(part_req, json_keys_twice_and_nul_refused, 0, "02.1 sizes", 5)
{
	bad("[{\"name\": \"a\", \"cpus\": 1,\n  \"cpus\": 64, \"mem\": \"1G\"}]", -EINVAL,
	    "line 2, column 8: a key given twice in one object, near '\"cpus\"': give each key once");
	bad("{\"servers\": [{\"name\": \"a\", \"cpus\": 1, \"mem\": \"1G\"}],\n"
	    " \"servers\": [{\"name\": \"b\", \"cpus\": 9, \"mem\": \"9G\"}]}", -EINVAL,
	    "line 2, column 10: a key given twice");
	bad("[{\"name\": \"a\\u0000b\", \"cpus\": 1, \"mem\": \"1G\"}]", -EINVAL,
	    "line 1, column 20: a \\u0000 (NUL) in a string");
	bad("[{\"name\": \"a\", \"cp\\u0000us\": 1, \"mem\": \"1G\"}]", -EINVAL, "\\u0000 (NUL)");
}

GRADED(part_req, host_specs, 1, "02.1 sizes", 5)
{
	struct part_host h = {2, PART_GIB, 0};
	struct vmlab_err err = {0};

	cr_assert_eq(part_host_parse("cpus=100,mem=100G,disk=2T", &h, &err), 0, "%s", err.msg);
	cr_assert_eq(h.cpus, 100);
	cr_assert_eq(h.mem, 100 * PART_GIB);
	cr_assert_eq(h.disk, 2 * PART_TIB);
	cr_assert_eq(part_host_parse("mem=8G", &h, &err), 0, "a key left out keeps its value");
	cr_assert_eq(h.cpus, 100);
	cr_assert_eq(part_host_parse("cpus=0", &h, &err), 0, "cpus=0 is a valid reserve");
	cr_assert_eq(h.cpus, 0);
	cr_assert_eq(part_host_parse("cpus=4,ram=8G", &h, &err), -EINVAL);
	cr_assert(strstr(err.msg, "unknown key 'ram'"), "%s", err.msg);
	cr_assert_eq(h.cpus, 0, "a bad spec changes nothing");
	cr_assert_eq(part_host_parse("cpus=4,mem", &h, &err), -EINVAL);
}
