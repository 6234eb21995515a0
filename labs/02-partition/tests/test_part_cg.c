/*
 * test_part_cg: enforcement. The environment checks and the backing image
 * run here; the cgroup checks need cgroup v2 with every controller and root,
 * so they run inside labvm: tests/enforce/enforce.sh, one boot for all of
 * them, whose results the tests below read. The first test to need them
 * boots labvm (under a lock, so parallel tests share one boot); later ones
 * reuse build/enforce/results while it is newer than the programs.
 * The checks of the given plumbing (environment, image) carry 0 points:
 * students do not write it, so it earns nothing in the handout.
 */
#include "graded.h"
#include "part_cg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PART_LAB_DIR
#error "build with -DPART_LAB_DIR=\"/path/to/labs/02-partition\""
#endif
/* The build folder of this configuration (build/, build-san/: mk/lab.mk). */
#ifndef LAB_BUILD_DIR
#define LAB_BUILD_DIR PART_LAB_DIR "/build"
#endif
#define OUT LAB_BUILD_DIR "/enforce"
#define RESULTS OUT "/results"

GRADED(part_cg, refuses_without_root, 0, "02.4 enforce", 5)
{
	struct vmlab_err err;

	cr_assert_eq(part_cg_check(PART_CG_ROOT, 1000, NULL, &err), -EPERM);
	cr_assert(strstr(err.msg, "run it inside grader/labvm shell"), "%s", err.msg);
}

GRADED(part_cg, refuses_what_is_not_cgroup2, 0, "02.4 enforce", 5)
{
	struct vmlab_err err;

	cr_assert_eq(part_cg_check("/tmp", 0, NULL, &err), -ENOTSUP);
	cr_assert(strstr(err.msg, "/tmp is not a cgroup v2 hierarchy"), "%s", err.msg);
	cr_assert(strstr(err.msg, "grader/labvm shell"), "%s", err.msg);
}

GRADED(part_cg, backing_image_is_sparse, 0, "02.4 enforce", 5)
{
	struct part_plan pl = {.image_size = 64ULL << 30};
	struct vmlab_err err;
	struct stat st;

	snprintf(pl.image, sizeof(pl.image), "/tmp/part-image-%d.img", (int)getpid());
	cr_assert_eq(part_image_create(&pl, &err), 0, "%s", err.msg);
	cr_assert_eq(stat(pl.image, &st), 0);
	cr_assert_eq((unsigned long long)st.st_size, 64ULL << 30);
	cr_assert_lt(st.st_blocks, 8, "a sparse file holds no blocks yet");
	pl.image_size = 1 << 20; /* never shrinks an image that holds disks */
	cr_assert_eq(part_image_create(&pl, &err), 0, "%s", err.msg);
	cr_assert_eq(stat(pl.image, &st), 0);
	cr_assert_eq((unsigned long long)st.st_size, 64ULL << 30);
	unlink(pl.image);
}

/* An existing file that is not an image this plan could have made. */
GRADED(part_cg, image_never_grows_another_file, 0, "02.4 enforce", 5)
{
	struct part_plan pl = {.image_size = 2ULL << 30};
	struct vmlab_err err;
	struct stat st;
	char notes[200];
	FILE *f;

	snprintf(notes, sizeof(notes), "/tmp/notes-%d.txt", (int)getpid());
	cr_assert_not_null(f = fopen(notes, "w"));
	fputs("my notes, 32 bytes, not a disk.\n", f);
	fclose(f);
	snprintf(pl.image, sizeof(pl.image), "%s", notes);
	cr_assert_eq(part_image_create(&pl, &err), -EEXIST);
	cr_assert(strstr(err.msg, "never grows or overwrites"), "%s", err.msg);
	cr_assert_eq(stat(notes, &st), 0);
	cr_assert_eq(st.st_size, 32, "the file was left as it was");
	/* Nor through a symbolic link to it. */
	snprintf(pl.image, sizeof(pl.image), "%s.img", notes);
	cr_assert_eq(symlink(notes, pl.image), 0);
	cr_assert_eq(part_image_create(&pl, &err), -EEXIST, "%s", err.msg);
	cr_assert_eq(stat(notes, &st), 0);
	cr_assert_eq(st.st_size, 32, "the file was left as it was");
	unlink(pl.image);
	unlink(notes);
}

