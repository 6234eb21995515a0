/*
 * test_guests: every stage's guests, run by build/vmm on a real /dev/kvm.
 *
 * Each case runs the vmm program as a student would and checks the exit
 * code, the console (stdout) and the diagnosis (stderr). Bad guests must
 * each end with their own diagnosis and exit code well within the test's
 * timeout: a hang is a failure, never a wait.
 */
#include "graded.h"
#include "util.h"

#include <json-c/json.h>

/* ---- 03.2 real mode ------------------------------------------------------ */

GRADED(guests, real_mode_hello_on_com1, 3, "03.2 real mode", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--mode", "real", "--flat",
	    bpath("guest/real/hello.bin@0x7c00"));
	EXPECT_RC(o, 0);
	cr_assert_str_eq(o.out, "Hello from real mode: a 16-bit guest, on COM1.\n");
	cr_assert_str_eq(o.err, "");
}

GRADED(guests, real_mode_debug_port_e9, 2, "03.2 real mode", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--mode", "real", "--flat",
	    bpath("guest/real/debugcon.bin@0x1000"), "--entry", "0x1000");
	EXPECT_RC(o, 0);
	cr_assert_str_eq(o.out, "Hello from real mode, on port 0xE9.\n");
}

/* ---- 03.3 long mode ------------------------------------------------------ */

GRADED(guests, long_mode_flat_binary, 3, "03.3 long mode", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--flat", bpath("guest/long/flat64.bin@0x100000"));
	EXPECT_RC(o, 0);
	cr_assert_str_eq(o.out, "Hello from 64-bit long mode, a flat binary.\n");
}

GRADED(guests, long_mode_elf_without_runtime, 3, "03.3 long mode", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", bpath("guest/long/flat64.elf"));
	EXPECT_RC(o, 0);
	cr_assert_str_eq(o.out, "Hello from 64-bit long mode, a flat binary.\n");
}

GRADED(guests, long_mode_small_ram, 1, "03.3 long mode", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--mem", "2M", bpath("guest/long/flat64.elf"));
	EXPECT_RC(o, 0);
	EXPECT_OUT(o, "^Hello from 64-bit long mode");
}

/*
 * The classic minimal KVM example's layout: a flat image at 0, entry 0.
 * vmm's GDT, page tables and stack cannot stay below 1 MiB: they move to
 * the top of RAM, and the image runs (it calls a subroutine: the stack).
 */
GRADED(guests, long_mode_flat_image_at_zero, 2, "03.3 long mode", 20)
{
	static const char *const mem[] = {"64M", "2M"};
	struct vmm_out o;

	NEED_KVM();
	for (unsigned i = 0; i < 2; i++) {
		VMM(&o, "run", "--mem", mem[i], "--flat",
		    bpath("guest/long/flat0.bin@0"), "--entry", "0");
		EXPECT_RC(o, 0);
		cr_assert_str_eq(o.out, "Hello from a flat image at guest-physical"
				 " 0, entry 0.\n", "--mem %s", mem[i]);
		cr_assert_str_eq(o.err, "");
	}
}

/* ---- 03.4 runtime -------------------------------------------------------- */

GRADED(guests, runtime_hello_sees_its_machine, 3, "03.4 runtime", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--mem", "32M", bpath("guest/long/hello.elf"));
	EXPECT_RC(o, 0);
	cr_assert_str_eq(o.out, "Hello from a 64-bit C guest in long mode.\n"
			 "This virtual machine has 1 vCPU and 32 MiB of RAM.\n");
}

GRADED(guests, runtime_guest_exit_code, 2, "03.4 runtime", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", bpath("guest/long/exit7.elf"));
	EXPECT_RC(o, 7);
	cr_assert_str_eq(o.out, "leaving with 7\n");
}

GRADED(guests, runtime_assert_names_file_line_expr, 2, "03.4 runtime", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", bpath("guest/long/assert.elf"));
	EXPECT_RC(o, 72);
	EXPECT_ERR(o, "^vmm: guest assertion failed: guest/long/assert\\.c:9: two == 3$");
}

GRADED(guests, runtime_printf_formats, 1, "03.4 runtime", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", bpath("guest/long/format.elf"));
	EXPECT_RC(o, 0);
	cr_assert_str_eq(o.out,
			 "[-42] [7] [42] [beef] [BEEF] [   12] [%-d]\n"
			 "[00001234] [18446744073709551615] [-9000000000] [4096]"
			 " [str] [c] [%]\n");
}

