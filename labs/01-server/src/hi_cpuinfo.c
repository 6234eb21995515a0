/*
 * hi_cpuinfo: what /proc/cpuinfo says about the processor (hi_cpu.h).
 *
 * The names (model, vendor), the feature flags and the counts the kernel
 * writes per logical CPU ("processor", "physical id", "siblings", "cpu
 * cores"), in blocks of "key\t: value" lines, one block per CPU. ARM64's
 * cpuinfo names no model at all, only numeric implementer and part ids,
 * which arm_name turns into a name. hi_cpu.c reads the file and uses this
 * parse for the names, and for the topology when sysfs has none.
 * Format: Documentation/filesystems/proc.rst, arch/x86/kernel/cpu/proc.c.
 */
#include "hi_cpu.h"

#include "hi_file.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Does the space-separated word list hold word? list is len bytes and not
 * NUL-terminated (it points into /proc/cpuinfo's text). Whole words only:
 * "svm_lock" does not hold "svm". Returns 1 or 0.
 * Stage 01.1, README "Steps" 1.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int has_word(const char *list, size_t len, const char *word)
{
	/* >>> SOLUTION 01.1: walk the words of list (blanks between them); 1 when one equals word, byte for byte */
	size_t wl = strlen(word);
	const char *p = list, *end = list + len;

	while (p < end) {
		size_t n = strcspn(p, " \t\n");
		if (n > (size_t)(end - p))
			n = (size_t)(end - p);
		if (n == wl && memcmp(p, word, wl) == 0)
			return 1;
		p += n + 1;
	}
	return 0;
	/* === STUB
	(void)list;
	(void)len;
	(void)word;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * Names an ARM64 CPU, whose /proc/cpuinfo has no "model name", from its
 * "CPU implementer" and "CPU part" ids, with a lookup table you write from
 * arch/arm64/include/asm/cputype.h. Fills out->vendor and out->model:
 *   implementer 0x41 is "ARM" (also 0x42 Broadcom, 0x43 Cavium,
 *   0x48 HiSilicon, 0x4e NVIDIA, 0x51 Qualcomm, 0x61 Apple, 0xc0 Ampere);
 *   ARM's parts include 0xd03 Cortex-A53, 0xd08 Cortex-A72, 0xd0c
 *   Neoverse-N1; the model is vendor, a space, part: exactly
 *   "ARM Cortex-A72" for 0x41/0xd08 (the tests check this text).
 *   An unknown implementer is "0x%02x"; an unknown part gives the model
 *   "<vendor> part 0x%03x".
 * Stage 01.1, README "Steps" 1.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static void arm_name(unsigned impl, unsigned part, struct hi_cpuinfo *out)
{
	/* >>> SOLUTION 01.1: two small tables (implementer id to vendor, ARM part id to core name), then two snprintf */
	static const struct { unsigned id; const char *name; } impls[] = {
		{ 0x41, "ARM" }, { 0x42, "Broadcom" }, { 0x43, "Cavium" },
		{ 0x48, "HiSilicon" }, { 0x4e, "NVIDIA" }, { 0x51, "Qualcomm" },
		{ 0x61, "Apple" }, { 0xc0, "Ampere" },
	};
	static const struct { unsigned id; const char *name; } parts[] = {
		{ 0xd03, "Cortex-A53" }, { 0xd04, "Cortex-A35" },
		{ 0xd05, "Cortex-A55" }, { 0xd07, "Cortex-A57" },
		{ 0xd08, "Cortex-A72" }, { 0xd09, "Cortex-A73" },
		{ 0xd0b, "Cortex-A76" }, { 0xd0c, "Neoverse-N1" },
		{ 0xd40, "Neoverse-V1" }, { 0xd49, "Neoverse-N2" },
	};
	const char *vendor = NULL, *model = NULL;

	for (size_t i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
		if (impls[i].id == impl)
			vendor = impls[i].name;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (impl == 0x41 && parts[i].id == part)
			model = parts[i].name;
	if (vendor)
		snprintf(out->vendor, sizeof(out->vendor), "%s", vendor);
	else
		snprintf(out->vendor, sizeof(out->vendor), "0x%02x", impl);
	if (model)
		snprintf(out->model, sizeof(out->model), "%s %s", out->vendor,
			 model);
	else
		snprintf(out->model, sizeof(out->model), "%s part 0x%03x",
			 out->vendor, part);
	/* === STUB
	(void)impl;
	(void)part;
	(void)out;
	*/
	/* <<< SOLUTION */
}

/*
 * One number of a cpuinfo value (vlen bytes, not NUL-terminated): decimal,
 * or hex with "0x" (ARM's "CPU implementer : 0x41"); a decimal may have a
 * fraction, which is dropped ("cpu MHz : 2596.130" is 2596). The whole value
 * must be the number. Returns 0 with *v set; -EINVAL for an empty value,
 * a sign or trailing text; -ERANGE for a value longer than 31 bytes or a
 * number over UINT64_MAX. hi_parse_u64 (hi_file.h) does the decimal part.
 * Stage 01.1, README "Steps" 1.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int cpu_number(const char *val, size_t vlen, uint64_t *v)
{
	/* >>> SOLUTION 01.1: copy to a NUL-terminated buffer; "0x" and hex digits through strtoull, else hi_parse_u64 and an optional ".digits" */
	char buf[32], *end;
	const char *dend;
	int err;

	if (vlen == 0 || vlen >= sizeof(buf))
		return vlen ? -ERANGE : -EINVAL;
	memcpy(buf, val, vlen);
	buf[vlen] = '\0';
	if (vlen > 2 && buf[0] == '0' && buf[1] == 'x') {
		if (!isxdigit((unsigned char)buf[2]))
			return -EINVAL; /* strtoull would take "-5" */
		errno = 0;
		*v = strtoull(buf + 2, &end, 16);
		if (errno)
			return -ERANGE;
		return *end || end == buf + 2 ? -EINVAL : 0;
	}
	err = hi_parse_u64(buf, &dend, v);
	if (err)
		return err;
	if (*dend == '.') /* "cpu MHz : 2596.130": whole MHz are enough */
		dend += 1 + strspn(dend + 1, "0123456789");
	return *dend ? -EINVAL : 0;
	/* === STUB
	(void)val;
	(void)vlen;
	(void)v;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * A per-CPU count ("cpu cores", "siblings", "cpu MHz"), which every
 * processor block repeats: parses it with cpu_number and keeps the FIRST
 * value (*dst is set only while it is 0). Returns 0; cpu_number's errors;
 * -EINVAL for 0 unless zero_ok (some hypervisors say "cpu MHz : 0.000":
 * unknown, not wrong); -ERANGE above HI_CPU_MAX * 1000 (no real machine
 * has that many cores, or 8 THz). Stage 01.1, README "Steps" 1.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int count_once(const char *val, size_t vlen, unsigned *dst, int zero_ok)
{
	/* >>> SOLUTION 01.1: parse, check the bounds above, store only the first value */
	uint64_t v;
	int err = cpu_number(val, vlen, &v);

	if (err)
		return err;
	if (v == 0 && !zero_ok)
		return -EINVAL;
	if (v > HI_CPU_MAX * 1000u)
		return -ERANGE;
	if (*dst == 0)
		*dst = (unsigned)v;
	return 0;
	/* === STUB
	(void)val;
	(void)vlen;
	(void)dst;
	(void)zero_ok;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/* What the parse remembers between lines, beyond struct hi_cpuinfo. */
struct cpuinfo_state {
	uint8_t packages[512];      /* bitmap of "physical id" values seen */
	uint64_t impl, part;        /* ARM ids, ~0 until seen */
};

/*
 * Counts sockets: each distinct "physical id" value (a number, parsed with
 * cpu_number) is one more out->sockets; st->packages remembers which ids
 * were seen. Returns 0; cpu_number's errors; -ERANGE for an id that does
 * not fit the bitmap (4096 or more). Stage 01.1, README "Steps" 1.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int package_seen(const char *val, size_t vlen, struct hi_cpuinfo *out,
			struct cpuinfo_state *st)
{
	/* >>> SOLUTION 01.1: parse the id, bound it, and count it the first time its bit is set */
	uint64_t id;
	int err = cpu_number(val, vlen, &id);

	if (err)
		return err;
	if (id >= 8 * sizeof(st->packages))
		return -ERANGE;
	if (!(st->packages[id / 8] & (1u << (id % 8)))) {
		st->packages[id / 8] |= (uint8_t)(1u << (id % 8));
		out->sockets++;
	}
	return 0;
	/* === STUB
	(void)val;
	(void)vlen;
	(void)out;
	(void)st;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * Takes one "key : value" pair of /proc/cpuinfo into out (value: vlen bytes,
 * not NUL-terminated). The keys, all others ignored:
 *   "processor"     one more out->processors (its value is not read)
 *   "model name"    out->model, "vendor_id" out->vendor: the first one only
 *   "physical id"   package_seen;  "cpu cores", "siblings": count_once;
 *   "cpu MHz"       count_once, 0 allowed
 *   "flags"         the FIRST CPU's line only (out->has_flags says it was
 *                   seen): out->vmx, out->svm, out->hypervisor, by has_word
 *   "CPU implementer", "CPU part"   (ARM64) cpu_number into st->impl, st->part
 * Returns 0 or the helper's -errno. Stage 01.1, README "Steps" 1.
 */
__attribute__((unused)) /* the stubs of this file do not call it yet */
static int cpuinfo_key(const char *key, const char *val, size_t vlen,
		       struct hi_cpuinfo *out, struct cpuinfo_state *st)
{
	/* >>> SOLUTION 01.1: one strcmp per key of the table above, each handing the value to its helper */
	int err = 0;

	if (!strcmp(key, "processor")) {
		out->processors++;
	} else if (!strcmp(key, "model name") && !out->model[0]) {
		snprintf(out->model, sizeof(out->model), "%.*s", (int)vlen,
			 val);
	} else if (!strcmp(key, "vendor_id") && !out->vendor[0]) {
		snprintf(out->vendor, sizeof(out->vendor), "%.*s", (int)vlen,
			 val);
	} else if (!strcmp(key, "physical id")) {
		err = package_seen(val, vlen, out, st);
	} else if (!strcmp(key, "cpu cores")) {
		err = count_once(val, vlen, &out->cores_per_socket, 0);
	} else if (!strcmp(key, "siblings")) {
		err = count_once(val, vlen, &out->siblings, 0);
	} else if (!strcmp(key, "cpu MHz")) {
		err = count_once(val, vlen, &out->mhz, 1);
	} else if (!strcmp(key, "flags") && !out->has_flags) {
		out->has_flags = 1;
		out->vmx = has_word(val, vlen, "vmx");
		out->svm = has_word(val, vlen, "svm");
		out->hypervisor = has_word(val, vlen, "hypervisor");
	} else if (!strcmp(key, "CPU implementer")) {
		err = cpu_number(val, vlen, &st->impl);
	} else if (!strcmp(key, "CPU part")) {
		err = cpu_number(val, vlen, &st->part);
	}
	return err;
	/* === STUB
	(void)key;
	(void)val;
	(void)vlen;
	(void)out;
	(void)st;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * The contract is in hi_cpu.h. Clears *out and *line first. Walks the lines
 * with struct hi_lines and splits each at ':' with hi_kv (hi_file.h); a
 * blank line (between two processors' blocks) is skipped; an incomplete
 * last line or a line hi_kv refuses is -EINVAL, with *line its number
 * (*line is 0 again on success). Each pair goes to cpuinfo_key, whose error
 * stops the parse. No "processor" line at all is -ENODATA. Then, when no
 * "model name" was seen but an ARM implementer was, arm_name names the CPU.
 * Stage 01.1, README "Steps" 1.
 */
int hi_cpuinfo_parse(const char *text, struct hi_cpuinfo *out, unsigned *line)
{
	/* >>> SOLUTION 01.1: the loop described above, a struct cpuinfo_state with impl and part at ~0 (not seen) */
	struct hi_lines it = { .next = text };
	struct cpuinfo_state st = { .impl = ~0ull, .part = ~0ull };
	const char *val;
	size_t vlen;
	char key[64];
	int err;

	memset(out, 0, sizeof(*out));
	*line = 0;
	while (hi_lines_next(&it)) {
		*line = it.num;
		if (it.len == 0)
			continue; /* a blank line ends one processor's block */
		if (!it.complete || hi_kv(&it, key, sizeof(key), &val, &vlen))
			return -EINVAL;
		err = cpuinfo_key(key, val, vlen, out, &st);
		if (err)
			return err;
	}
	*line = 0;
	if (out->processors == 0)
		return -ENODATA;
	if (!out->model[0] && st.impl != ~0ull)
		arm_name((unsigned)st.impl, (unsigned)st.part, out);
	return 0;
	/* === STUB
	(void)text;
	memset(out, 0, sizeof(*out));
	*line = 0;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}
