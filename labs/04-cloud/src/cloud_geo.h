/*
 * cloud_geo: where things are, and how long a round trip between them takes.
 *
 * A built-in list of cities (each default region's city and a few dozen
 * more) with their coordinates; great-circle distance (haversine); and the
 * latency model of the handout:
 *   floor     light in fibre, there and back: 2 * d / 200,000 km/s,
 *             i.e. 1 ms of round trip per 100 km. Nothing beats it.
 *   estimate  floor * CLOUD_STRETCH + CLOUD_RTT_BASE_MS: real routes are
 *             longer than the great circle, and every hop adds a little.
 *   measured  published figures for some region pairs override the estimate.
 * Pure functions; no state.
 */
#ifndef CLOUD_GEO_H
#define CLOUD_GEO_H

#include <stddef.h>

#define CLOUD_EARTH_KM 6371.0       /* mean radius */
#define CLOUD_FIBRE_KM_S 200000.0   /* light in glass: about 2/3 of c */
#define CLOUD_STRETCH 1.5           /* route length / great circle */
#define CLOUD_RTT_BASE_MS 4.0       /* switching, queues, last mile */

struct cloud_city {
	const char *name;
	double lat, lon; /* degrees; north and east positive */
};

/* The built-in cities; *n receives their count. */
const struct cloud_city *cloud_geo_cities(size_t *n);

/*
 * Finds a city by name (case-insensitive, "Sao Paulo" or "São Paulo") or
 * reads "LAT,LON" in degrees. Fills *out (name points at the city's name or
 * at a static "LAT,LON" label). Returns 0, -ENOENT for an unknown name, or
 * -EINVAL for coordinates out of range.
 */
int cloud_geo_find(const char *text, struct cloud_city *out);

/* Great-circle distance in km between two points (haversine). */
double cloud_geo_km(double lat1, double lon1, double lat2, double lon2);

/* The physical floor of the round trip over km of fibre, in ms. */
double cloud_geo_floor_ms(double km);

/* The model's estimate of a real round trip over km, in ms. */
double cloud_geo_estimate_ms(double km);

/*
 * A published measurement of the round trip between two regions (codes,
 * either order): 0 and *ms set, or -ENOENT when none is known.
 */
int cloud_geo_measured_ms(const char *region_a, const char *region_b,
			  double *ms);

#endif /* CLOUD_GEO_H */
