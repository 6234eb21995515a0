/*
 * fuzz_fleet: a fleet description (JSON, fleets/README.md) into
 * cloud_fleet_parse (lab 04). `cloud init --fleet FILE` reads a user's file.
 *
 * Checked: a refusal says why and leaves nothing to free; an accepted fleet
 * is consistent: every zone's region and every host's zone exist, the
 * zone and host ranges of regions and zones stay inside their arrays, and
 * names are NUL-terminated inside their fields.
 */
#include "fuzz_input.h"
#include "cloud_fleet.h"

static void check(const struct cloud_fleet *f)
{
	for (size_t i = 0; i < f->nregions; i++) {
		const struct cloud_region *r = &f->regions[i];

		FUZZ_ASSERT(r->zone0 <= f->nzones);
		FUZZ_ASSERT(r->nzones <= f->nzones - r->zone0);
		FUZZ_ASSERT(memchr(r->code, '\0', sizeof(r->code)));
	}
	for (size_t i = 0; i < f->nzones; i++) {
		const struct cloud_zone *z = &f->zones[i];

		FUZZ_ASSERT(z->region < f->nregions);
		FUZZ_ASSERT(z->host0 <= f->nhosts);
		FUZZ_ASSERT(z->nhosts <= f->nhosts - z->host0);
	}
	for (size_t i = 0; i < f->nhosts; i++) {
		FUZZ_ASSERT(f->hosts[i].zone < f->nzones);
		FUZZ_ASSERT(memchr(f->hosts[i].name, '\0',
				   sizeof(f->hosts[i].name)));
	}
	for (size_t i = 0; i < f->ntypes; i++)
		FUZZ_ASSERT(memchr(f->types[i].name, '\0',
				   sizeof(f->types[i].name)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *json = fuzz_cstr(data, size);
	struct cloud_fleet f;
	struct vmlab_err err = {0};

	memset(&f, 0, sizeof(f));
	if (cloud_fleet_parse(json, &f, &err) == 0)
		check(&f);
	else
		FUZZ_ASSERT(err.msg[0]);
	cloud_fleet_free(&f);
	free(json);
	return 0;
}
