/*
 * test_fleet: the default fleet, the fleet file format and its errors.
 */
#include "graded.h"
#include "cloudtest.h"

#include <errno.h>

static const char *const issue_regions[] = {
	"ap-south-1", "us-east-2", "us-east-1", "us-west-2", "eu-west-1",
	"eu-central-1", "ap-southeast-1", "ap-northeast-1", "ap-southeast-2",
	"sa-east-1",
};

GRADED(fleet, default_has_ten_regions_two_zones_each, 0, "04.2 placement", 5)
{
	struct cloud_fleet f;
	struct vmlab_err err;

	cr_assert_eq(cloud_fleet_parse(cloud_fleet_default_json(), &f, &err), 0, "%s", err.msg);
	for (size_t i = 0; i < 10; i++) {
		long r = cloud_fleet_region(&f, issue_regions[i]);
		cr_assert_geq(r, 0, "region %s", issue_regions[i]);
		cr_assert_geq(f.regions[r].nzones, 2, "%s zones", issue_regions[i]);
		for (size_t z = 0; z < f.regions[r].nzones; z++)
			cr_assert_gt(f.zones[f.regions[r].zone0 + z].nhosts, 0);
	}
	cr_assert_geq(cloud_fleet_type(&f, "t3.nano"), 0);
	cr_assert_geq(cloud_fleet_type(&f, "m5.2xlarge"), 0);
	/* Prices differ by region: m5.large $0.096 in Ohio, x1.05 in Mumbai. */
	long t = cloud_fleet_type(&f, "m5.large");
	cr_assert_eq(cloud_fleet_price(&f, t, cloud_fleet_region(&f, "us-east-2")), 96000);
	cr_assert_eq(cloud_fleet_price(&f, t, cloud_fleet_region(&f, "ap-south-1")), 100800);
	cloud_fleet_free(&f);
}

GRADED(fleet, embedded_matches_the_file, 0, "04.2 placement", 5)
{
	char *file = slurp(fleet_file("default"));

	cr_assert_str_eq(cloud_fleet_default_json(), file,
			 "regenerate given/cloud_default.c from fleets/default.json");
	free(file);
}

GRADED(fleet, hosts_are_contiguous_and_named, 0, "04.2 placement", 5)
{
	struct cloud_fleet f;
	struct vmlab_err err;
	char *json = slurp(fleet_file("tiny"));

	cr_assert_eq(cloud_fleet_parse(json, &f, &err), 0, "%s", err.msg);
	cr_assert_eq(f.nregions, 3);
	cr_assert_eq(f.nhosts, 5);
	long h = cloud_fleet_host(&f, "us-east-2a-h02");
	cr_assert_geq(h, 0);
	cr_assert_eq(f.hosts[h].cap.cpu_milli, 4000, "the zone's own host model");
	cr_assert_eq(f.hosts[0].cap.mem, 32ULL << 30);
	for (size_t z = 0; z < f.nzones; z++)
		for (size_t i = 0; i < f.zones[z].nhosts; i++)
			cr_assert_eq(f.hosts[f.zones[z].host0 + i].zone, z);
	free(json);
	cloud_fleet_free(&f);
}

static void bad(const char *json, const char *says)
{
	struct cloud_fleet f;
	struct vmlab_err err;

	cr_assert_eq(cloud_fleet_parse(json, &f, &err), -EINVAL, "%s", json);
	cr_assert_eq(err.code, -EINVAL, "the code is what the call returned");
	cr_assert(strstr(err.msg, says), "error \"%s\" should mention \"%s\"", err.msg, says);
}

GRADED(fleet, rejects_bad_files_with_a_reason, 0, "04.2 placement", 5)
{
	bad("{", "not JSON");
	bad("[]", "object");
	bad("{\"types\": []}", "host");
	bad("{\"host\": {\"vcpus\": 8, \"mem_gib\": 32, \"usd_per_hour\": 1},"
	    " \"types\": [{\"name\": \"a\", \"vcpus\": 2, \"mem_gib\": 1, \"usd_per_hour\": 1}],"
	    " \"regions\": [{\"code\": \"x-1\", \"name\": \"X\", \"city\": \"Atlantis\","
	    " \"price_factor\": 1, \"zones\": [{\"name\": \"x-1a\", \"hosts\": 1}]}]}",
	    "Atlantis");
	bad("{\"host\": {\"vcpus\": 8, \"mem_gib\": 32, \"usd_per_hour\": 1},"
	    " \"types\": [{\"name\": \"a\", \"vcpus\": 2, \"mem_gib\": 1, \"usd_per_hour\": 1},"
	    " {\"name\": \"a\", \"vcpus\": 2, \"mem_gib\": 1, \"usd_per_hour\": 1}],"
	    " \"regions\": [{\"code\": \"x-1\", \"name\": \"X\", \"city\": \"Mumbai\","
	    " \"price_factor\": 1, \"zones\": [{\"name\": \"x-1a\", \"hosts\": 1}]}]}",
	    "twice");
	bad("{\"host\": {\"vcpus\": -8, \"mem_gib\": 32, \"usd_per_hour\": 1}}", "vcpus");
}

/*
 * json-c kept the last of a key given twice ("hosts": 2, "hosts": 100000)
 * and cut a name at "\u0000" ("x-1a\u0000b" was zone x-1a).
 */
GRADED(fleet, rejects_keys_twice_and_nul, 0, "04.2 placement", 5)
{
	const char *host = "{\"host\": {\"vcpus\": 8, \"mem_gib\": 32, \"usd_per_hour\": 1},\n"
			   " \"types\": [{\"name\": \"a\", \"vcpus\": 2, \"mem_gib\": 1, \"usd_per_hour\": 1}],\n";
	const char *region = " \"regions\": [{\"code\": \"x-1\", \"name\": \"X\", \"city\": \"Mumbai\","
			     " \"price_factor\": 1,\n  \"zones\": [{\"name\": \"%s\", \"hosts\": 2%s}]}]%s}";
	char json[1024];

	snprintf(json, sizeof(json), "%s", host);
	snprintf(json + strlen(json), sizeof(json) - strlen(json), region, "x-1a", "", "");
	struct cloud_fleet f;
	struct vmlab_err err;
	cr_assert_eq(cloud_fleet_parse(json, &f, &err), 0, "%s: %s", json, err.msg);
	cloud_fleet_free(&f);

	snprintf(json, sizeof(json), "%s", host);
	snprintf(json + strlen(json), sizeof(json) - strlen(json), region, "x-1a", ", \"hosts\": 100000", "");
	bad(json, "line 4, column 48: a key given twice in one object, near '\"hosts\"': give each key once");
	snprintf(json, sizeof(json), "%s", host);
	snprintf(json + strlen(json), sizeof(json) - strlen(json), region, "x-1a", "", ",\n \"types\": []");
	bad(json, "line 5, column 8: a key given twice in one object, near '\"types\"'");
	snprintf(json, sizeof(json), "%s", host);
	snprintf(json + strlen(json), sizeof(json) - strlen(json), region, "x-1a\\u0000b", "", "");
	bad(json, "line 4, column 34: a \\u0000 (NUL) in a string, near '\"x-1a\\u0000b\"': names cannot hold one");
}
