/*
 * cloud_geo: cities, great-circle distance and the latency model
 * (see cloud_geo.h). The coordinates are the cities' centres, rounded to
 * about a kilometre; a region sits at its city. The measured pairs are the
 * published figures the handout quotes; everything else is the model.
 */
#include "cloud_geo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct cloud_city cities[] = {
	/* The default fleet's region cities. */
	{"Mumbai", 19.076, 72.878},
	{"Columbus", 39.961, -82.999},  /* us-east-2, Ohio */
	{"Ashburn", 39.044, -77.487},   /* us-east-1, N. Virginia */
	{"Boardman", 45.840, -119.701}, /* us-west-2, Oregon */
	{"Dublin", 53.350, -6.260},     /* eu-west-1, Ireland */
	{"Frankfurt", 50.110, 8.682},
	{"Singapore", 1.352, 103.820},
	{"Tokyo", 35.676, 139.650},
	{"Sydney", -33.869, 151.209},
	{"Sao Paulo", -23.551, -46.633},
	/* Where users are. */
	{"Delhi", 28.614, 77.209},
	{"Bengaluru", 12.972, 77.595},
	{"Chennai", 13.083, 80.271},
	{"New York", 40.713, -74.006},
	{"Chicago", 41.878, -87.630},
	{"San Francisco", 37.775, -122.419},
	{"Toronto", 43.653, -79.383},
	{"Mexico City", 19.433, -99.133},
	{"Buenos Aires", -34.604, -58.382},
	{"London", 51.507, -0.128},
	{"Paris", 48.857, 2.352},
	{"Berlin", 52.520, 13.405},
	{"Stockholm", 59.329, 18.069},
	{"Lagos", 6.524, 3.379},
	{"Nairobi", -1.292, 36.822},
	{"Cape Town", -33.925, 18.424},
	{"Dubai", 25.205, 55.271},
	{"Seoul", 37.567, 126.978},
	{"Hong Kong", 22.320, 114.169},
	{"Jakarta", -6.208, 106.846},
	{"Auckland", -36.849, 174.763},
};

/* Published round-trip times between regions, ms. */
static const struct {
	const char *a, *b;
	double ms;
} measured[] = {
	{"ap-south-1", "us-east-2", 196},
	{"ap-south-1", "ap-southeast-1", 56},
	{"us-east-2", "us-east-1", 12},
};

const struct cloud_city *cloud_geo_cities(size_t *n)
{
	*n = sizeof(cities) / sizeof(cities[0]);
	return cities;
}

/* "LAT,LON": 0 and *out filled, -ENOENT if text is not two numbers. */
static int parse_coords(const char *text, struct cloud_city *out)
{
	char *end;
	double lat = strtod(text, &end);

	if (end == text || *end != ',')
		return -ENOENT;
	const char *p = end + 1;
	double lon = strtod(p, &end);
	if (end == p || *end != '\0')
		return -ENOENT;
	if (!isfinite(lat) || !isfinite(lon) || fabs(lat) > 90 || fabs(lon) > 180)
		return -EINVAL;
	out->name = "(coordinates)";
	out->lat = lat;
	out->lon = lon;
	return 0;
}

int cloud_geo_find(const char *text, struct cloud_city *out)
{
	size_t n;
	const struct cloud_city *c = cloud_geo_cities(&n);

	if (!text || !*text)
		return -ENOENT;
	if (strcasecmp(text, "São Paulo") == 0)
		text = "Sao Paulo";
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(text, c[i].name) == 0) {
			*out = c[i];
			return 0;
		}
	}
	return parse_coords(text, out);
}

/*
 * The contract is in cloud_geo.h.
 * Stage 04.1, README "Steps" 1.
 */
double cloud_geo_km(double lat1, double lon1, double lat2, double lon2)
{
	/* >>> SOLUTION 04.1: the haversine formula on a sphere of CLOUD_EARTH_KM. */
	const double rad = M_PI / 180;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double h = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	/* Rounding can push h a hair past 1 for antipodes: clamp. */
	if (h > 1)
		h = 1;
	return 2 * CLOUD_EARTH_KM * asin(sqrt(h));
	/* === STUB
	(void)lat1;
	(void)lon1;
	(void)lat2;
	(void)lon2;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in cloud_geo.h.
 * Stage 04.1, README "Steps" 1.
 */
double cloud_geo_floor_ms(double km)
{
	/* >>> SOLUTION 04.1: there and back at CLOUD_FIBRE_KM_S, in milliseconds. */
	return 2 * km / CLOUD_FIBRE_KM_S * 1000;
	/* === STUB
	(void)km;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in cloud_geo.h.
 * Stage 04.1, README "Steps" 1.
 */
double cloud_geo_estimate_ms(double km)
{
	/* >>> SOLUTION 04.1: the floor stretched by the route, plus a base cost. */
	return cloud_geo_floor_ms(km) * CLOUD_STRETCH + CLOUD_RTT_BASE_MS;
	/* === STUB
	(void)km;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in cloud_geo.h.
 * Stage 04.1, README "Steps" 1.
 */
int cloud_geo_measured_ms(const char *region_a, const char *region_b,
			  double *ms)
{
	/* >>> SOLUTION 04.1: look the pair up in measured[], either order; else -ENOENT. */
	for (size_t i = 0; i < sizeof(measured) / sizeof(measured[0]); i++) {
		if ((strcmp(region_a, measured[i].a) == 0 &&
		     strcmp(region_b, measured[i].b) == 0) ||
		    (strcmp(region_a, measured[i].b) == 0 &&
		     strcmp(region_b, measured[i].a) == 0)) {
			*ms = measured[i].ms;
			return 0;
		}
	}
	return -ENOENT;
	/* === STUB
	(void)region_a;
	(void)region_b;
	(void)ms;
	(void)measured;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}
