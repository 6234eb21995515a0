/*
 * lv_qemu.c: building the QEMU command line (see lv_qemu.h).
 *
 * Output channels are QEMU "file" character devices opened on /dev/fd/N:
 * QEMU writes each byte the guest sends to a serial port straight into a
 * pipe that labvm reads, so output streams live.
 */
#include "lv_qemu.h"

#include <stdio.h>

/*
 * console=ttyS0: the kernel's messages go to the first serial port.
 * quiet: only errors, each printed byte costs an emulated port write.
 * panic=-1: a panic reboots at once, and -no-reboot turns that into QEMU's exit.
 * cryptomgr.notests: skips the crypto self-tests, 0.3 s of a 2 s emulated boot.
 */
/*
 * no_timer_check: on a busy host the emulated CPU can lag so far behind
 * that the kernel's check of the IO-APIC timer fails and it panics
 * ("IO-APIC + timer doesn't work!", seen at a load of 29 on 2 CPUs).
 */
/*
 * rcupdate.rcu_expedited=1: creating a VM and ending it, in the guest's
 * KVM, each wait for RCU grace periods; expedited, they end at once. The
 * gain is time, not CPU (grader/README.md, labvm, "Speed").
 */
const char lv_qemu_append[] = "console=ttyS0 quiet panic=-1 cryptomgr.notests no_timer_check"
			      " rcupdate.rcu_expedited=1";
const char lv_qemu_append_plain[] = "console=ttyS0 quiet panic=-1";

static int add_serial_fd(struct lv_strs *a, int index, int fd)
{
	int rc = lv_strs_addf(a, "-chardev");

	rc = rc ? rc : lv_strs_addf(a, "file,id=ttyS%d,path=/dev/fd/%d", index, fd);
	rc = rc ? rc : lv_strs_add(a, "-serial");
	return rc ? rc : lv_strs_addf(a, "chardev:ttyS%d", index);
}

static int add_run_serials(const struct lv_machine *m, struct lv_strs *a)
{
	int rc = add_serial_fd(a, 0, m->console_fd);

	rc = rc ? rc : add_serial_fd(a, 1, m->stdout_fd);
	rc = rc ? rc : add_serial_fd(a, 2, m->stderr_fd);
	if (rc)
		return rc;
	if (!m->out_file) {
		rc = lv_strs_add(a, "-serial");
		return rc ? rc : lv_strs_add(a, "null");
	}
	rc = lv_strs_add(a, "-chardev");
	rc = rc ? rc : lv_strs_addf(a, "file,id=ttyS3,path=%s", m->out_file);
	rc = rc ? rc : lv_strs_add(a, "-serial");
	return rc ? rc : lv_strs_add(a, "chardev:ttyS3");
}

/* signal=off: Ctrl-C reaches the guest's shell instead of killing QEMU. */
static int add_shell_serials(struct lv_strs *a)
{
	static const char *const args[] = {
		"-chardev", "stdio,id=con,mux=on,signal=off",
		"-serial", "chardev:con",
		"-mon", "chardev=con,mode=readline",
		"-serial", "null", "-serial", "null", "-serial", "null",
	};
	int rc = 0;

	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]) && !rc; i++)
		rc = lv_strs_add(a, args[i]);
	return rc;
}

/* A path inside a QEMU option list, where a comma is written ",,". */
static int add_opt_path(struct lv_strs *a, const char *prefix, const char *path)
{
	char buf[8192];
	size_t n = 0;

	for (const char *p = path; *p && n + 3 < sizeof(buf); p++) {
		buf[n++] = *p;
		if (*p == ',')
			buf[n++] = ',';
	}
	buf[n] = '\0';
	return lv_strs_addf(a, "%s%s", prefix, buf);
}

/*
 * Saving: the monitor reads labvm's commands on stdin, and the saved state
 * leaves out the run state ("paused" by then), so that a restored machine
 * runs at once. Restoring: the state from incoming, the run by fw_cfg.
 */