GRADED(guests, runtime_reports_invalid_opcode, 2, "03.4 runtime", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", bpath("guest/bad/ud.elf"));
	EXPECT_RC(o, 71);
	EXPECT_ERR(o, "exception #UD invalid opcode \\(vector 6\\) at RIP 0x10[0-9a-f]{4}$");
}

GRADED(guests, runtime_reports_page_fault_cr2, 2, "03.4 runtime", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", bpath("guest/bad/pagefault.elf"));
	EXPECT_RC(o, 71);
	EXPECT_ERR(o, "#PF page fault \\(vector 14\\)");
	EXPECT_ERR(o, "page fault on a read at address 0x500000000 \\(CR2\\)");
}

/* ---- 03.9 diagnostics ---------------------------------------------------- */

GRADED(diagnostics, triple_fault, 2, "03.9 diagnostics", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", bpath("guest/bad/triple.elf"));
	EXPECT_RC(o, 73);
	EXPECT_ERR(o, "^vmm: triple fault \\(KVM_EXIT_SHUTDOWN\\)");
	EXPECT_ERR(o, "^  cs  sel 0x");
}

GRADED(diagnostics, unmapped_read, 2, "03.9 diagnostics", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", bpath("guest/bad/mmio_read.elf"));
	EXPECT_RC(o, 74);
	EXPECT_ERR(o, "^vmm: guest read 4 bytes at unmapped guest-physical address 0xc0000000 \\(KVM_EXIT_MMIO\\)");
	EXPECT_ERR(o, "^  rip 0x0000000000100");
}

GRADED(diagnostics, unmapped_write, 2, "03.9 diagnostics", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--mem", "16M", bpath("guest/bad/mmio_write.elf"));
	EXPECT_RC(o, 74);
	EXPECT_ERR(o, "guest wrote 8 bytes at unmapped guest-physical address 0xc0001000 .*RAM ends at 0x1000000");
}

GRADED(diagnostics, rep_outsb_prints_every_byte, 2, "03.9 diagnostics", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", bpath("guest/bad/outsb.elf"));
	EXPECT_RC(o, 0);
	cr_assert_str_eq(o.out, "rep outsb ok!\n", "string I/O: all of"
			 " io.count bytes, not just the first: got '%s'", o.out);
}

GRADED(diagnostics, cli_hlt_forever, 2, "03.9 diagnostics", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", bpath("guest/bad/clihlt.elf"));
	EXPECT_RC(o, 75);
	EXPECT_ERR(o, "guest halted with interrupts disabled .* sleep forever");
}

GRADED(diagnostics, endless_loop_hits_watchdog, 2, "03.9 diagnostics", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--timeout", "1", bpath("guest/bad/loop.elf"));
	EXPECT_RC(o, 124);
	EXPECT_ERR(o, "^vmm: timeout: the guest ran 1 s without ending");
}

GRADED(diagnostics, unknown_port, 1, "03.9 diagnostics", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", bpath("guest/bad/badport.elf"));
	EXPECT_RC(o, 76);
	EXPECT_ERR(o, "guest wrote 1 byte to I/O port 0x80, which no device answers");
}

GRADED(diagnostics, stats_table, 1, "03.9 diagnostics", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--stats", bpath("guest/long/hello.elf"));
	EXPECT_RC(o, 0);
	/* HELLO, 2 queries, 2 prints, "which vCPU am I?", exit: 7 ucalls. */
	EXPECT_ERR(o, "^7 exits in [0-9.]+ ms$");
	EXPECT_ERR(o, "^KVM_EXIT_IO +7 +[0-9.]+ +[0-9.]+$");
}

GRADED(diagnostics, stats_json, 1, "03.9 diagnostics", 10)
{
	struct vmm_out o;
	json_object *j, *v, *r;

	NEED_KVM();
	VMM(&o, "run", "--stats", "--json", "--mode", "real", "--flat",
	    bpath("guest/real/debugcon.bin@0x1000"));
	EXPECT_RC(o, 0);
	j = json_tokener_parse(o.err);
	cr_assert(j, "stderr is not JSON: %s", o.err);
	cr_assert(json_object_object_get_ex(j, "end", &v));
	cr_assert_str_eq(json_object_get_string(v), "halt");
	cr_assert(json_object_object_get_ex(j, "exits", &v));
	/* One exit per byte of the 36-byte message, then HLT. */
	cr_assert_eq(json_object_get_int(v), 37);
	cr_assert(json_object_object_get_ex(j, "reasons", &r));
	cr_assert_eq(json_object_array_length(r), 2);
	json_object_put(j);
}

