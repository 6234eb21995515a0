/*
 * cloud_acct: the accounts, both sides of them, and the books' invariants.
 *
 *   the user's bill   per instance: seconds running, seconds billed (the
 *                     60-second minimum per start), cost at its price;
 *   the provider's    per host: what its tenants paid, what it cost to
 *                     keep powered since the fleet went into service, and
 *                     its utilization (vCPU-seconds sold / vCPU-seconds
 *                     owned): the number that makes sharing pay;
 *   the invariants    what must hold after any sequence of commands, even
 *                     ones killed half-way (the crash test checks them).
 */
#ifndef CLOUD_ACCT_H
#define CLOUD_ACCT_H

#include "cloud_inst.h"

struct cloud_bill_line {
	char id[CLOUD_ID_MAX], type[CLOUD_NAME_MAX];
	size_t region;
	int state;
	uint64_t uusd;    /* price per hour, µ$ */
	unsigned periods; /* times it started running */
	int64_t run_s;    /* seconds it ran */
	int64_t billed_s; /* seconds charged: run_s with each start's minimum */
	uint64_t cost;    /* µ$ */
};

struct cloud_bill {
	struct cloud_bill_line *v;
	size_t n;
	uint64_t total; /* µ$ */
	int64_t now;
};

/* The user's bill up to now, every instance ever launched. */
int cloud_acct_bill(struct cloud_db *db, struct cloud_bill *out,
		    struct vmlab_err *err);
void cloud_bill_free(struct cloud_bill *b);

struct cloud_host_acct {
	size_t ninst;     /* instances holding it now */
	uint64_t revenue; /* µ$ its tenants were billed */
	uint64_t cost;    /* µ$ it cost since the epoch */
	double util;      /* vCPU-seconds sold / owned since the epoch */
};

struct cloud_provider {
	struct cloud_fleet f; /* with each host's current allocation */
	struct cloud_host_acct *hosts;
	int64_t now, elapsed; /* elapsed: seconds since the epoch */
	uint64_t revenue, cost;
};

/* The provider's accounts, host by host. */
int cloud_acct_provider(struct cloud_db *db, struct cloud_provider *out,
			struct vmlab_err *err);
void cloud_provider_free(struct cloud_provider *p);

/*
 * Checks the invariants: every instance that holds capacity is on exactly
 * one existing host of its own zone, and only those do; every host's usage
 * is the sum of its instances' and within its capacity; every running
 * instance has one open billing period. Returns 0, -EUCLEAN with the first
 * broken one described in err (if not NULL), or another -errno.
 */
int cloud_acct_check(struct cloud_db *db, struct vmlab_err *err);

#endif /* CLOUD_ACCT_H */