static int add_snapshot(const struct lv_machine *m, struct lv_strs *a)
{
	int rc = 0;

	if (m->monitor) {
		rc = lv_strs_add(a, "-global");
		rc = rc ? rc : lv_strs_add(a, "migration.store-global-state=off");
		rc = rc ? rc : lv_strs_add(a, "-monitor");
		rc = rc ? rc : lv_strs_add(a, "stdio");
	}
	if (m->incoming) {
		rc = rc ? rc : lv_strs_add(a, "-incoming");
		rc = rc ? rc : lv_strs_add(a, m->incoming);
	}
	if (m->run_file) {
		rc = rc ? rc : lv_strs_add(a, "-fw_cfg");
		rc = rc ? rc : add_opt_path(a, "name=opt/labvm/run,file=", m->run_file);
	}
	return rc;
}

int lv_qemu_argv(const struct lv_machine *m, struct lv_strs *a)
{
	int kvm = m->accel == LV_ACCEL_KVM;
	int rc = lv_strs_add(a, m->qemu);

	/* No default devices (VGA, NIC, monitor): fewer devices, faster boot. */
	rc = rc ? rc : lv_strs_add(a, "-nodefaults");
	rc = rc ? rc : lv_strs_add(a, "-no-user-config");
	rc = rc ? rc : lv_strs_add(a, "-machine");
	rc = rc ? rc : lv_strs_add(a, "q35");
	/*
	 * thread=single: under TCG every vCPU runs on one host thread, in turn.
	 * With one thread per vCPU (QEMU's default, MTTCG), labvm's kernel froze
	 * dead, clock and all, in about one run in four of a nested-guest
	 * workload that one thread never froze (SECURITY.md, finding 8): a race
	 * in QEMU's SVM emulation. LABVM_TCG=multi brings the default back.
	 */
	rc = rc ? rc : lv_strs_add(a, "-accel");
	rc = rc ? rc : lv_strs_add(a, kvm ? "kvm" : m->tcg_multi ? "tcg,thread=multi"
							   : "tcg,thread=single");
	rc = rc ? rc : lv_strs_add(a, "-cpu");
	/* Under TCG, QEMU emulates AMD's SVM: the guest gets a real /dev/kvm. */
	rc = rc ? rc : lv_strs_add(a, kvm ? "host" : "qemu64,+svm");
	rc = rc ? rc : lv_strs_add(a, "-smp");
	rc = rc ? rc : lv_strs_addf(a, "%u", m->cpus);
	rc = rc ? rc : lv_strs_add(a, "-m");
	rc = rc ? rc : lv_strs_addf(a, "%luM", m->mem_mib);
	rc = rc ? rc : lv_strs_add(a, "-display");
	rc = rc ? rc : lv_strs_add(a, "none");
	rc = rc ? rc : lv_strs_add(a, "-no-reboot");
	/* qboot: a firmware that does only what -kernel needs (no option ROM scan, no boot menu). */
	if (m->firmware) {
		rc = rc ? rc : lv_strs_add(a, "-bios");
		rc = rc ? rc : lv_strs_add(a, m->firmware);
	}
	rc = rc ? rc : lv_strs_add(a, "-kernel");
	rc = rc ? rc : lv_strs_add(a, m->kernel);
	if (m->initrd) {
		rc = rc ? rc : lv_strs_add(a, "-initrd");
		rc = rc ? rc : lv_strs_add(a, m->initrd);
	}
	rc = rc ? rc : lv_strs_add(a, "-append");
	rc = rc ? rc : lv_strs_addf(a, "%s%s%s", m->plain ? lv_qemu_append_plain : lv_qemu_append,
				    m->append ? " " : "",
				    m->append ? m->append : "");
	rc = rc ? rc : add_snapshot(m, a);
	if (rc)
		return rc;
	return m->shell ? add_shell_serials(a) : add_run_serials(m, a);
}