GRADED(diagnostics, trace_last_exits, 1, "03.9 diagnostics", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--trace=3", "--mode", "real", "--flat",
	    bpath("guest/real/debugcon.bin@0x1000"));
	EXPECT_RC(o, 0);
	EXPECT_ERR(o, "^last 3 exits \\(of 37\\):$");
	EXPECT_ERR(o, "^  #36 +KVM_EXIT_IO +rip 0x[0-9a-f]+  out port 0xe9 size 1 count 1$");
	EXPECT_ERR(o, "^  #37 +KVM_EXIT_HLT");
}

GRADED(diagnostics, code_fetch_outside_ram, 1, "03.9 diagnostics", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", bpath("guest/bad/jump_mmio.elf"));
	EXPECT_RC(o, 78);
	EXPECT_ERR(o, "^vmm: KVM_EXIT_INTERNAL_ERROR suberror 1: emulation failure");
	EXPECT_ERR(o, "^  rip 0x00000000c0000000 ");
}

/*
 * A vmm killed before its guest ends (a test's deadline, Ctrl-C) says what
 * it was doing: its last exits. The guest prints a line, then spins; the
 * test kills vmm once that line is out (progress, not a sleep).
 */
GRADED(diagnostics, sigterm_reports_last_exits, 1, "03.9 diagnostics", 20)
{
	FILE *err = tmpfile();
	char out[64] = "", e[8192];
	size_t n = 0;
	int fd[2], st;
	ssize_t r;
	pid_t pid;

	NEED_KVM();
	cr_assert(err && pipe(fd) == 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(fd[1], 1);
		dup2(fileno(err), 2);
		close(fd[0]);
		execl(bpath("vmm"), "vmm", "run", "--timeout", "15",
		      bpath("guest/bad/spin.elf"), (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	while (!strchr(out, '\n') && n + 1 < sizeof(out) &&
	       (r = read(fd[0], out + n, sizeof(out) - 1 - n)) > 0)
		out[n += (size_t)r] = '\0';
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	close(fd[0]);
	slurp_fd(fileno(err), e, sizeof(e));
	fclose(err);
	cr_assert_str_eq(out, "spinning\n", "the guest's line, then SIGTERM;"
			 " stderr: %s", e);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
		  "vmm dies of the SIGTERM (status 0x%x); stderr: %s", st, e);
	cr_assert(matches(e, "^vmm: killed by SIGTERM before the guest ended$"), "%s", e);
	cr_assert(matches(e, "^vmm: the VM: last [0-9]+ exits? \\(of [0-9]+\\):$"), "%s", e);
	cr_assert(matches(e, "^  #[0-9]+ +KVM_EXIT_IO +out port 0xca0 size 4 count 1$"),
		  "the ucalls that printed the line: %s", e);
}

/* ---- 03.5 storage -------------------------------------------------------- */

/* A 64 KiB image whose sector 0 holds a message. */
static void make_disk(char *path)
{
	int fd = mkstemp(path);
	static char img[65536];

	cr_assert(fd >= 0);
	memset(img, 0, sizeof(img));
	strcpy(img, "hello from the host");
	cr_assert_eq(write(fd, img, sizeof(img)), (ssize_t)sizeof(img));
	close(fd);
}

GRADED(storage, guest_reads_and_writes_its_disk, 3, "03.5 storage", 10)
{
	char path[] = "/tmp/vmm-disk-XXXXXX", back[64] = "";
	struct vmm_out o;
	FILE *f;

	NEED_KVM();
	make_disk(path);
	VMM(&o, "run", "--disk", path, bpath("guest/long/disk.elf"));
	EXPECT_RC(o, 0);
	cr_assert_str_eq(o.out, "disk: 64 KiB; sector 0 says: hello from the host\n");
	f = fopen(path, "rb");
	cr_assert(f && fseek(f, 512, SEEK_SET) == 0);
	cr_assert_eq(fread(back, 1, 38, f), 38);
	fclose(f);
	unlink(path);
	cr_assert_str_eq(back, "reply from the guest: message received",
			 "the reply is on the host's image after the run");
}

GRADED(storage, bad_requests_fail_closed, 2, "03.5 storage", 10)
{
	char path[] = "/tmp/vmm-disk-XXXXXX", spec[64];
	struct vmm_out o;

	NEED_KVM();
	make_disk(path);
	snprintf(spec, sizeof(spec), "%s,ro", path);
	VMM(&o, "run", "--disk", spec, bpath("guest/bad/diskbad.elf"));
	unlink(path);
	EXPECT_RC(o, 0);
	cr_assert_str_eq(o.out, "last sector: 0\none past: 2\nbuffer outside RAM: 3\n"
			 "sector overflow: 2\ncount 0: 5\nwrite: 4\n");
}

GRADED(storage, disk_slice, 1, "03.5 storage", 10)
{
	char path[] = "/tmp/vmm-disk-XXXXXX", spec[64];
	struct vmm_out o;

	NEED_KVM();
	make_disk(path);
	/* The slice starts one sector in: its sector 0 is empty. */
	snprintf(spec, sizeof(spec), "%s:512:8192", path);
	VMM(&o, "run", "--disk", spec, bpath("guest/long/disk.elf"));
	unlink(path);
	EXPECT_RC(o, 0);
	cr_assert_str_eq(o.out, "disk: 8 KiB; sector 0 says: \n");
}

/* ---- 03.11 request ring (optional: a 0-point bonus test) ---------------- */

/* Eight requests in two notifications; the disk holds the writes after. */
GRADED_BONUS(storage, guest_uses_the_request_ring, 0, "03.11 request ring", 10)
{
	char path[] = "/tmp/vmm-disk-XXXXXX", back[32] = "";
	struct vmm_out o;
	FILE *f;

	NEED_KVM();
	make_disk(path);
	VMM(&o, "run", "--disk", path, bpath("guest/long/ring.elf"));
	EXPECT_RC(o, 0);
	cr_assert_str_eq(o.out, "ring: 5 requests, statuses 0 0 0 0 2; 128 sectors\n"
			 "ring: 3 requests, statuses 0 0 0; tail 5\n"
			 "sector 0 says: hello from the host\n"
			 "sector 1 says: first of a batch\n"
			 "sector 2 says: second of a batch\n");
	f = fopen(path, "rb");
	cr_assert(f && fseek(f, 1024, SEEK_SET) == 0);
	cr_assert_eq(fread(back, 1, 17, f), 17);
	fclose(f);
	unlink(path);
	cr_assert_str_eq(back, "second of a batch", "on the host's image after the run");
}

/* ---- 03.6 vCPUs ---------------------------------------------------------- */

GRADED(vcpus, atomic_counter_exact_on_two, 2, "03.6 vCPUs", 20)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--cpus", "2", "--timeout", "15", bpath("guest/long/smp.elf"));
	EXPECT_RC(o, 0);
	cr_assert_str_eq(o.out, "2 vCPUs counted to 200000 (expected 200000)\n");
}

GRADED(vcpus, atomic_counter_exact_on_four, 2, "03.6 vCPUs", 30)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--cpus", "4", "--timeout", "25", bpath("guest/long/smp.elf"));
	EXPECT_RC(o, 0);
	cr_assert_str_eq(o.out, "4 vCPUs counted to 400000 (expected 400000)\n");
}

