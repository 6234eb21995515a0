/*
 * test_hidden_vm: instructor-only checks of real VMs (stage 04.8): a pid
 * that now names another process is not the VM (an endless guest under
 * QEMU), and a VM that ignores SIGTERM still ends, by SIGKILL after the
 * grace period.
 */
#include "graded.h"
#include "cloud_vm.h"
#include "../cloudtest.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static struct cloud_db *boot_loop(char id[32], struct cloud_vm *vm)
{
	struct cloud_db *db;
	struct cloud_run_res r;
	struct cloud_vm_spec s = {.vmm = CLOUD_QEMU, .image = guest_file("loop"),
				  .cpus = 1, .mem_mib = 4, .timeout_s = 30, .user_data = "",
				  .hv = CLOUD_VM_QEMU};

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (system("command -v '" CLOUD_QEMU "' >/dev/null 2>&1"))
		cr_skip_test("no %s here: apt install qemu-system-x86", CLOUD_QEMU);
	db = fresh("default");
	r = run_in(db, "t3.nano", "us-east-1", 1);
	snprintf(id, 32, "%s", r.insts.v[0].id);
	cloud_run_res_free(&r);
	cr_assert_eq(cloud_vm_boot(db, id, &s), 0);
	cr_assert_eq(cloud_vm_get(db, id, vm), 0);
	cr_assert(vm->alive);
	return db;
}

GRADED_HIDDEN(hidden_vm, a_pid_with_another_start_time_is_not_the_vm, 2, "04.8 real VMs", 20)
{
	char id[32], sql[200];
	struct cloud_vm vm, again;
	struct cloud_db *db = boot_loop(id, &vm);
	int died = 0;

	/* As if the VM had ended and its pid gone to a newer process. */
	snprintf(sql, sizeof(sql), "UPDATE vm SET start = start + 1 WHERE instance = '%s'", id);
	cr_assert_eq(cloud_db_exec(db, sql), 0);
	cr_assert_eq(cloud_vm_get(db, id, &again), 0);
	cr_assert_not(again.alive, "same pid, another start time: not the VM");
	cr_assert_eq(cloud_vm_check(db, id, &died), 0);
	cr_assert_eq(died, 1);
	kill(vm.pid, SIGKILL);
	waitpid(vm.pid, NULL, 0);
	cloud_db_close(db);
}

GRADED_HIDDEN(hidden_vm, sigkill_when_sigterm_is_ignored, 1, "04.8 real VMs", 20)
{
	struct cloud_db *db = fresh("default");
	struct cloud_run_res r = run_in(db, "t3.nano", "us-east-1", 1);
	char vmm[PATH_MAX + 64], ready[PATH_MAX + 80];
	struct cloud_vm_spec s = {vmm, "/dev/null", 1, 4, 0, "", CLOUD_VM_VMM};
	struct cloud_vm vm;
	FILE *f;

	/* Not a VM: a stand-in for a vmm that ignores SIGTERM (no KVM needed). */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	snprintf(vmm, sizeof(vmm), "%s/stubborn-%d.sh", scratch_dir(), (int)getpid());
	snprintf(ready, sizeof(ready), "%s.ready", vmm);
	unlink(ready);
	cr_assert((f = fopen(vmm, "w")));
	/* It says when its trap is set: the test waits for that, not for a guess. */
	fprintf(f, "#!/bin/sh\ntrap '' TERM\n: >'%s'\nexec sleep 30\n", ready);
	fclose(f);
	chmod(vmm, 0755);
	cr_assert_eq(cloud_vm_boot(db, r.insts.v[0].id, &s), 0);
	cr_assert_eq(cloud_vm_get(db, r.insts.v[0].id, &vm), 0);
	while (access(ready, F_OK) != 0) {
		cr_assert_eq(kill(vm.pid, 0), 0, "the stand-in vmm ended before setting its trap");
		usleep(10 * 1000);
	}
	cr_assert_eq(cloud_vm_end(db, r.insts.v[0].id), 0);
	cr_assert_eq(kill(vm.pid, 0), -1, "SIGKILL after the grace period: nothing left");
	unlink(vmm);
	unlink(ready);
	cloud_run_res_free(&r);
	cloud_db_close(db);
}
