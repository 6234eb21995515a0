/*
 * cloud_fleet: parsing a fleet description and looking things up in it
 * (see cloud_fleet.h). The format, JSON read with jansson:
 *
 *   { "host":  {"vcpus": 48, "mem_gib": 192, "usd_per_hour": 1.10},
 *     "types": [{"name": "m5.large", "vcpus": 2, "mem_gib": 8,
 *                "usd_per_hour": 0.096}, ...],
 *     "regions": [{"code": "ap-south-1", "name": "Mumbai", "city": "Mumbai",
 *                  "price_factor": 1.05,
 *                  "zones": [{"name": "ap-south-1a", "hosts": 2}, ...]}] }
 *
 * A region's "lat"/"lon" default to its city's (cloud_geo); a zone may carry
 * its own "host" model. Hosts are named ZONE-hNN.
 *
 * jansson, not json-c (which writes the reports): json-c keeps the last of
 * a key given twice in one object and says nothing ("hosts": 2 then
 * "hosts": 100000), and cuts a name at "\u0000". jansson refuses both
 * (JSON_REJECT_DUPLICATES; NUL unless JSON_ALLOW_NUL), with the line and
 * column. The two share two symbol names (json_object_get,
 * json_object_iter_next): a file includes one of their headers, never both,
 * and jansson is linked first.
 */
#include "cloud_fleet.h"
#include "cloud_geo.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GIB (1024.0 * 1024 * 1024)

struct hostmodel {
	uint64_t cpu_milli, mem, cost_uusd;
};

/* Parsing state: the fleet being filled and where to say what went wrong. */
struct ctx {
	struct cloud_fleet *f;
	struct vmlab_err *err;
};

/* The fleet is invalid: -EINVAL, with the reason in c->err. */
static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmlab_vfail(c->err, -EINVAL, NULL, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A positive finite number under key in o: 0, or -EINVAL. */
static int get_num(struct ctx *c, const json_t *o, const char *where,
		   const char *key, double *out)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_number(v))
		return fail(c, "%s: \"%s\" must be a number", where, key);
	*out = json_number_value(v);
	if (!isfinite(*out) || *out <= 0 || *out > 1e9)
		return fail(c, "%s: \"%s\" must be above 0", where, key);
	return 0;
}

/* A short string under key (no NUL inside: json_loads refused "\u0000"):
 * 0, or -EINVAL. */
static int get_str(struct ctx *c, const json_t *o, const char *where,
		   const char *key, char *out)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		return fail(c, "%s: \"%s\" must be a string", where, key);
	if (json_string_length(v) == 0 || json_string_length(v) >= CLOUD_NAME_MAX)
		return fail(c, "%s: \"%s\" must have 1 to %d characters", where,
			    key, CLOUD_NAME_MAX - 1);
	strcpy(out, json_string_value(v));
	return 0;
}

static json_t *get_array(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_array(v) || json_array_size(v) == 0)
		return NULL;
	return v;
}

static int parse_hostmodel(struct ctx *c, const json_t *o, const char *where,
			   struct hostmodel *m)
{
	double vcpus, mem, usd;
	int rc;

	if ((rc = get_num(c, o, where, "vcpus", &vcpus)) ||
	    (rc = get_num(c, o, where, "mem_gib", &mem)) ||
	    (rc = get_num(c, o, where, "usd_per_hour", &usd)))
		return rc;
	m->cpu_milli = (uint64_t)llround(vcpus * 1000);
	m->mem = (uint64_t)llround(mem * GIB);
	m->cost_uusd = (uint64_t)llround(usd * 1e6);
	return 0;
}

static int parse_type(struct ctx *c, const json_t *o, size_t i)
{
	struct cloud_type *t = &c->f->types[i];
	char where[48];
	double vcpus, mem, usd;
	int rc;

	snprintf(where, sizeof(where), "types[%zu]", i);
	if ((rc = get_str(c, o, where, "name", t->name)) ||
	    (rc = get_num(c, o, t->name, "vcpus", &vcpus)) ||
	    (rc = get_num(c, o, t->name, "mem_gib", &mem)) ||
	    (rc = get_num(c, o, t->name, "usd_per_hour", &usd)))
		return rc;
	if (vcpus != floor(vcpus))
		return fail(c, "%s: \"vcpus\" must be a whole number", t->name);
	if (cloud_fleet_type(c->f, t->name) != (long)i)
		return fail(c, "%s: instance type listed twice", t->name);
	t->vcpus = (unsigned)vcpus;
	t->mem = (uint64_t)llround(mem * GIB);
	t->base_uusd = (uint64_t)llround(usd * 1e6);
	return 0;
}