GRADED(vcpus, exit_from_any_vcpu_stops_all, 2, "03.6 vCPUs", 20)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--cpus", "3", "--timeout", "10",
	    bpath("guest/bad/smp_exit.elf"));
	EXPECT_RC(o, 5);
}

GRADED(vcpus, fault_names_the_vcpu, 1, "03.6 vCPUs", 20)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--cpus", "2", "--timeout", "10",
	    bpath("guest/bad/smp_fault.elf"));
	EXPECT_RC(o, 71);
	EXPECT_ERR(o, "^vmm: vCPU 1: guest CPU exception #UD invalid opcode");
}

GRADED(vcpus, watchdog_stops_every_vcpu, 1, "03.6 vCPUs", 20)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "run", "--cpus", "2", "--timeout", "1",
	    bpath("guest/bad/loop.elf"));
	EXPECT_RC(o, 124);
	EXPECT_ERR(o, "timeout: the guest ran 1 s without ending");
}

/* ---- 03.8 guest OS ------------------------------------------------------- */

/* A disk image of size bytes whose sector 0 holds a question. */
static void make_os_disk(char *path, off_t size)
{
	int fd = mkstemp(path);
	static const char q[] = "hello, guest: which machine are you?";

	cr_assert(fd >= 0);
	cr_assert_eq(ftruncate(fd, size), 0);
	cr_assert_eq(write(fd, q, sizeof(q)), (ssize_t)sizeof(q));
	close(fd);
}

