/*
 * grade_pool.h: a lab's tests, several at once.
 *
 *   grader ──fork──> worker ──> grade_run_test: the test in its own jail
 *     ^                 │
 *     └── one line of JSON: the test's outcome (grade_report.h)
 *
 * One worker per test, at most `jobs` at a time, each the next test as a
 * slot frees up. A worker is a copy of the grader that runs one test and
 * exits; only the grader writes outcomes into the rubric, in rubric order
 * whatever order the tests end in. Each jail starts from a process of its
 * own, so the jails' pid numbers (grade_ns.c, unique_pids) stay apart.
 *
 * Tests run at once only where they cannot reach one another: each in its
 * own pid, network, mount and user namespace (grade_jail_apart), its own
 * overlay of the lab and its own folder. Elsewhere, and for labs whose
 * tests share one overlay (GRADE_NEEDS labvm: labvm's results are kept
 * between tests), grade_lab_run runs them one after another.
 */
#ifndef GRADER_GRADE_POOL_H
#define GRADER_GRADE_POOL_H

#include "grade_lab.h"
#include "grade_run.h"

/* How many tests at once by default: two per CPU this process may use,
 * at most 8. A test spends much of its time waiting (loading Criterion,
 * fsync, a VM's grace period), and jails share the CPUs jail by jail
 * (grade_ns.c, fair_share), so a busy test cannot starve the others. */
int grade_pool_default_jobs(void);
/* Run every test of l (built) with c, jobs at a time; cb, when not NULL,
 * as each test starts. Every test ends with ran set. 0, or -errno when
 * the grader failed (a worker could not start, or died without an
 * outcome: that test is failed with the reason). */
int grade_pool_run(struct grade_lab *l, const struct grade_ctx *c, int jobs,
		   grade_progress *cb, void *arg);

#endif /* GRADER_GRADE_POOL_H */
