/*
 * cloud_show: the user's view as tables and JSON (see cloud_show.h).
 * JSON keys follow EC2's API where one exists (InstanceId, State.Code,
 * Placement.AvailabilityZone) so that the output reads like the real thing.
 */
#include "cloud_show.h"
#include "cloud_geo.h"

#include <errno.h>
#include <inttypes.h>

const char *cloud_fmt_money(uint64_t uusd, char *buf, size_t len)
{
	uint64_t units = (uusd + 50) / 100; /* 1/10,000 of a dollar, rounded */

	snprintf(buf, len, "$%" PRIu64 ".%04" PRIu64, units / 10000, units % 10000);
	return buf;
}

int cloud_show_json(FILE *out, json_object *obj)
{
	int rc = 0;

	if (!obj)
		return -ENOMEM;
	if (fprintf(out, "%s\n", json_object_to_json_string_ext(
					 obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						      JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
		rc = -EIO;
	json_object_put(obj);
	return rc;
}

static int done(FILE *out)
{
	return ferror(out) ? -EIO : 0;
}

/* Adds key: value to obj, for the common value types. */
static void put_s(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void put_i(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void put_d(json_object *o, const char *k, double v)
{
	json_object_object_add(o, k, json_object_new_double(v));
}

static json_object *region_json(const struct cloud_fleet *f, size_t r,
				const struct cloud_rank *k)
{
	const struct cloud_region *g = &f->regions[r];
	json_object *o = json_object_new_object(), *zones = json_object_new_array();

	put_s(o, "RegionName", g->code);
	put_s(o, "Name", g->name);
	put_s(o, "City", g->city);
	put_d(o, "Latitude", g->lat);
	put_d(o, "Longitude", g->lon);
	for (size_t z = g->zone0; z < g->zone0 + g->nzones; z++)
		json_object_array_add(zones, json_object_new_string(f->zones[z].name));
	json_object_object_add(o, "AvailabilityZones", zones);
	if (k) {
		put_d(o, "DistanceKm", k->km);
		put_d(o, "FloorMs", k->floor_ms);
		put_d(o, "RoundTripMs", k->rtt_ms);
		json_object_object_add(o, "Measured", json_object_new_boolean(k->measured));
	}
	return o;
}

int cloud_show_regions(FILE *out, const struct cloud_fleet *f,
		       const struct cloud_loc *loc, const struct cloud_rank *ranked,
		       int json)
{
	if (json) {
		json_object *a = json_object_new_array();
		for (size_t i = 0; i < f->nregions; i++)
			json_object_array_add(a, region_json(f, ranked ? ranked[i].region : i,
							     ranked ? &ranked[i] : NULL));
		return cloud_show_json(out, a);
	}
	if (!ranked) {
		fprintf(out, "%-16s %-13s %-11s %s\n", "REGION", "NAME", "CITY", "ZONES");
		for (size_t r = 0; r < f->nregions; r++)
			fprintf(out, "%-16s %-13s %-11s %zu\n", f->regions[r].code,
				f->regions[r].name, f->regions[r].city, f->regions[r].nzones);
		return done(out);
	}
	fprintf(out, "Regions by round trip from %s (%.2f, %.2f):\n", loc->label,
		loc->lat, loc->lon);
	fprintf(out, "%-16s %-13s %9s %9s %9s\n", "REGION", "NAME", "DISTANCE",
		"FLOOR", "ESTIMATE");
	for (size_t i = 0; i < f->nregions; i++) {
		const struct cloud_rank *k = &ranked[i];
		fprintf(out, "%-16s %-13s %6.0f km %6.1f ms %6.0f ms%s\n",
			f->regions[k->region].code, f->regions[k->region].name, k->km,
			k->floor_ms, k->rtt_ms, k->measured ? "  (measured)" : "");
	}
	fprintf(out, "FLOOR: light in fibre there and back (%.0f km/s); no network "
		     "beats it.\nESTIMATE: floor x %.1f (real routes) + %.0f ms.\n",
		CLOUD_FIBRE_KM_S, CLOUD_STRETCH, CLOUD_RTT_BASE_MS);
	return done(out);
}

int cloud_show_cities(FILE *out, int json)
{
	size_t n;
	const struct cloud_city *c = cloud_geo_cities(&n);

	if (json) {
		json_object *a = json_object_new_array();
		for (size_t i = 0; i < n; i++) {
			json_object *o = json_object_new_object();
			put_s(o, "Name", c[i].name);
			put_d(o, "Latitude", c[i].lat);
			put_d(o, "Longitude", c[i].lon);
			json_object_array_add(a, o);
		}
		return cloud_show_json(out, a);
	}
	fprintf(out, "%-14s %8s %9s\n", "CITY", "LAT", "LON");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%-14s %8.3f %9.3f\n", c[i].name, c[i].lat, c[i].lon);
	return done(out);
}

int cloud_show_types(FILE *out, const struct cloud_fleet *f, size_t r, int json)
{
	char m[32];

	if (json) {
		json_object *a = json_object_new_array();
		for (size_t t = 0; t < f->ntypes; t++) {
			json_object *o = json_object_new_object();
			put_s(o, "InstanceType", f->types[t].name);
			put_i(o, "VCpus", f->types[t].vcpus);
			put_i(o, "MemoryMiB", (int64_t)(f->types[t].mem >> 20));
			put_s(o, "Region", f->regions[r].code);
			put_i(o, "PricePerHourMicroUSD", (int64_t)cloud_fleet_price(f, t, r));
			json_object_array_add(a, o);
		}
		return cloud_show_json(out, a);
	}
	fprintf(out, "Prices in %s (%s), on demand:\n", f->regions[r].code,
		f->regions[r].name);
	fprintf(out, "%-12s %5s %9s %10s\n", "TYPE", "VCPUS", "MEMORY", "PER HOUR");
	for (size_t t = 0; t < f->ntypes; t++)
		fprintf(out, "%-12s %5u %5.1f GiB %10s\n", f->types[t].name,
			f->types[t].vcpus, (double)f->types[t].mem / (1 << 30),
			cloud_fmt_money(cloud_fleet_price(f, t, r), m, sizeof(m)));
	return done(out);
}

static json_object *inst_json(const struct cloud_fleet *f, const struct cloud_inst *in)
{
	json_object *o = json_object_new_object(), *st = json_object_new_object(),
		    *pl = json_object_new_object();
	char t[32];

	put_s(o, "InstanceId", in->id);
	put_s(o, "ReservationId", in->reservation);
	put_s(o, "InstanceType", in->type);
	put_i(st, "Code", in->state);
	put_s(st, "Name", cloud_state_name(in->state));
	json_object_object_add(o, "State", st);
	put_s(pl, "Region", f->regions[in->region].code);
	put_s(pl, "AvailabilityZone", f->zones[in->zone].name);
	json_object_object_add(o, "Placement", pl);
	put_s(o, "LaunchTime", cloud_fmt_time(in->launched, t, sizeof(t)));
	put_s(o, "InstanceStatus", in->impaired ? "impaired" : "ok");
	put_i(o, "PricePerHourMicroUSD", (int64_t)in->uusd);
	return o;
}

int cloud_show_insts(FILE *out, const struct cloud_fleet *f,
		     const struct cloud_insts *in, int json)
{
	char t[32], st[24];

	if (json) {
		json_object *a = json_object_new_array();
		for (size_t i = 0; i < in->n; i++)
			json_object_array_add(a, inst_json(f, &in->v[i]));
		return cloud_show_json(out, a);
	}
	if (in->n == 0)
		return fprintf(out, "No instances.\n") < 0 ? -EIO : 0;
	fprintf(out, "%-20s %-11s %-16s %-15s %s\n", "INSTANCE", "TYPE", "STATE", "ZONE",
		"LAUNCHED");
	for (size_t i = 0; i < in->n; i++) {
		const struct cloud_inst *v = &in->v[i];
		snprintf(st, sizeof(st), "%d %s", v->state, cloud_state_name(v->state));
		fprintf(out, "%-20s %-11s %-16s %-15s %s%s\n", v->id, v->type, st,
			f->zones[v->zone].name, cloud_fmt_time(v->launched, t, sizeof(t)),
			v->impaired ? "  impaired" : "");
	}
	return done(out);
}

int cloud_show_run(FILE *out, const struct cloud_fleet *f,
		   const struct cloud_run_res *res, int json)
{
	if (json) {
		json_object *o = json_object_new_object(), *a = json_object_new_array();
		put_s(o, "ReservationId", res->reservation);
		json_object_object_add(o, "Replayed", json_object_new_boolean(res->replayed));
		for (size_t i = 0; i < res->insts.n; i++)
			json_object_array_add(a, inst_json(f, &res->insts.v[i]));
		json_object_object_add(o, "Instances", a);
		return cloud_show_json(out, o);
	}
	if (res->replayed)
		fprintf(out, "Reservation %s (this client token's earlier request: "
			     "nothing new launched)\n", res->reservation);
	else if (res->insts.n)
		fprintf(out, "Reservation %s: %zu x %s in %s (%s)\n", res->reservation,
			res->insts.n, res->insts.v[0].type,
			f->regions[res->insts.v[0].region].code,
			f->regions[res->insts.v[0].region].name);
	return cloud_show_insts(out, f, &res->insts, 0);
}

static const char *verdict_text(enum cloud_verdict v)
{
	switch (v) {
	case CLOUD_FITS: return "fits";
	case CLOUD_NO_CPU: return "ruled out: not enough free vCPUs";
	case CLOUD_NO_MEM: return "ruled out: not enough free memory";
	case CLOUD_HOST_FAILED: return "ruled out: host has failed";
	case CLOUD_OTHER_ZONE: return "ruled out: not in the zone asked for";
	case CLOUD_NO_HOST_FITS: return "ruled out: no host in it has room";
	}
	return "?";
}

int cloud_show_explain(FILE *out, const struct cloud_fleet *f,
		       const struct cloud_run_res *res)
{
	if (res->nranked > 1) {
		fprintf(out, "Regions, closest first (room = how many of this type fit):\n");
		for (size_t i = 0; i < res->nranked; i++)
			fprintf(out, "  %-16s %6.0f ms  room %4zu%s\n",
				f->regions[res->ranked[i].region].code, res->ranked[i].rtt_ms,
				res->room[i],
				(long)res->ranked[i].region == res->region ? "  <- chosen" : "");
	}
	unsigned pick = (unsigned)-1;
	for (size_t i = 0; i < res->notes.n; i++) {
		const struct cloud_note *nt = &res->notes.v[i];
		if (nt->pick != pick)
			fprintf(out, "Instance %u (lower score wins):\n", (pick = nt->pick) + 1);
		fprintf(out, "  %-5s %-18s %s", nt->is_zone ? "zone" : "host",
			nt->is_zone ? f->zones[nt->idx].name : f->hosts[nt->idx].name,
			verdict_text(nt->verdict));
		if (nt->verdict == CLOUD_FITS) /* + 0.0: never print "-0.000" */
			fprintf(out, ", score %+.3f", nt->score + 0.0 == 0 ? 0.0 : nt->score);
		fprintf(out, "%s\n", nt->chosen ? "  <- chosen" : "");
	}
	return done(out);
}

int cloud_show_changes(FILE *out, const struct cloud_insts *in, int json)
{
	if (json) {
		json_object *a = json_object_new_array();
		for (size_t i = 0; i < in->n; i++) {
			json_object *o = json_object_new_object(),
				    *p = json_object_new_object(), *c = json_object_new_object();
			put_s(o, "InstanceId", in->v[i].id);
			put_i(p, "Code", in->v[i].prev_state);
			put_s(p, "Name", cloud_state_name(in->v[i].prev_state));
			put_i(c, "Code", in->v[i].state);
			put_s(c, "Name", cloud_state_name(in->v[i].state));
			json_object_object_add(o, "PreviousState", p);
			json_object_object_add(o, "CurrentState", c);
			json_object_array_add(a, o);
		}
		return cloud_show_json(out, a);
	}
	fprintf(out, "%-20s %-16s %s\n", "INSTANCE", "PREVIOUS", "CURRENT");
	for (size_t i = 0; i < in->n; i++) {
		char p[24], c[24];
		snprintf(p, sizeof(p), "%d %s", in->v[i].prev_state,
			 cloud_state_name(in->v[i].prev_state));
		snprintf(c, sizeof(c), "%d %s", in->v[i].state,
			 cloud_state_name(in->v[i].state));
		fprintf(out, "%-20s %-16s %s\n", in->v[i].id, p, c);
	}
	return done(out);
}

int cloud_show_bill(FILE *out, const struct cloud_fleet *f,
		    const struct cloud_bill *b, int json)
{
	char t[32], m[32], p[32], r1[24], r2[24];

	if (json) {
		json_object *o = json_object_new_object(), *a = json_object_new_array();
		put_s(o, "At", cloud_fmt_time(b->now, t, sizeof(t)));
		for (size_t i = 0; i < b->n; i++) {
			const struct cloud_bill_line *l = &b->v[i];
			json_object *x = json_object_new_object();
			put_s(x, "InstanceId", l->id);
			put_s(x, "InstanceType", l->type);
			put_s(x, "Region", f->regions[l->region].code);
			put_s(x, "State", cloud_state_name(l->state));
			put_i(x, "PricePerHourMicroUSD", (int64_t)l->uusd);
			put_i(x, "Starts", l->periods);
			put_i(x, "RunSeconds", l->run_s);
			put_i(x, "BilledSeconds", l->billed_s);
			put_i(x, "CostMicroUSD", (int64_t)l->cost);
			json_object_array_add(a, x);
		}
		json_object_object_add(o, "Lines", a);
		put_i(o, "TotalMicroUSD", (int64_t)b->total);
		return cloud_show_json(out, o);
	}
	fprintf(out, "Bill at %s (per second, 60 s minimum per start; stopped is free):\n",
		cloud_fmt_time(b->now, t, sizeof(t)));
	fprintf(out, "%-20s %-11s %-15s %-13s %10s %10s %9s %9s\n", "INSTANCE", "TYPE",
		"REGION", "STATE", "RAN", "BILLED", "PER HOUR", "COST");
	for (size_t i = 0; i < b->n; i++) {
		const struct cloud_bill_line *l = &b->v[i];
		fprintf(out, "%-20s %-11s %-15s %-13s %10s %10s %9s %9s\n", l->id, l->type,
			f->regions[l->region].code, cloud_state_name(l->state),
			cloud_fmt_dur(l->run_s, r1, sizeof(r1)),
			cloud_fmt_dur(l->billed_s, r2, sizeof(r2)),
			cloud_fmt_money(l->uusd, p, sizeof(p)),
			cloud_fmt_money(l->cost, m, sizeof(m)));
	}
	fprintf(out, "%-94s %9s\n", "TOTAL", cloud_fmt_money(b->total, m, sizeof(m)));
	return done(out);
}

int cloud_show_clock(FILE *out, int64_t t, int fixed, int json)
{
	char s[32];

	if (json) {
		json_object *o = json_object_new_object();
		put_s(o, "Now", cloud_fmt_time(t, s, sizeof(s)));
		put_i(o, "Epoch", t);
		put_s(o, "Source", fixed ? "set" : "wall");
		return cloud_show_json(out, o);
	}
	fprintf(out, "%s (%s)\n", cloud_fmt_time(t, s, sizeof(s)),
		fixed ? "set: `cloud clock wall` returns to the wall clock" : "wall clock");
	return done(out);
}
