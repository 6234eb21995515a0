/*
 * cli_vm: the commands behind real VMs (see cloud_vm.h): run --boot,
 * console, and what stop, terminate and describe do to a booted instance.
 *
 * Which hypervisor: $CLOUD_HV, vmm or qemu. Left unset: lab 03's vmm when
 * $CLOUD_VMM is set, or when lab 03's vmm is built and creates a VM on this
 * machine's /dev/kvm; QEMU otherwise (KVM where it works, else TCG).
 *   vmm   $CLOUD_VMM (default lab 03's build/vmm) runs $CLOUD_IMAGE
 *         (default lab 03's guest OS);
 *   qemu  $CLOUD_QEMU (default qemu-system-x86_64) runs $CLOUD_IMAGE
 *         (default this lab's build/guest/os.elf).
 * $CLOUD_VM_TIMEOUT, in seconds, bounds each VM's life (vmm --timeout;
 * QEMU's CPU time; default none).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cloud_vm.h"

#ifndef CLOUD_VMM
#define CLOUD_VMM "vmm"
#endif
#ifndef CLOUD_IMAGE
#define CLOUD_IMAGE "os.elf"
#endif
#ifndef CLOUD_QEMU
#define CLOUD_QEMU "qemu-system-x86_64"
#endif
#ifndef CLOUD_GUESTS
#define CLOUD_GUESTS "guest"
#endif

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && *v ? v : dflt;
}

/* 0, or the exit code with its message printed. */
static int boot_one(FILE *out, struct cloud_db *db, const struct cloud_inst *in,
		     const struct cloud_fleet *f, struct cloud_vm_spec *s)
{
	struct cloud_vm vm;
	long t = cloud_fleet_type(f, in->type);
	char user[256];
	int rc;

	snprintf(user, sizeof(user), "user data: you are %s, a %s in %s", in->id, in->type,
		 f->zones[in->zone].name);
	s->user_data = user;
	s->cpus = t < 0 ? 1 : f->types[t].vcpus;
	s->mem_mib = cloud_vm_mem_mib(in->want.mem);
	if ((rc = cloud_vm_boot(db, in->id, s)) == -ENOEXEC)
		return cli_fail_msg(EXIT_FAIL, "run --boot: cannot run %s: %s", s->vmm,
				    s->hv == CLOUD_VM_QEMU ? "install qemu-system-x86 or set $CLOUD_QEMU"
				    : "build lab 03 (make -C ../03-hypervisor) or set $CLOUD_VMM");
	if (rc)
		return cli_fail_msg(EXIT_FAIL, "run --boot: %s: %s", in->id, strerror(-rc));
	cloud_vm_get(db, in->id, &vm);
	fprintf(out, s->hv == CLOUD_VM_QEMU ? "%s  booted: pid %d  qemu -smp %u -m %uM  "
					      "(%.1f GiB -> %u MiB)  console %s\n"
					    : "%s  booted: pid %d  vmm run --cpus %u --mem %uM  "
					      "(%.1f GiB -> %u MiB)  console %s\n",
		in->id, (int)vm.pid, s->cpus, s->mem_mib, (double)in->want.mem / (1 << 30),
		s->mem_mib, vm.console);
	return 0;
}

/*
 * The hypervisor by $CLOUD_HV, or the first of lab 03's vmm (asked for
 * with $CLOUD_VMM, or built and able to create a VM here) and QEMU.
 * Fills s->hv, vmm and image. 0, or the exit code with its message printed.
 */
static int pick_hv(struct cloud_vm_spec *s)
{
	const char *hv = env_or("CLOUD_HV", "");

	if (!strcmp(hv, "vmm") || (!*hv && getenv("CLOUD_VMM") && *getenv("CLOUD_VMM")) ||
	    (!*hv && !access(CLOUD_VMM, X_OK) && !access(CLOUD_IMAGE, R_OK) &&
	     cloud_vm_kvm_usable(CLOUD_VMM))) {
		s->hv = CLOUD_VM_VMM;
		s->vmm = env_or("CLOUD_VMM", CLOUD_VMM);
		s->image = env_or("CLOUD_IMAGE", CLOUD_IMAGE);
		return 0;
	}
	if (*hv && strcmp(hv, "qemu"))
		return cli_fail_msg(EXIT_FAIL, "run --boot: $CLOUD_HV is vmm or qemu, not '%s'", hv);
	s->hv = CLOUD_VM_QEMU;
	s->vmm = env_or("CLOUD_QEMU", CLOUD_QEMU);
	s->image = env_or("CLOUD_IMAGE", CLOUD_GUESTS "/os.elf");
	if (access(s->image, R_OK))
		return cli_fail_msg(EXIT_FAIL, "run --boot: no %s: build this lab (make) or set "
				    "$CLOUD_IMAGE; the instances are recorded, not booted", s->image);
	return 0;
}

/*
 * Lab 03's vmm can boot here: 0; -1 if this machine cannot (said on stderr:
 * the instances stay recorded, exit 0); else the exit code with its
 * message printed.
 */
