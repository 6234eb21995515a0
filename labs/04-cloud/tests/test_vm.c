/*
 * test_vm: instances as real VMs (cloud_vm): boot lab 03's guest OS with
 * the type's vCPUs, read its console, end a VM that keeps running, and
 * notice one that dies on its own. These need a /dev/kvm that works: here
 * when the host has one, else `make test-labvm` runs them inside labvm.
 * The test process is a child subreaper, so the VMs (daemons, nobody's
 * child) come back to it to be reaped and none is left as a zombie.
 */
#include "graded.h"
#include "cloud_vm.h"
#include "cloudtest.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

static void need_kvm(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (access(CLOUD_VMM, X_OK))
		cr_skip_test("no %s: build lab 03 (make -C ../03-hypervisor)", CLOUD_VMM);
	if (!cloud_vm_kvm_usable(CLOUD_VMM))
		cr_skip_test("no usable /dev/kvm here: make test-labvm runs these in labvm");
}

/* Boots one m5.large (2 vCPUs, 8 GiB) in us-east-1 with image; its id in id. */
static struct cloud_db *boot(const char *image, unsigned timeout, char id[32])
{
	struct cloud_db *db = fresh("default");
	struct cloud_run_res r = run_in(db, "m5.large", "us-east-1", 1);
	struct cloud_vm_spec s = {CLOUD_VMM, image, 2, cloud_vm_mem_mib(r.insts.v[0].want.mem),
				  timeout, "user data: hello"};

	snprintf(id, 32, "%s", r.insts.v[0].id);
	cloud_run_res_free(&r);
	cr_assert_eq(cloud_vm_boot(db, id, &s), 0);
	return db;
}

/*
 * Waits for the VM to end by itself and reaps it; returns 1. No wall-clock
 * guess: the vmm's own --timeout ends a guest that never powers off, and the
 * test's timeout a vmm that hangs.
 */
static int ends_by_itself(struct cloud_db *db, const char *id)
{
	struct timespec tick = {0, 20 * 1000 * 1000};
	struct cloud_vm vm;

	for (;;) {
		cr_assert_eq(cloud_vm_get(db, id, &vm), 0);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (!vm.alive)
			return 1;
		nanosleep(&tick, NULL);
	}
}

GRADED(vm, memory_scales_gib_to_mib, 1, "04.8 real VMs", 5)
{
	cr_assert_eq(cloud_vm_mem_mib(8ull << 30), 64);
	cr_assert_eq(cloud_vm_mem_mib(1ull << 29), CLOUD_VM_MIB_MIN);
	cr_assert_eq(cloud_vm_mem_mib(768ull << 30), CLOUD_VM_MIB_MAX);
}

GRADED(vm, a_reused_pid_is_not_the_vm, 1, "04.8 real VMs", 5)
{
	cr_assert(cloud_vm_alive(getpid(), 0) == 0, "start time 0 is not this process's");
	cr_assert(cloud_vm_alive(0, 0) == 0);
}

GRADED(vm, boots_the_guest_os_with_the_types_vcpus, 2, "04.8 real VMs", 20)
{
	char id[32], *log;
	struct cloud_vm vm;
	struct cloud_db *db;

	need_kvm();
	db = boot(CLOUD_IMAGE, 10, id);
	cr_assert_eq(cloud_vm_get(db, id, &vm), 0);
	cr_assert_gt(vm.pid, 0);
	cr_assert(ends_by_itself(db, id), "the guest OS reports and powers off");
	log = slurp(vm.console);
	cr_assert(strstr(log, "This machine is a virtual machine (vmlab): 2 vCPUs, 64 MiB RAM, "
			      "8 MiB disk"), "console:\n%s", log);
	cr_assert(strstr(log, "\"user data: hello\""), "the guest read its user data:\n%s", log);
	free(log);
	cloud_db_close(db);
}

GRADED(vm, end_stops_a_running_vm_and_reaps_it, 2, "04.8 real VMs", 20)
{
	char id[32];
	struct cloud_vm vm;
	struct cloud_db *db;

	need_kvm();
	db = boot(CLOUD_GUESTS "/bad/loop.elf", 15, id); /* runs until stopped */
	cr_assert_eq(cloud_vm_get(db, id, &vm), 0);
	cr_assert(vm.alive, "an endless guest is running");
	cr_assert_eq(cloud_vm_boot(db, id, &(struct cloud_vm_spec){CLOUD_VMM, CLOUD_IMAGE, 1, 4, 5, ""}),
		     -EEXIST, "one VM per instance");
	cr_assert_eq(cloud_vm_end(db, id), 0);
	cr_assert_eq(kill(vm.pid, 0), -1, "no process, not even a zombie");
	cr_assert_eq(errno, ESRCH);
	cr_assert_eq(cloud_vm_get(db, id, &vm), 0);
	cr_assert_eq(vm.pid, 0, "the pid is forgotten");
	cr_assert_eq(cloud_vm_end(db, id), 0, "ending it again is no error");
	cloud_db_close(db);
}

GRADED(vm, a_vm_that_dies_is_noticed, 2, "04.8 real VMs", 20)
{
	char id[32];
	struct cloud_db *db;
	int died = -1;

	need_kvm();
	db = boot(CLOUD_GUESTS "/bad/ud.elf", 10, id); /* an invalid opcode: vmm ends */
	cr_assert(ends_by_itself(db, id));
	cr_assert_eq(cloud_vm_check(db, id, &died), 0);
	cr_assert_eq(died, 1);
	cr_assert_eq(cloud_vm_check(db, id, &died), 0);
	cr_assert_eq(died, 0, "noticed once");
	cloud_db_close(db);
}
