/*
 * cloud_fleet: the provider's world in memory, and the fleet file that
 * describes it.
 *
 *   regions  code (ap-south-1), name (Mumbai), city and coordinates, and a
 *            price factor (the same instance costs more in some regions);
 *   zones    availability zones, each in one region: separate buildings,
 *            power and network, so that one failing does not take the rest;
 *   hosts    physical servers, each in one zone, with a capacity and what is
 *            allocated on it now (used), and what it costs the provider;
 *   types    the instance-type catalog (vCPUs, memory, price in us-east-1).
 * Zones are stored region by region and hosts zone by zone, so a region's
 * zones and a zone's hosts are contiguous index ranges (zone0/nzones,
 * host0/nhosts). Money is in micro-dollars (µ$), CPU in milli-CPUs, memory
 * in bytes: integers, so that billing adds up exactly.
 */
#ifndef CLOUD_FLEET_H
#define CLOUD_FLEET_H

#include <stddef.h>
#include <stdint.h>

#include "cloud_fit.h"
#include "vmlab_err.h"

#define CLOUD_NAME_MAX 32

struct cloud_type {
	char name[CLOUD_NAME_MAX];
	unsigned vcpus;
	uint64_t mem;        /* bytes */
	uint64_t base_uusd;  /* price per hour in the base region, µ$ */
};

struct cloud_region {
	char code[CLOUD_NAME_MAX], name[CLOUD_NAME_MAX], city[CLOUD_NAME_MAX];
	double lat, lon;
	double price_factor;
	size_t zone0, nzones;
};

struct cloud_zone {
	char name[CLOUD_NAME_MAX];
	size_t region;
	size_t host0, nhosts;
};

struct cloud_host {
	char name[CLOUD_NAME_MAX + 8];
	size_t zone;
	int failed;              /* part 2: a failed host takes no instances */
	struct part_res cap;     /* what the server has */
	struct part_res used;    /* what instances hold on it now */
	uint64_t cost_uusd;      /* what it costs the provider per hour, µ$ */
};

struct cloud_fleet {
	struct cloud_type *types;
	size_t ntypes;
	struct cloud_region *regions;
	size_t nregions;
	struct cloud_zone *zones;
	size_t nzones;
	struct cloud_host *hosts;
	size_t nhosts;
};

/*
 * Parses a fleet description (JSON, see fleets/README.md) into *f, all
 * hosts empty. Returns 0, -ENOMEM, or -EINVAL with err (if not NULL)
 * naming the problem. Free with cloud_fleet_free().
 */
int cloud_fleet_parse(const char *json, struct cloud_fleet *f, struct vmlab_err *err);

/* The embedded default fleet's JSON text (cloud_default.c). */
const char *cloud_fleet_default_json(void);

/* Releases what a fleet holds; f is left empty. */
void cloud_fleet_free(struct cloud_fleet *f);

/* Lookups by name: the index, or -1. */
long cloud_fleet_type(const struct cloud_fleet *f, const char *name);
long cloud_fleet_region(const struct cloud_fleet *f, const char *code);
long cloud_fleet_zone(const struct cloud_fleet *f, const char *name);
long cloud_fleet_host(const struct cloud_fleet *f, const char *name);

/* The price of type t in region r per hour, µ$. */
uint64_t cloud_fleet_price(const struct cloud_fleet *f, size_t t, size_t r);

/* What one instance of type t holds on a host. */
struct part_res cloud_fleet_want(const struct cloud_fleet *f, size_t t);

/* A host's free room: cap - used, or nothing if it has failed. */
struct part_res cloud_host_free(const struct cloud_host *h);

#endif /* CLOUD_FLEET_H */
