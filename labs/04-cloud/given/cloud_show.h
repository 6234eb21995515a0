/*
 * cloud_show: the user's view, for people (aligned tables) and for machines
 * (--json, the same facts). What a cloud's customer sees: regions and how
 * far they are, instance types and prices, their instances' states and
 * zones, their bill. Never a host: that is cloud_report's, the provider's.
 * Every function writes to the stream it is given and returns 0, or -EIO
 * (-ENOMEM) if it could not.
 */
#ifndef CLOUD_SHOW_H
#define CLOUD_SHOW_H

#include <json-c/json.h>
#include <stdio.h>

#include "cloud_acct.h"
#include "cloud_run.h"
#include "cloud_time.h"

/* Formats µ$ as "$1.2345" (rounded to 1/100 of a cent) into buf; returns buf. */
const char *cloud_fmt_money(uint64_t uusd, char *buf, size_t len);

/* Prints obj as pretty JSON and releases it. */
int cloud_show_json(FILE *out, json_object *obj);

/* Regions; with loc, as seen from there (ranked, closest first). */
int cloud_show_regions(FILE *out, const struct cloud_fleet *f,
		       const struct cloud_loc *loc, const struct cloud_rank *ranked,
		       int json);
int cloud_show_cities(FILE *out, int json);
/* The catalog with prices in region r. */
int cloud_show_types(FILE *out, const struct cloud_fleet *f, size_t r, int json);

/* Instances (describe, and what run launched). */
int cloud_show_insts(FILE *out, const struct cloud_fleet *f,
		     const struct cloud_insts *in, int json);
/* What run did: the reservation, where and why, and the instances. */
int cloud_show_run(FILE *out, const struct cloud_fleet *f,
		   const struct cloud_run_res *res, int json);
/* run --explain: the regions, zones and hosts considered. */
int cloud_show_explain(FILE *out, const struct cloud_fleet *f,
		       const struct cloud_run_res *res);
/* stop/start/terminate: each instance's previous and current state. */
int cloud_show_changes(FILE *out, const struct cloud_insts *in, int json);
int cloud_show_bill(FILE *out, const struct cloud_fleet *f,
		    const struct cloud_bill *b, int json);
int cloud_show_clock(FILE *out, int64_t t, int fixed, int json);

#endif /* CLOUD_SHOW_H */
