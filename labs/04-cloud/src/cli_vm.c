/*
 * cli_vm: the commands behind real VMs (see cloud_vm.h): run --boot,
 * console, and what stop, terminate and describe do to a booted instance.
 *
 * Where the VMs come from: $CLOUD_VMM (default lab 03's build/vmm) runs
 * $CLOUD_IMAGE (default lab 03's guest OS); $CLOUD_VM_TIMEOUT, in seconds,
 * bounds each VM's life (vmm --timeout; default none).
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
		return cli_fail_msg(EXIT_FAIL, "run --boot: cannot run %s: build lab 03 (make -C "
				    "../03-hypervisor) or set $CLOUD_VMM", s->vmm);
	if (rc)
		return cli_fail_msg(EXIT_FAIL, "run --boot: %s: %s", in->id, strerror(-rc));
	cloud_vm_get(db, in->id, &vm);
	fprintf(out, "%s  booted: pid %d  vmm run --cpus %u --mem %uM  (%.1f GiB -> %u MiB)  "
	       "console %s\n", in->id, (int)vm.pid, s->cpus, s->mem_mib,
	       (double)in->want.mem / (1 << 30), s->mem_mib, vm.console);
	return 0;
}

/* The VMs' lines go to stdout, or to stderr when stdout carries JSON. */
int cli_boot(struct cloud_db *db, const struct cloud_insts *in, const struct cloud_fleet *f,
	      int json)
{
	FILE *out = json ? stderr : stdout;
	struct cloud_vm_spec s = {
		.vmm = env_or("CLOUD_VMM", CLOUD_VMM),
		.image = env_or("CLOUD_IMAGE", CLOUD_IMAGE),
		.timeout_s = (unsigned)atoi(env_or("CLOUD_VM_TIMEOUT", "0")),
	};

	int rc = 0;

	if (access(s.vmm, X_OK) || access(s.image, R_OK))
		return cli_fail_msg(EXIT_FAIL, "run --boot: no %s: build lab 03 (make -C "
				    "../03-hypervisor) or set $CLOUD_VMM and $CLOUD_IMAGE; the "
				    "instances are recorded, not booted",
				    access(s.vmm, X_OK) ? s.vmm : s.image);
	if (!cloud_vm_kvm_usable(s.vmm)) {
		fprintf(stderr, "cloud: run --boot: no usable /dev/kvm here (`%s probe` could "
				"not create a VM): the instances are recorded, not booted. "
				"Run inside labvm (grader/labvm run) to boot them.\n", s.vmm);
		return 0;
	}
	fprintf(out, "Booting %zu VM%s: %u MiB of guest RAM stand for each GiB of the type\n",
	       in->n, in->n == 1 ? "" : "s", CLOUD_VM_MIB_PER_GIB);
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
	struct cloud_err err = {0};
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
