/*
 * test_hostile: guests that hand vmm addresses outside their RAM
 * (guest/bad/hostile.c, one build per case). Every address a guest gives
 * the VMM must be checked against guest RAM before it is followed: far
 * past it, wrapping past 2^64, or starting inside with its length running
 * past the end. A vmm that follows one reads or writes its own memory:
 * it crashes, prints its own bytes, or corrupts them. Each case must end
 * the way the README says, with vmm alive to say it.
 */
#include "graded.h"
#include "../util.h"

/* Runs build/guest/bad/hostile-NAME.elf; vmm must not die of a signal. */
static void hostile(struct vmm_out *o, const char *name, const char *disk)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "guest/bad/hostile-%s.elf", name);
	if (disk)
		VMM(o, "run", "--timeout", "10", "--disk", disk, bpath(rel));
	else
		VMM(o, "run", "--timeout", "10", bpath(rel));
	cr_assert(o->rc < 128, "%s: vmm died of signal %d following the"
		  " guest's address\nstdout: %s\nstderr: %s", name, o->rc - 128,
		  o->out, o->err);
	cr_assert(!strstr(o->out, "vmm followed the address"),
		  "%s: vmm followed an address outside guest RAM and resumed"
		  " the guest\nstdout: %s", name, o->out);
}

/* A bad ucall: exit 81 and the sentence that says what was wrong. */
static void refused(const char *name, const char *re)
{
	struct vmm_out o;

	hostile(&o, name, NULL);
	cr_assert_eq(o.rc, 81, "%s: exit code %d, expected 81 (a malformed"
		     " ucall)\nstdout: %s\nstderr: %s", name, o.rc, o.out, o.err);
	cr_assert(matches(o.err, re), "%s: stderr has no line matching /%s/:\n%s",
		  name, re, o.err);
}

GRADED_HIDDEN(hostile, ucall_struct_outside_ram, 2, "03.4 runtime", 30)
{
	NEED_KVM();
	refused("ucall-far", "^vmm: bad ucall \\(command 0, struct at 0xfffff000\\):"
		" the ucall struct is not inside guest RAM$");
	refused("ucall-edge", "^vmm: bad ucall \\(command 0, struct at 0x3fffff8\\):"
		" the ucall struct is not inside guest RAM$");
}

GRADED_HIDDEN(hostile, print_buffer_outside_ram, 2, "03.4 runtime", 30)
{
	static const char *const cases[] = {"print-far", "print-wrap", "print-edge"};

	NEED_KVM();
	for (unsigned i = 0; i < 3; i++)
		refused(cases[i], "^vmm: bad ucall \\(command 1, struct at 0x[0-9a-f]+\\):"
			" print: the buffer is not inside guest RAM");
}

GRADED_HIDDEN(hostile, assert_strings_outside_ram, 2, "03.4 runtime", 30)
{
	NEED_KVM();
	refused("assert-far", "^vmm: bad ucall \\(command 3, struct at 0x[0-9a-f]+\\):"
		" assert: the file name or the expression is not a string"
		" inside guest RAM$");
	refused("assert-edge", "^vmm: bad ucall \\(command 3, struct at 0x[0-9a-f]+\\):"
		" assert: the file name or the expression is not a string"
		" inside guest RAM$");
}

/* A 64 KiB disk image, zeroed. */
static void make_disk(char *path)
{
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	cr_assert_eq(ftruncate(fd, 65536), 0);
	close(fd);
}

GRADED_HIDDEN(hostile, disk_request_outside_ram, 2, "03.5 storage", 30)
{
	char path[] = "/tmp/vmm-hostile-XXXXXX";
	static const char *const cases[] = {"blk-req-far", "blk-req-edge"};
	static const char *const at[] = {"0xfffff000", "0x3fffff8"};
	char re[256];
	struct vmm_out o;

	NEED_KVM();
	make_disk(path);
	for (unsigned i = 0; i < 2; i++) {
		hostile(&o, cases[i], path);
		snprintf(re, sizeof(re), "^vmm: bad ucall \\(command 0, struct at %s\\):"
			 " the disk request struct is not inside guest RAM$", at[i]);
		cr_assert_eq(o.rc, 81, "%s: exit code %d, expected 81\nstderr: %s",
			     cases[i], o.rc, o.err);
		cr_assert(matches(o.err, re), "%s: stderr has no line matching"
			  " /%s/:\n%s", cases[i], re, o.err);
	}
	unlink(path);
}

GRADED_HIDDEN(hostile, disk_buffer_outside_ram, 2, "03.5 storage", 30)
{
	char path[] = "/tmp/vmm-hostile-XXXXXX";
	static const char *const cases[] = {"blk-buf-far", "blk-buf-wrap"};
	struct vmm_out o;

	NEED_KVM();
	make_disk(path);
	for (unsigned i = 0; i < 2; i++) {
		hostile(&o, cases[i], path);
		/* The guest returns the status: BLK_S_BADBUF. */
		cr_assert_eq(o.rc, 3, "%s: exit code %d, expected 3 (the guest's"
			     " status BLK_S_BADBUF)\nstdout: %s\nstderr: %s",
			     cases[i], o.rc, o.out, o.err);
	}
	unlink(path);
}