/* Appends n hosts of model m to zone z. */
static int add_hosts(struct ctx *c, size_t z, long n, const struct hostmodel *m)
{
	struct cloud_fleet *f = c->f;
	struct cloud_host *h;

	if (n < 1 || n > 100000)
		return fail(c, "%s: \"hosts\" must be 1 to 100000", f->zones[z].name);
	h = realloc(f->hosts, (f->nhosts + (size_t)n) * sizeof(*h));
	if (!h)
		return -ENOMEM;
	f->hosts = h;
	f->zones[z].host0 = f->nhosts;
	f->zones[z].nhosts = (size_t)n;
	for (long i = 0; i < n; i++) {
		h = &f->hosts[f->nhosts++];
		memset(h, 0, sizeof(*h));
		snprintf(h->name, sizeof(h->name), "%s-h%02ld", f->zones[z].name, i + 1);
		h->zone = z;
		h->cap = (struct part_res){m->cpu_milli, m->mem, 0};
		h->cost_uusd = m->cost_uusd;
	}
	return 0;
}

static int parse_zone(struct ctx *c, const json_t *o, size_t r,
		      const struct hostmodel *def)
{
	struct cloud_fleet *f = c->f;
	struct cloud_zone *z = &f->zones[f->nzones];
	struct hostmodel m = *def;
	const json_t *v;
	int rc;

	memset(z, 0, sizeof(*z));
	if ((rc = get_str(c, o, f->regions[r].code, "name", z->name)))
		return rc;
	if (cloud_fleet_zone(f, z->name) >= 0)
		return fail(c, "%s: zone listed twice", z->name);
	z->region = r;
	if ((v = json_object_get(o, "host")) && (rc = parse_hostmodel(c, v, z->name, &m)))
		return rc;
	if (!json_is_integer(v = json_object_get(o, "hosts")))
		return fail(c, "%s: \"hosts\" must be a whole number", z->name);
	f->nzones++;
	return add_hosts(c, f->nzones - 1, (long)json_integer_value(v), &m);
}

/* The region's coordinates: its own "lat"/"lon", or its city's. */
static int region_place(struct ctx *c, const json_t *o, struct cloud_region *r)
{
	const json_t *lat = json_object_get(o, "lat"), *lon = json_object_get(o, "lon");
	struct cloud_city city;

	if (lat) {
		if (!lon)
			return fail(c, "%s: \"lat\" without \"lon\"", r->code);
		if (!json_is_number(lat) || !json_is_number(lon))
			return fail(c, "%s: \"lat\" and \"lon\" must be numbers", r->code);
		r->lat = json_number_value(lat);
		r->lon = json_number_value(lon);
		if (fabs(r->lat) > 90 || fabs(r->lon) > 180)
			return fail(c, "%s: coordinates out of range", r->code);
		return 0;
	}
	if (cloud_geo_find(r->city, &city))
		return fail(c, "%s: city \"%s\" is not built in; give \"lat\" and \"lon\"",
			    r->code, r->city);
	r->lat = city.lat;
	r->lon = city.lon;
	return 0;
}

static int parse_region(struct ctx *c, const json_t *o, size_t i,
			const struct hostmodel *def)
{
	struct cloud_region *r = &c->f->regions[i];
	const json_t *zones;
	char where[48];
	int rc;

	snprintf(where, sizeof(where), "regions[%zu]", i);
	if ((rc = get_str(c, o, where, "code", r->code)) ||
	    (rc = get_str(c, o, r->code, "name", r->name)) ||
	    (rc = get_str(c, o, r->code, "city", r->city)) ||
	    (rc = get_num(c, o, r->code, "price_factor", &r->price_factor)) ||
	    (rc = region_place(c, o, r)))
		return rc;
	if (cloud_fleet_region(c->f, r->code) != (long)i)
		return fail(c, "%s: region listed twice", r->code);
	if (!(zones = get_array(o, "zones")))
		return fail(c, "%s: \"zones\" must be a non-empty array", r->code);
	size_t nz = json_array_size(zones);
	struct cloud_zone *z = realloc(c->f->zones, (c->f->nzones + nz) * sizeof(*z));
	if (!z)
		return -ENOMEM;
	c->f->zones = z;
	r->zone0 = c->f->nzones;
	r->nzones = nz;
	for (size_t k = 0; k < nz; k++)
		if ((rc = parse_zone(c, json_array_get(zones, k), i, def)))
			return rc;
	return 0;
}

static int parse_root(struct ctx *c, const json_t *root)
{
	struct cloud_fleet *f = c->f;
	const json_t *types, *regions, *host;
	struct hostmodel def;
	int rc;

	if (!json_is_object(root))
		return fail(c, "the fleet must be a JSON object");
	if (!(host = json_object_get(root, "host")))
		return fail(c, "\"host\" (the default host model) is missing");
	if ((rc = parse_hostmodel(c, host, "host", &def)))
		return rc;
	if (!(types = get_array(root, "types")))
		return fail(c, "\"types\" must be a non-empty array");
	if (!(regions = get_array(root, "regions")))
		return fail(c, "\"regions\" must be a non-empty array");
	f->ntypes = json_array_size(types);
	f->nregions = json_array_size(regions);
	f->types = calloc(f->ntypes, sizeof(*f->types));
	f->regions = calloc(f->nregions, sizeof(*f->regions));
	if (!f->types || !f->regions)
		return -ENOMEM;
	for (size_t i = 0; i < f->ntypes; i++)
		if ((rc = parse_type(c, json_array_get(types, i), i)))
			return rc;
	for (size_t i = 0; i < f->nregions; i++)
		if ((rc = parse_region(c, json_array_get(regions, i), i, &def)))
			return rc;
	return 0;
}

