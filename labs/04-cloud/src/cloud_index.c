/*
 * cloud_index: a bounded search tree for placement (see cloud_index.h).
 *
 * Leaves sit at [size, 2 * size) of an implicit binary tree, node k has
 * children 2k and 2k+1. Every node keeps, over its subtree: the most free
 * CPU and memory (a request that exceeds either fits nowhere below), the
 * largest and smallest mean share free, and the largest and smallest
 * capacities. From these a node gives a bound on the best score any host
 * below can reach under a policy; the search prunes on it. Scores of real
 * hosts come from cloud_fit_score() itself, so the index and the scan agree.
 * Requests usually come from a catalog: each node also keeps one bit per
 * catalog entry (a class), set when that class fits on some host below, so
 * a search for a class never enters a subtree where it cannot land; the
 * per-resource maxima alone cannot tell "8 vCPUs free here, 32 GiB there"
 * from "both on one host". Only CPU and memory are indexed.
 */
#include "cloud_index.h"

#include <stdlib.h>

struct node {
	uint64_t fits;                    /* bit c: class c fits on some host below */
	uint64_t max_cpu, max_mem;        /* most free room below */
	double max_share, min_share;      /* mean share free, over hosts below */
	double min_inv_cpu, min_inv_mem;  /* 1 / capacity: smallest and largest */
	double max_inv_cpu, max_inv_mem;  /* (multiplying beats dividing) */
};

struct cloud_index {
	size_t n, size;
	struct part_res classes[CLOUD_INDEX_CLASSES];
	size_t nclasses;
	struct part_res *cap, *free;
	struct node *t;
};

#define SLACK 1e-12 /* rounding between a bound and a score */

static double share(const struct part_res *free, const struct part_res *cap)
{
	double s = 0;
	int k = 0;

	if (cap->cpu_milli) {
		s += (double)free->cpu_milli / (double)cap->cpu_milli;
		k++;
	}
	if (cap->mem) {
		s += (double)free->mem / (double)cap->mem;
		k++;
	}
	return k ? s / k : 0;
}

static void leaf(struct cloud_index *ix, size_t i)
{
	struct node *nd = &ix->t[ix->size + i];
	const struct part_res *c = &ix->cap[i], *f = &ix->free[i];

	nd->fits = 0;
	for (size_t k = 0; k < ix->nclasses; k++)
		if (cloud_fit_room(f, &ix->classes[k]))
			nd->fits |= 1ULL << k;
	nd->max_cpu = f->cpu_milli;
	nd->max_mem = f->mem;
	nd->max_share = nd->min_share = share(f, c);
	nd->min_inv_cpu = nd->max_inv_cpu = c->cpu_milli ? 1.0 / (double)c->cpu_milli : 0;
	nd->min_inv_mem = nd->max_inv_mem = c->mem ? 1.0 / (double)c->mem : 0;
}

static double dmax(double a, double b) { return a > b ? a : b; }
static double dmin(double a, double b) { return a < b ? a : b; }

static void pull(struct cloud_index *ix, size_t k)
{
	const struct node *l = &ix->t[2 * k], *r = &ix->t[2 * k + 1];
	struct node *nd = &ix->t[k];

	nd->fits = l->fits | r->fits;
	nd->max_cpu = l->max_cpu > r->max_cpu ? l->max_cpu : r->max_cpu;
	nd->max_mem = l->max_mem > r->max_mem ? l->max_mem : r->max_mem;
	nd->max_share = dmax(l->max_share, r->max_share);
	nd->min_share = dmin(l->min_share, r->min_share);
	nd->min_inv_cpu = dmin(l->min_inv_cpu, r->min_inv_cpu);
	nd->min_inv_mem = dmin(l->min_inv_mem, r->min_inv_mem);
	nd->max_inv_cpu = dmax(l->max_inv_cpu, r->max_inv_cpu);
	nd->max_inv_mem = dmax(l->max_inv_mem, r->max_inv_mem);
}

