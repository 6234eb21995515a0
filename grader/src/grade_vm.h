/*
 * grade_vm.h: grade a lab inside labvm when this machine's /dev/kvm is not
 * usable (grader/labvm: a QEMU machine with a real /dev/kvm).
 *
 * One boot for the whole lab: the lab's built folder and this grader go in,
 * `grade --run-built LAB --outcomes FILE` runs there, the outcome file comes
 * back out and fills the rubric, which was read on the host.
 */
#ifndef GRADER_GRADE_VM_H
#define GRADER_GRADE_VM_H

#include "grade_lab.h"
#include "vmlab_err.h"

/* Run l's tests in labvm, in two steps, so that the host's own tests run
 * while labvm grades: grade_vm_start starts labvm on l's rubric (its tests' limits
 * stretched by `stretch`, grade_time_scale) and returns at once;
 * grade_vm_finish waits for it (its whole budget at most) and fills l's
 * rubric: outcomes, or every test failed with l->problem saying why. l
 * must hold the same rubric for both. Each returns 0 or -errno; finish
 * frees the job (a NULL job: start ran out of memory). */
struct grade_vm_job;
int grade_vm_start(struct grade_lab *l, const char *grader_dir, const char *tmp,
		   double stretch, struct grade_vm_job **job);
int grade_vm_finish(struct grade_lab *l, struct grade_vm_job *job);
/* The other side, inside labvm (grade --run-built): lab_dir is built and
 * its program is prog (lab-relative); run every test (only those of the
 * test binaries named in `only`, space-separated, of stages up to
 * `stage` and of the stages `only_stages` lists, when not NULL), one run
 * per test binary, and write the
 * outcomes to `outcomes`. 0, or -errno with err (NULL: only the code)
 * saying why when there is a reason (its msg is empty otherwise). */
int grade_vm_inside(const char *lab_dir, const char *prog, const char *only,
		    const char *stage, const char *only_stages, const char *outcomes,
		    const char *tmp, struct vmlab_err *err);

#endif /* GRADER_GRADE_VM_H */