GRADED(os, reports_its_machine_and_replies, 3, "03.8 guest OS", 20)
{
	char path[] = "/tmp/vmm-os-XXXXXX", back[40] = "";
	struct vmm_out o;
	FILE *f;

	NEED_KVM();
	make_os_disk(path, 8 << 20);
	VMM(&o, "run", "--cpus", "2", "--mem", "64M", "--disk", path,
	    "--timeout", "15", bpath("guest/os/os.elf"));
	EXPECT_RC(o, 0);
	EXPECT_OUT(o, "^  CPUID hypervisor  yes, signature \"vmlabvmlabvm\"$");
	EXPECT_OUT(o, "^  => This machine is a virtual machine \\(vmlab\\): 2 vCPUs, 64 MiB RAM, 8 MiB disk$");
	EXPECT_OUT(o, "^  disk says         \"hello, guest: which machine are you\\?\"$");
	f = fopen(path, "rb");
	cr_assert(f && fseek(f, 512, SEEK_SET) == 0);
	cr_assert_eq(fread(back, 1, 37, f), 37);
	fclose(f);
	unlink(path);
	cr_assert_str_eq(back, "reply from the vmlab guest OS: got it");
}

GRADED(os, follows_the_flags, 2, "03.8 guest OS", 20)
{
	char path[] = "/tmp/vmm-os-XXXXXX";
	struct vmm_out o;

	NEED_KVM();
	make_os_disk(path, 2 << 20);
	VMM(&o, "run", "--cpus", "3", "--mem", "48M", "--disk", path,
	    "--timeout", "15", bpath("guest/os/os.elf"));
	unlink(path);
	EXPECT_RC(o, 0);
	EXPECT_OUT(o, "^  => This machine is a virtual machine \\(vmlab\\): 3 vCPUs, 48 MiB RAM, 2 MiB disk$");
}

/* ---- 03.7 several VMs ---------------------------------------------------- */

GRADED(vms, one_escapes_the_others_finish, 3, "03.7 VMs", 20)
{
	char path[] = "/tmp/vmm-many-XXXXXX", cfg[2048];
	struct vmm_out o;
	int fd;

	NEED_KVM();
	snprintf(cfg, sizeof(cfg),
		 "vm1 %s mem=32M\nvm2 %s mem=64M\nvm3 %s mem=16M\n",
		 bpath("guest/long/hello.elf"), bpath("guest/bad/escape.elf"),
		 bpath("guest/long/exit7.elf"));
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, cfg, strlen(cfg)), (ssize_t)strlen(cfg));
	close(fd);
	VMM(&o, "run-many", "--timeout", "15", path);
	unlink(path);
	/* The first failing VM's code: vm2's, whatever the finishing order. */
	EXPECT_RC(o, 74);
	EXPECT_OUT(o, "^vm1: This virtual machine has 1 vCPU and 32 MiB of RAM\\.$");
	EXPECT_OUT(o, "^vm3: leaving with 7$");
	EXPECT_ERR(o, "^vmm: vm2: guest read 8 bytes at unmapped guest-physical address 0x4000000 \\(KVM_EXIT_MMIO\\)");
	cr_assert(!matches(o.err, "vm1:|vm3:.*(exception|unmapped|timeout)"),
		  "only vm2 is reported: %s", o.err);
}

/*
 * Side by side, not one after another: each waiter (a read-only view of a
 * slice) finishes only once its signaller has written the mark there. w1
 * comes before its signaller and w2 after its own, so VMs run one at a
 * time, in config order or in reverse, leave one waiting until the
 * watchdog. Driven by the mark, not by time.
 */
GRADED(vms, run_side_by_side, 2, "03.7 VMs", 40)
{
	char disk[] = "/tmp/vmm-meet-XXXXXX", path[] = "/tmp/vmm-many-XXXXXX";
	const char *g = bpath("guest/long/rendezvous.elf");
	char cfg[4096];
	struct vmm_out o;
	int fd;

	NEED_KVM();
	fd = mkstemp(disk);
	cr_assert(fd >= 0 && ftruncate(fd, 1024) == 0);
	close(fd);
	snprintf(cfg, sizeof(cfg),
		 "w1 %s mem=8M disk=%s:0:512,ro\n"
		 "s1 %s mem=8M disk=%s:0:512\n"
		 "s2 %s mem=8M disk=%s:512:512\n"
		 "w2 %s mem=8M disk=%s:512:512,ro\n",
		 g, disk, g, disk, g, disk, g, disk);
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, cfg, strlen(cfg)), (ssize_t)strlen(cfg));
	close(fd);
	VMM(&o, "run-many", "--timeout", "25", path);
	unlink(path);
	unlink(disk);
	cr_assert_eq(o.rc, 0, "exit code %d: the VMs must run side by side (a"
		     " waiter ends only once the VM it waits for has run)\n"
		     "stdout: %s\nstderr: %s", o.rc, o.out, o.err);
	EXPECT_OUT(o, "^w1: mark seen$");
	EXPECT_OUT(o, "^w2: mark seen$");
	EXPECT_OUT(o, "^s1: mark written$");
	EXPECT_OUT(o, "^s2: mark written$");
}
