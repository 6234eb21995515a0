/*
 * test_vm: instances as real VMs (cloud_vm), on QEMU: boot this lab's
 * instance OS (guest/os.c) with the type's vCPUs and read its console,
 * end a VM that keeps running, and notice one that dies on its own. QEMU
 * uses /dev/kvm where it works and TCG (its CPU emulator) where not, so
 * these run on any machine with qemu-system-x86_64, and run no code of
 * another lab (lab 03's vmm is a student's). The test process is a child
 * subreaper, so the VMs (daemons, nobody's child) come back to it to be
 * reaped and none is left as a zombie.
 */
#include "graded.h"
#include "cloud_vm.h"
#include "cloudtest.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

/* 1 if the program name runs: a path, or a name along $PATH. */
static int runnable(const char *prog)
{
	char cmd[700];

	snprintf(cmd, sizeof(cmd), "command -v '%s' >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

static void need_qemu(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (!runnable(CLOUD_QEMU))
		cr_skip_test("no %s here: apt install qemu-system-x86", CLOUD_QEMU);
}

/* Boots one m5.large (2 vCPUs, 8 GiB) in us-east-1 with guest; its id in id. */
static struct cloud_db *boot(const char *guest, unsigned timeout, char id[32])
{
	char image[PATH_MAX + 64];
	struct cloud_db *db = fresh("default");
	struct cloud_run_res r = run_in(db, "m5.large", "us-east-1", 1);
	struct cloud_vm_spec s = {
		.vmm = CLOUD_QEMU,
		.image = image,
		.cpus = 2,
		.mem_mib = cloud_vm_mem_mib(r.insts.v[0].want.mem),
		.timeout_s = timeout,
		.user_data = "user data: hello",
		.hv = CLOUD_VM_QEMU,
	};

	snprintf(image, sizeof(image), "%s", guest_file(guest));
	snprintf(id, 32, "%s", r.insts.v[0].id);
	cloud_run_res_free(&r);
	cr_assert_eq(cloud_vm_boot(db, id, &s), 0);
	return db;
}

/*
 * The test process is the VMs' subreaper: a VM's process that ends comes
 * back to it. Reaps what has ended; 1 once pid was among them (it then
 * is gone for sure, whatever cloud_vm_alive says).
 */
static int reaped(pid_t pid)
{
	static pid_t seen[16];
	static int n;
	pid_t r;

	while ((r = waitpid(-1, NULL, WNOHANG)) > 0)
		if (n < 16)
			seen[n++] = r;
	for (int i = 0; i < n; i++)
		if (seen[i] == pid)
			return 1;
	return 0;
}

/*
 * Waits for the VM to end by itself and reaps it; returns 1. No wall-clock
 * guess: the vmm's own --timeout ends a guest that never powers off, and the
 * test's timeout a vmm that hangs. A VM whose process this test has reaped
 * and that cloud_vm_get still calls alive fails at once.
 */
static int ends_by_itself(struct cloud_db *db, const char *id)
{
	struct timespec tick = {0, 20 * 1000 * 1000};
	struct cloud_vm vm;

	for (int gone = 0;; gone = reaped(vm.pid)) {
		cr_assert_eq(cloud_vm_get(db, id, &vm), 0);
		if (!vm.alive)
			return 1;
		cr_assert(!gone, "the VM's process (pid %d) has ended and been reaped, "
				 "but cloud_vm_get still says it is alive", (int)vm.pid);
		nanosleep(&tick, NULL);
	}
}

/* Waits until the console shows text: 1, or 0 if the VM ended or s seconds passed. */
static int console_says(const struct cloud_vm *vm, const char *text, int s)
{
	struct timespec tick = {0, 20 * 1000 * 1000};

	for (int i = 0; i < s * 50 && !reaped(vm->pid); i++) {
		char *log = slurp(vm->console);
		int found = strstr(log, text) != NULL;

		free(log);
		if (found)
			return 1;
		nanosleep(&tick, NULL);
	}
	return 0;
}

/* Sector 1 of the disk beside console (.disk for .console) into buf. */
static int reply(const char *console, char buf[512])
{
	char disk[600];
	FILE *f;
	int ok;

	snprintf(disk, sizeof(disk), "%.*s.disk", (int)(strlen(console) - strlen(".console")),
		 console);
	if (!(f = fopen(disk, "r")))
		return 0;
	ok = fseek(f, 512, SEEK_SET) == 0 && fread(buf, 1, 512, f) == 512;
	fclose(f);
	buf[511] = '\0';
	return ok;
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

/* Given code, checked so that the README's command lines stay true. */
GRADED(vm, command_lines_of_both_hypervisors, 0, "04.8 real VMs", 5)
{
	struct cloud_vm_spec s = {.vmm = "vmm", .image = "os.elf", .cpus = 2, .mem_mib = 64};
	struct cloud_vm_cmd c;
	char line[1024] = "";

	cr_assert_eq(cloud_vm_cmd(&s, "d.disk", &c), 0);
	for (char **a = c.argv; *a; a++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s", *line ? " " : "", *a);
	cr_assert_str_eq(line, "vmm run --cpus 2 --mem 64M --disk d.disk os.elf");
	s.hv = CLOUD_VM_QEMU;
	s.vmm = "qemu-system-x86_64";
	cr_assert_eq(cloud_vm_cmd(&s, "d.disk", &c), 0);
	*line = '\0';
	for (char **a = c.argv; *a; a++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s", *line ? " " : "", *a);
	cr_assert_str_eq(line, "qemu-system-x86_64 -nodefaults -display none -no-reboot -serial stdio "
			       "-smp 2 -m 64M -kernel os.elf -drive file=d.disk,format=raw,if=ide "
			       "-device isa-debug-exit,iobase=0xf4,iosize=0x04 -accel kvm "
			       "-accel tcg,tb-size=64");
	cr_assert_eq(cloud_vm_cmd(&s, "a,b.disk", &c), -EINVAL, "QEMU reads ',' as a separator");
}

GRADED(vm, boots_the_guest_os_with_the_types_vcpus, 2, "04.8 real VMs", 60)
{
	char id[32], *log, buf[512];
	struct cloud_vm vm;
	struct cloud_db *db;

	need_qemu();
	db = boot("os", 30, id);
	cr_assert_eq(cloud_vm_get(db, id, &vm), 0);
	cr_assert_gt(vm.pid, 0);
	cr_assert(ends_by_itself(db, id), "the guest OS reports and powers off");
	log = slurp(vm.console);
	cr_assert(strstr(log, "This machine is a virtual machine (QEMU): 2 vCPUs, 64 MiB RAM, "
			      "8 MiB disk"), "console:\n%s", log);
	cr_assert(strstr(log, "\"user data: hello\""), "the guest read its user data:\n%s", log);
	free(log);
	cr_assert(reply(vm.console, buf), "no reply in sector 1 of the disk");
	cr_assert(strstr(buf, "got it"), "sector 1: \"%s\"", buf);
	cloud_db_close(db);
}

GRADED(vm, end_stops_a_running_vm_and_reaps_it, 2, "04.8 real VMs", 60)
{
	char id[32];
	struct cloud_vm vm;
	struct cloud_db *db;

	need_qemu();
	db = boot("loop", 50, id); /* runs until stopped */
	cr_assert_eq(cloud_vm_get(db, id, &vm), 0);
	cr_assert(console_says(&vm, "running until stopped", 50), "the endless guest runs");
	cr_assert_eq(cloud_vm_boot(db, id, &(struct cloud_vm_spec){.vmm = CLOUD_QEMU,
			.image = guest_file("os"), .cpus = 1, .mem_mib = 4,
			.timeout_s = 5, .user_data = "", .hv = CLOUD_VM_QEMU}),
		     -EEXIST, "one VM per instance");
	cr_assert_eq(cloud_vm_end(db, id), 0);
	cr_assert_eq(kill(vm.pid, 0), -1, "no process, not even a zombie");
	cr_assert_eq(errno, ESRCH);
	cr_assert_eq(cloud_vm_get(db, id, &vm), 0);
	cr_assert_eq(vm.pid, 0, "the pid is forgotten");
	cr_assert_eq(cloud_vm_end(db, id), 0, "ending it again is no error");
	cloud_db_close(db);
}

GRADED(vm, a_vm_that_dies_is_noticed, 2, "04.8 real VMs", 60)
{
	char id[32], *log;
	struct cloud_vm vm;
	struct cloud_db *db;
	int died = -1;

	need_qemu();
	db = boot("crash", 30, id); /* an invalid opcode, no IDT: QEMU ends */
	cr_assert(ends_by_itself(db, id));
	cr_assert_eq(cloud_vm_get(db, id, &vm), 0);
	log = slurp(vm.console);
	cr_assert(strstr(log, "crashing guest"), "the guest ran before it died:\n%s", log);
	free(log);
	cr_assert_eq(cloud_vm_check(db, id, &died), 0);
	cr_assert_eq(died, 1);
	cr_assert_eq(cloud_vm_check(db, id, &died), 0);
	cr_assert_eq(died, 0, "noticed once");
	cloud_db_close(db);
}