struct cloud_index *cloud_index_new(const struct part_res *cap,
				    const struct part_res *free, size_t n,
				    const struct part_res *classes, size_t nclasses)
{
	struct cloud_index *ix = calloc(1, sizeof(*ix));
	size_t size = 1;

	if (ix) {
		ix->nclasses = nclasses < CLOUD_INDEX_CLASSES ? nclasses : CLOUD_INDEX_CLASSES;
		for (size_t k = 0; k < ix->nclasses; k++)
			ix->classes[k] = classes[k];
	}
	while (size < n)
		size *= 2;
	if (!ix || !(ix->cap = malloc(n * sizeof(*cap) + 1)) ||
	    !(ix->free = malloc(n * sizeof(*free) + 1)) ||
	    !(ix->t = calloc(2 * size, sizeof(*ix->t)))) {
		cloud_index_free(ix);
		return NULL;
	}
	ix->n = n;
	ix->size = size;
	for (size_t i = 0; i < n; i++) {
		ix->cap[i] = cap[i];
		ix->free[i] = free[i];
		leaf(ix, i);
	}
	/* Padding leaves: fit nothing, bound nothing. */
	for (size_t i = n; i < size; i++)
		ix->t[size + i] = (struct node){0, 0, 0, -1e300, 1e300, 1e300, 1e300, 0, 0};
	for (size_t k = size - 1; k >= 1; k--)
		pull(ix, k);
	return ix;
}

void cloud_index_free(struct cloud_index *ix)
{
	if (ix) {
		free(ix->cap);
		free(ix->free);
		free(ix->t);
		free(ix);
	}
}

void cloud_index_set(struct cloud_index *ix, size_t i, const struct part_res *free)
{
	ix->free[i] = *free;
	leaf(ix, i);
	for (size_t k = (ix->size + i) / 2; k >= 1; k /= 2)
		pull(ix, k);
}

struct part_res cloud_index_get(const struct cloud_index *ix, size_t i)
{
	return ix->free[i];
}

struct search {
	enum part_policy p;
	const struct part_res *want;
	double half_cpu, half_mem; /* want / 2: the mean's halves */
	uint64_t bit; /* the want's class bit, or 0 if it has none */
	long best;
	double best_score;
};

/* A lower bound on the score of any host below nd (lower is better). */
static double bound(const struct node *nd, const struct search *s)
{
	switch (s->p) {
	case PART_BEST_FIT: /* share left = share free - share wanted */
		return nd->min_share - (s->half_cpu * nd->max_inv_cpu +
					s->half_mem * nd->max_inv_mem);
	case PART_WORST_FIT: /* minus the share left */
		return s->half_cpu * nd->min_inv_cpu + s->half_mem * nd->min_inv_mem -
		       nd->max_share;
	default:
		return 0;
	}
}

static int fits_below(const struct node *nd, const struct search *s)
{
	if (s->bit)
		return (nd->fits & s->bit) != 0;
	return nd->max_cpu >= s->want->cpu_milli && nd->max_mem >= s->want->mem;
}

static void visit_leaf(const struct cloud_index *ix, size_t i, struct search *s)
{
	if (i >= ix->n || !cloud_fit_room(&ix->free[i], s->want))
		return;
	double score = cloud_fit_score(s->p, &ix->free[i], &ix->cap[i], s->want);
	if (s->best < 0 || score < s->best_score ||
	    (score == s->best_score && (long)i < s->best)) {
		s->best = (long)i;
		s->best_score = score;
	}
}

/*
 * Searches below node k, whose bound is b. A subtree is skipped if the
 * request fits nowhere in it, or if it cannot hold a host better than the
 * best so far (an equally good one is not worth the visit: among equal
 * scores the index returns the first it finds). Worst-fit visits the child
 * with the better bound first, so the emptiest host is found early and
 * prunes the rest; best-fit and first-fit go left to right: full hosts are
 * cut off by the fit bits, and the first fitting hosts are usually the
 * tightest.
 */
static void search(const struct cloud_index *ix, size_t k, double b, struct search *s)
{
	if (!fits_below(&ix->t[k], s) || (s->best >= 0 && b >= s->best_score - SLACK))
		return;
	if (k >= ix->size) {
		visit_leaf(ix, k - ix->size, s);
		return;
	}
	double bl = bound(&ix->t[2 * k], s), br = bound(&ix->t[2 * k + 1], s);
	if (s->p == PART_WORST_FIT && br < bl) {
		search(ix, 2 * k + 1, br, s);
		search(ix, 2 * k, bl, s);
	} else {
		search(ix, 2 * k, bl, s);
		search(ix, 2 * k + 1, br, s);
	}
}

long cloud_index_choose(const struct cloud_index *ix, enum part_policy p,
			const struct part_res *want)
{
	struct search s = {p, want, (double)want->cpu_milli / 2, (double)want->mem / 2, 0, -1, 0};

	for (size_t k = 0; k < ix->nclasses; k++)
		if (ix->classes[k].cpu_milli == want->cpu_milli &&
		    ix->classes[k].mem == want->mem && ix->classes[k].disk == want->disk)
			s.bit = 1ULL << k;
	if (ix->n)
		search(ix, 1, bound(&ix->t[1], &s), &s);
	return s.best;
}