/*
 * jansson 2.14 reports an allocation that failed while parsing as nothing
 * at all, or as a syntax error ("string or '}' expected" where a key could
 * not be copied), or not at all: an object comes back without one of its
 * members ("cpu_ratio_milli" gone). Its allocator is watched instead
 * (json_set_alloc_funcs): any failure is out of memory, never an invalid
 * fleet nor a value misread.
 */
static int alloc_failed;

static void *watched_malloc(size_t n)
{
	void *p = malloc(n);

	alloc_failed |= p == NULL;
	return p;
}

/* Text jansson refused: what json-c let through in plain words, with the
 * fix; other errors in jansson's. Each with its line and column. */
static int not_json(struct ctx *c, const json_error_t *je)
{
	const char *near = strstr(je->text, " near ");

	if (alloc_failed || !je->text[0])
		return -ENOMEM;
	switch (json_error_code(je)) {
	case json_error_out_of_memory:
		return -ENOMEM;
	case json_error_duplicate_key:
		return fail(c, "line %d, column %d: a key given twice in one object%s%s: "
			    "give each key once", je->line, je->column,
			    near ? ", near " : "", near ? near + 6 : "");
	case json_error_null_character:
	case json_error_null_byte_in_key:
		return fail(c, "line %d, column %d: a \\u0000 (NUL) in a string%s%s: "
			    "names cannot hold one", je->line, je->column,
			    near ? ", near " : "", near ? near + 6 : "");
	default:
		return fail(c, "not JSON: line %d, column %d: %s", je->line, je->column,
			    je->text);
	}
}

int cloud_fleet_parse(const char *json, struct cloud_fleet *f, struct vmlab_err *err)
{
	struct ctx c = {f, err};
	json_error_t je = {.line = 0};
	json_t *root;
	int rc;

	memset(f, 0, sizeof(*f));
	vmlab_err_clear(err);
	alloc_failed = 0;
	json_set_alloc_funcs(watched_malloc, free);
	root = json_loads(json, JSON_REJECT_DUPLICATES, &je);
	if (root && alloc_failed) {
		json_decref(root);
		return -ENOMEM;
	}
	if (!root)
		return not_json(&c, &je);
	rc = parse_root(&c, root);
	json_decref(root);
	if (rc)
		cloud_fleet_free(f);
	return rc;
}

void cloud_fleet_free(struct cloud_fleet *f)
{
	free(f->types);
	free(f->regions);
	free(f->zones);
	free(f->hosts);
	memset(f, 0, sizeof(*f));
}

/* Lookups: linear scans. Fleets have tens of regions and zones; the host
 * scan is for the command line, never for placement. */
long cloud_fleet_type(const struct cloud_fleet *f, const char *name)
{
	for (size_t i = 0; i < f->ntypes; i++)
		if (strcmp(f->types[i].name, name) == 0)
			return (long)i;
	return -1;
}

long cloud_fleet_region(const struct cloud_fleet *f, const char *code)
{
	for (size_t i = 0; i < f->nregions; i++)
		if (strcmp(f->regions[i].code, code) == 0)
			return (long)i;
	return -1;
}

long cloud_fleet_zone(const struct cloud_fleet *f, const char *name)
{
	for (size_t i = 0; i < f->nzones; i++)
		if (strcmp(f->zones[i].name, name) == 0)
			return (long)i;
	return -1;
}

long cloud_fleet_host(const struct cloud_fleet *f, const char *name)
{
	for (size_t i = 0; i < f->nhosts; i++)
		if (strcmp(f->hosts[i].name, name) == 0)
			return (long)i;
	return -1;
}

uint64_t cloud_fleet_price(const struct cloud_fleet *f, size_t t, size_t r)
{
	return (uint64_t)llround((double)f->types[t].base_uusd *
				 f->regions[r].price_factor);
}

struct part_res cloud_fleet_want(const struct cloud_fleet *f, size_t t)
{
	return (struct part_res){(uint64_t)f->types[t].vcpus * 1000,
				 f->types[t].mem, 0};
}

struct part_res cloud_host_free(const struct cloud_host *h)
{
	struct part_res none = {0, 0, 0};

	if (h->failed || h->used.cpu_milli > h->cap.cpu_milli ||
	    h->used.mem > h->cap.mem)
		return none;
	return (struct part_res){h->cap.cpu_milli - h->used.cpu_milli,
				 h->cap.mem - h->used.mem, 0};
}
