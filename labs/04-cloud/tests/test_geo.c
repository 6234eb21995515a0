/*
 * test_geo: distances, the latency floor and estimate, measured pairs, and
 * regions ranked from a place.
 */
#include "graded.h"
#include "cloud_geo.h"
#include "cloud_place.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void near_km(double got, double want, double tol_pct)
{
	cr_assert(got > want * (1 - tol_pct / 100) && got < want * (1 + tol_pct / 100),
		  "distance %.0f km, expected about %.0f km", got, want);
}

GRADED(geo, haversine_known_distances, 2, "04.1 latency", 5)
{
	/* London - New York about 5,570 km; Mumbai - Singapore about 3,900 km. */
	near_km(cloud_geo_km(51.507, -0.128, 40.713, -74.006), 5570, 1);
	near_km(cloud_geo_km(19.076, 72.878, 1.352, 103.820), 3904, 1);
	/* Half the earth's circumference between antipodes. */
	near_km(cloud_geo_km(0, 0, 0, 180), 20015, 0.5);
	cr_assert_float_eq(cloud_geo_km(10, 20, 10, 20), 0, 1e-9);
	/* Symmetric. */
	cr_assert_float_eq(cloud_geo_km(1, 2, 3, 4), cloud_geo_km(3, 4, 1, 2), 1e-9);
}

GRADED(geo, floor_is_light_in_fibre, 2, "04.1 latency", 5)
{
	/* 200,000 km/s, there and back: 1 ms per 100 km. */
	cr_assert_float_eq(cloud_geo_floor_ms(100), 1.0, 1e-9);
	cr_assert_float_eq(cloud_geo_floor_ms(12990), 129.9, 1e-9);
	cr_assert_float_eq(cloud_geo_floor_ms(0), 0, 1e-9);
}

GRADED(geo, estimate_stretches_the_floor, 2, "04.1 latency", 5)
{
	for (double km = 0; km < 20000; km += 1000) {
		double f = cloud_geo_floor_ms(km), e = cloud_geo_estimate_ms(km);
		cr_assert_float_eq(e, f * CLOUD_STRETCH + CLOUD_RTT_BASE_MS, 1e-9);
		cr_assert(e > f, "the estimate can never beat the floor");
	}
}

GRADED(geo, measured_pairs_either_order, 1, "04.1 latency", 5)
{
	double ms = 0;

	cr_assert_eq(cloud_geo_measured_ms("ap-south-1", "us-east-2", &ms), 0);
	cr_assert_float_eq(ms, 196, 1e-9);
	cr_assert_eq(cloud_geo_measured_ms("ap-southeast-1", "ap-south-1", &ms), 0);
	cr_assert_float_eq(ms, 56, 1e-9);
	cr_assert_eq(cloud_geo_measured_ms("us-east-1", "us-east-2", &ms), 0);
	cr_assert_float_eq(ms, 12, 1e-9);
	cr_assert_eq(cloud_geo_measured_ms("eu-west-1", "us-east-2", &ms), -ENOENT);
}

GRADED(geo, finds_cities_and_coordinates, 1, "04.1 latency", 5)
{
	struct cloud_city c;

	cr_assert_eq(cloud_geo_find("bengaluru", &c), 0);
	cr_assert_float_eq(c.lat, 12.972, 1e-3);
	cr_assert_eq(cloud_geo_find("São Paulo", &c), 0);
	cr_assert_str_eq(c.name, "Sao Paulo");
	cr_assert_eq(cloud_geo_find("-33.9,151.2", &c), 0);
	cr_assert_float_eq(c.lon, 151.2, 1e-9);
	cr_assert_eq(cloud_geo_find("Atlantis", &c), -ENOENT);
	cr_assert_eq(cloud_geo_find("91,0", &c), -EINVAL);
	cr_assert_eq(cloud_geo_find("", &c), -ENOENT);
	size_t n;
	cloud_geo_cities(&n);
	cr_assert_geq(n, 22, "each region's city and a dozen more");
}

GRADED(geo, ranks_regions_from_a_place, 2, "04.1 latency", 5)
{
	struct cloud_fleet f;
	struct cloud_loc loc;

	cr_assert_eq(cloud_fleet_parse(cloud_fleet_default_json(), &f, NULL), 0);
	struct cloud_rank *k = calloc(f.nregions, sizeof(*k));
	cr_assert_eq(cloud_place_locate(&f, "Mumbai", &loc), 0);
	cloud_place_rank(&f, &loc, k);
	cr_assert_str_eq(f.regions[k[0].region].code, "ap-south-1");
	cr_assert_str_eq(f.regions[k[1].region].code, "ap-southeast-1");
	cr_assert(k[1].measured);
	for (size_t i = 0; i + 1 < f.nregions; i++)
		cr_assert_leq(k[i].rtt_ms, k[i + 1].rtt_ms, "sorted by round trip");
	for (size_t i = 0; i < f.nregions; i++) {
		cr_assert_geq(k[i].rtt_ms, k[i].floor_ms, "%s beats light",
			      f.regions[k[i].region].code);
		if (!strcmp(f.regions[k[i].region].code, "us-east-2"))
			cr_assert_float_eq(k[i].rtt_ms, 196, 1e-9);
	}
	cr_assert_eq(cloud_place_locate(&f, "Sydney", &loc), 0);
	cloud_place_rank(&f, &loc, k);
	cr_assert_str_eq(f.regions[k[0].region].code, "ap-southeast-2");
	cr_assert_eq(cloud_place_locate(&f, "Lagos", &loc), 0);
	cloud_place_rank(&f, &loc, k);
	cr_assert_str_eq(f.regions[k[0].region].code, "eu-central-1",
			 "Lagos's closest region: %s", f.regions[k[0].region].code);
	free(k);
	cloud_fleet_free(&f);
}