static int vmm_ready(const struct cloud_vm_spec *s)
{
	if (access(s->vmm, X_OK) || access(s->image, R_OK))
		return cli_fail_msg(EXIT_FAIL, "run --boot: no %s: build lab 03 (make -C "
				    "../03-hypervisor) or set $CLOUD_VMM and $CLOUD_IMAGE; the "
				    "instances are recorded, not booted",
				    access(s->vmm, X_OK) ? s->vmm : s->image);
	if (!cloud_vm_kvm_usable(s->vmm)) {
		fprintf(stderr, "cloud: run --boot: no usable /dev/kvm here (`%s probe` could "
				"not create a VM): the instances are recorded, not booted. "
				"Boot them on QEMU instead (CLOUD_HV=qemu).\n", s->vmm);
		return -1;
	}
	return 0;
}

/* The VMs' lines go to stdout, or to stderr when stdout carries JSON. */
int cli_boot(struct cloud_db *db, const struct cloud_insts *in, const struct cloud_fleet *f,
	      int json)
{
	FILE *out = json ? stderr : stdout;
	struct cloud_vm_spec s = {
		.timeout_s = (unsigned)atoi(env_or("CLOUD_VM_TIMEOUT", "0")),
	};
	int rc = pick_hv(&s);

	if (!rc && s.hv == CLOUD_VM_VMM)
		rc = vmm_ready(&s);
	if (rc)
		return rc < 0 ? 0 : rc;
	fprintf(out, "Booting %zu VM%s on %s: %u MiB of guest RAM stand for each GiB of the type\n",
	       in->n, in->n == 1 ? "" : "s", s.hv == CLOUD_VM_QEMU ? "QEMU" : "lab 03's vmm",
	       CLOUD_VM_MIB_PER_GIB);
	for (size_t i = 0; i < in->n && !rc; i++)
		rc = boot_one(out, db, &in->v[i], f, &s);
	return rc;
}

/* start: the instances that were booted before boot again. 0, or the
 * exit code with its message printed. */
int cli_vm_restart(struct cloud_db *db, const struct cloud_insts *in, int json)
{
	struct cloud_insts again = {calloc(in->n + 1, sizeof(*in->v)), 0};
	struct cloud_fleet f;
	struct cloud_vm vm;
	int rc = 0;

	if (!again.v)
		return cli_fail_msg(EXIT_FAIL, "start: %s", strerror(ENOMEM));
	for (size_t i = 0; i < in->n; i++)
		if (in->v[i].prev_state != CLOUD_RUNNING && in->v[i].prev_state != CLOUD_PENDING &&
		    cloud_vm_get(db, in->v[i].id, &vm) == 0 && !vm.alive)
			again.v[again.n++] = in->v[i];
	if (again.n && (rc = cloud_db_load(db, &f)))
		rc = cli_fail_msg(EXIT_FAIL, "load fleet: %s", strerror(-rc));
	else if (again.n) {
		rc = cli_boot(db, &again, &f, json);
		cloud_fleet_free(&f);
	}
	free(again.v);
	return rc;
}

int cli_console(struct cloud_db *db, const struct opts *o)
{
	struct cloud_vm vm;
	char buf[4096];
	size_t n;
	FILE *f;
	int rc;

	cli_allow(o, "console", "");
	if (o->nargs != 2)
		cli_die(EXIT_USAGE, "console: which instance? cloud console ID");
	if ((rc = cloud_vm_get(db, o->args[1], &vm)) == -ENOENT)
		cli_die(EXIT_NOTFOUND, "console: %s was never booted (cloud run ... --boot)",
			o->args[1]);
	if (rc)
		cli_report("console", rc, NULL);
	if (!(f = fopen(vm.console, "r")))
		cli_die(EXIT_FAIL, "fopen %s: %s", vm.console, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	return 0;
}

/* 0, or the exit code with its message printed. */
int cli_vm_end(struct cloud_db *db, char *const *ids, size_t n)
{
	int rc;

	for (size_t i = 0; i < n; i++)
		if ((rc = cloud_vm_end(db, ids[i])))
			return cli_fail_msg(EXIT_FAIL, "%s: its VM does not end: %s", ids[i],
					    strerror(-rc));
	return 0;
}

/* Running instances whose VM has ended are stopped, as when the guest
 * shuts itself down on EC2 (InstanceInitiatedShutdownBehavior=stop). */
void cli_vm_notice(struct cloud_db *db)
{
	struct cloud_insts in, ch;
	struct vmlab_err err = {0};
	int died;

	if (cloud_describe(db, NULL, 0, &in, &err))
		return;
	for (size_t i = 0; i < in.n; i++) {
		char *id = in.v[i].id;

		if (in.v[i].state != CLOUD_RUNNING || cloud_vm_check(db, id, &died) || !died)
			continue;
		fprintf(stderr, "cloud: %s: its VM has ended (cloud console %s): stopping the instance\n",
			id, id);
		if (!cloud_act(db, CLOUD_STOP, &id, 1, &ch, &err))
			cloud_insts_free(&ch);
	}
	cloud_insts_free(&in);
}