/* 1 if time A is not earlier than time B, to the nanosecond: a program
 * rebuilt in the same second as the results must count as newer. */
static int not_before(struct timespec a, struct timespec b)
{
	return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec >= b.tv_nsec);
}

/* 1 if RESULTS is newer than every program it tested. */
static int fresh(void)
{
	static const char *const deps[] = {
		LAB_BUILD_DIR "/partition", LAB_BUILD_DIR "/tests/hog",
		PART_LAB_DIR "/tests/enforce/enforce.sh"};
	struct stat r, d;

	if (stat(RESULTS, &r) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(deps) / sizeof(deps[0]); i++)
		if (stat(deps[i], &d) < 0 || not_before(d.st_mtim, r.st_mtim))
			return 0;
	return 1;
}

/* Boots labvm once for all the checks; returns 0 or labvm's exit status. */
static int run_labvm(void)
{
	static const char cmd[] =
		"'" PART_LAB_DIR "/../../grader/labvm' run --cpus 2 --mem 512M --timeout 180"
		" --in '" LAB_BUILD_DIR "/partition' --in '" LAB_BUILD_DIR "/tests/hog'"
		" --in '" PART_LAB_DIR "/tests/enforce/enforce.sh' --out '" OUT "'"
		" -- /bin/sh '" PART_LAB_DIR "/tests/enforce/enforce.sh' '" PART_LAB_DIR "'"
		" '" LAB_BUILD_DIR "'"
		" >'" OUT "/labvm.log' 2>&1";
	int fd, rc;

	mkdir(OUT, 0755);
	if ((fd = open(OUT "/.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0644)) < 0)
		return -1;
	flock(fd, LOCK_EX);
	rc = fresh() ? 0 : system(cmd);
	close(fd);
	return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

/* Asserts that check name passed inside labvm; prints its detail. */
static void expect(const char *name)
{
	int rc = run_labvm();
	char line[1024], *detail = NULL;
	FILE *f;

	/* What this machine lacks is skipped with the reason (labvm exit 120). */
	if (rc == 120)
		cr_skip_test("labvm is not ready here: run 'make labvm' (see build/enforce/labvm.log)");
	cr_assert_eq(rc, 0, "labvm exited %d (see build/enforce/labvm.log)", rc);
	cr_assert_not_null(f = fopen(RESULTS, "r"), "no " RESULTS);
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(name);

		if (!strncmp(line, name, n) && line[n] == ' ') {
			detail = line + n + 1;
			break;
		}
	}
	fclose(f);
	cr_assert_not_null(detail, "%s: no result (see build/enforce/labvm.log)", name);
	cr_assert(!strncmp(detail, "PASS ", 5), "%s: %s", name, detail);
}

GRADED(part_cg, apply_sets_limits, 2, "02.4 enforce", 240) { expect("apply_sets_limits"); }
GRADED(part_cg, memory_hog_killed_at_max, 3, "02.4 enforce", 240) { expect("memory_hog_killed_at_max"); }
GRADED(part_cg, cpu_confined_to_cpuset, 3, "02.4 enforce", 240) { expect("cpu_confined_to_cpuset"); }
GRADED(part_cg, pids_max_limits_forks, 1, "02.4 enforce", 240) { expect("pids_max_limits_forks"); }
GRADED(part_cg, reapply_converges, 2, "02.4 enforce", 240) { expect("reapply_converges"); }
GRADED(part_cg, destroy_converges, 2, "02.4 enforce", 240) { expect("destroy_converges"); }
GRADED(part_cg, cpu_max_throttles_shared, 2, "02.4 enforce", 240) { expect("cpu_max_throttles_shared"); }
GRADED(part_cg, wrong_machine_leaves_nothing, 1, "02.4 enforce", 240) { expect("wrong_machine_leaves_nothing"); }
GRADED(part_cg, exec_needs_apply, 1, "02.4 enforce", 240) { expect("exec_needs_apply"); }
GRADED(part_cg, detects_the_host, 1, "02.4 enforce", 240) { expect("detects_the_host"); }
