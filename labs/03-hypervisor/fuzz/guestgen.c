/*
 * guestgen: machine code for the guest fuzzer, written byte by byte.
 *
 * A structured guest is a flat image: code from offset 0, a data area from
 * GEN_DATA (strings, ucall structs, disk requests). The code is a few
 * "moves" (one ucall, one disk request, one port access, one load or store
 * past RAM), then an ending (hlt, an endless loop, ud2, garbage...). Every
 * field a move hands the VMM is drawn from the values that sit on a
 * boundary (0, the last byte of RAM, one past it, 2^32, 2^64 - 1, ...) or
 * at random. The same moves exist for 16-bit real mode and 64-bit long
 * mode; only the encodings differ (real mode needs 0x66 for 32-bit
 * operands, and DS:offset for addresses above 64 KiB).
 */
#include "guestgen.h"
#include "vmlab_abi.h"

#include <stdarg.h>
#include <string.h>

/* The disk the fuzzer gives vmm (guestfuzz.c writes it): 128 sectors. */
#define DISK_SECTORS 128u

/* Register numbers in an x86 opcode. */
enum { AX = 0, CX = 1, DX = 2, BX = 3, SI = 6, DI = 7 };

struct em {
	struct gen_input *in;
	uint64_t rng;
	size_t n;          /* code bytes so far */
	size_t data;       /* next free byte of the data area */
	uint64_t str[4];   /* guest-physical addresses of the strings */
};

uint64_t gen_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd(struct em *e, uint64_t n)
{
	return n ? gen_next(&e->rng) % n : 0;
}

/* Code goes below GEN_DATA; a move that does not fit is cut short. */
static void put(struct em *e, const void *p, size_t len)
{
	if (e->n + len > GEN_DATA)
		return;
	memcpy(e->in->code + e->n, p, len);
	e->n += len;
}

/* n opcode bytes. */
static void op(struct em *e, int n, ...)
{
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		uint8_t b = (uint8_t)va_arg(ap, int);

		put(e, &b, 1);
	}
	va_end(ap);
}

/* mov $v, %reg (32 bits; 64 in long mode when v needs it). */
static void mov(struct em *e, int reg, uint64_t v)
{
	uint32_t lo = (uint32_t)v;

	if (e->in->real) {
		op(e, 2, 0x66, 0xb8 + reg);
	} else if (v >> 32) {
		op(e, 2, 0x48, 0xb8 + reg);
		put(e, &v, 8);
		return;
	} else {
		op(e, 1, 0xb8 + reg);
	}
	put(e, &lo, 4);
}

/*
 * Real mode reaches an address as segment:offset: loads DS and ES (through
 * AX) and returns the offset. Long mode addresses are flat.
 */
static uint64_t reach(struct em *e, uint64_t addr)
{
	uint16_t seg;

	if (!e->in->real)
		return addr;
	seg = (uint16_t)((addr >> 4) & 0xf000);
	if (addr >= 0x100000)
		seg = 0xffff; /* the highest segment: up to 1 MiB + 64 KiB - 16 */
	op(e, 1, 0xb8);
	put(e, &seg, 2);
	op(e, 4, 0x8e, 0xd8, 0x8e, 0xc0);   /* mov %ax,%ds; mov %ax,%es */
	return (addr - (uint64_t)seg * 16) & 0xffff;
}

/* Operand-size prefix: 16 bits in long mode, 32 in real mode need 0x66. */
static void opsize(struct em *e, unsigned size)
{
	if (size == (e->in->real ? 4u : 2u))
		op(e, 1, 0x66);
}

static void port_out(struct em *e, uint16_t port, unsigned size, uint64_t v)
{
	mov(e, DX, port);
	mov(e, AX, v);
	opsize(e, size);
	op(e, 1, size == 1 ? 0xee : 0xef);
}

static void port_in(struct em *e, uint16_t port, unsigned size)
{
	mov(e, DX, port);
	opsize(e, size);
	op(e, 1, size == 1 ? 0xec : 0xed);
}

/* rep outs (out = 1) from addr, or rep ins to addr: count accesses. */
static void port_rep(struct em *e, uint16_t port, unsigned size, int out,
		     uint64_t count, uint64_t addr)
{
	uint64_t off = reach(e, addr);

	mov(e, DX, port);
	mov(e, CX, count);
	mov(e, out ? SI : DI, off);
	opsize(e, size);
	op(e, 2, 0xf3, (out ? 0x6e : 0x6c) + (size != 1));
}

/* A load (store = 0) or store of size bytes at addr. */
static void mem_access(struct em *e, uint64_t addr, unsigned size, int store)
{
	uint64_t off = reach(e, addr);
	uint8_t modrm = e->in->real ? 0x07 : 0x03; /* (%bx) or (%rbx) */

	mov(e, BX, off);
	if (size == 8 && !e->in->real)
		op(e, 1, 0x48);
	else
		opsize(e, size == 8 ? 4 : size);
	op(e, 2, (store ? 0x88 : 0x8a) + (size != 1), modrm);
}

/* Stores len bytes (a multiple of 4) at addr with 32-bit moves. */
static void store_bytes(struct em *e, uint64_t addr, const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i + 4 <= len; i += 4) {
		uint32_t w;

		memcpy(&w, b + i, 4);
		mov(e, BX, reach(e, addr + i)); /* reach() uses AX: first */
		mov(e, AX, w);
		opsize(e, 4);
		op(e, 2, 0x89, e->in->real ? 0x07 : 0x03); /* mov %eax,(%bx) */
	}
}

/* Copies len bytes into the data area; their guest-physical address. */
static uint64_t data_put(struct em *e, const void *p, size_t len)
{
	uint64_t gpa;

	if (e->data + len > GEN_MAX)
		e->data = GEN_DATA; /* full: reuse from the start */
	memcpy(e->in->code + e->data, p, len);
	gpa = e->in->addr + e->data;
	e->data += (len + 7) & ~(size_t)7;
	return gpa;
}

/* A value on a boundary of RAM (for a thing of len bytes), or random. */
static uint64_t edge(struct em *e, uint64_t len)
{
	uint64_t ram = e->in->mem;

	switch (rnd(e, 12)) {
	case 0: return 0;
	case 1: return ram - len;
	case 2: return ram - len + 1 + rnd(e, 8);
	case 3: return ram;
	case 4: return ram + rnd(e, 0x10000);
	case 5: return 0xffffffffULL - rnd(e, 64);
	case 6: return 1ULL << 32;
	case 7: return UINT64_MAX - rnd(e, 4096);
	case 8: return 1ULL << (32 + rnd(e, 32));
	case 9: return rnd(e, ram);
	case 10: return e->str[rnd(e, 4)];
	default: return gen_next(&e->rng);
	}
}

/* Where a ucall or disk request goes: the data area, or stores elsewhere. */
static uint64_t place(struct em *e, const void *p, size_t len)
{
	uint64_t at;

	if (rnd(e, 4))
		return data_put(e, p, len);
	at = rnd(e, 2) ? e->in->mem - len - 4 * rnd(e, 4)
		       : 0x10000 + 8 * rnd(e, (e->in->mem - 0x20000) / 8);
	if (rnd(e, 4) == 0)
		at += 1 + rnd(e, 7); /* not aligned: the guest may choose any */
	if (rnd(e, 16) == 0)
		at = e->in->mem - len + 4 * (1 + rnd(e, len / 4)); /* straddles */
	if (e->in->real && at > 0x10ffef - len)
		at = 0x10000;
	store_bytes(e, at, p, len);
	return at;
}

/* The doorbell: one 32-bit out of gpa, or (rarely) the wrong shape. */
static void ring(struct em *e, uint16_t port, uint64_t gpa)
{
	switch (rnd(e, 10)) {
	case 0: port_out(e, port, 1 + (unsigned)rnd(e, 2), gpa); break;
	case 1: port_in(e, port, 4); break;
	case 2: port_rep(e, port, 4, 1, 1 + rnd(e, 3), e->str[0]); break;
	default: port_out(e, port, 4, gpa);
	}
}

static uint64_t ucall_arg(struct em *e, uint32_t cmd)
{
	static const uint64_t exits[] = {0, 1, 63, 64, 255, 0xffffffffULL,
					 0x80000000ULL, 0x100000005ULL};

	if (rnd(e, 4) == 0)
		return edge(e, 1);
	switch (cmd) {
	case UCALL_EXIT: return rnd(e, 2) ? rnd(e, 64) : exits[rnd(e, 8)];
	case UCALL_EXCEPTION: return rnd(e, 2) ? rnd(e, 32) : rnd(e, 300);
	case UCALL_QUERY: return rnd(e, 7);
	case UCALL_HELLO: return rnd(e, 4) ? ABI_VERSION : rnd(e, 3);
	default: return e->str[rnd(e, 4)];
	}
}

static void move_ucall(struct em *e)
{
	struct ucall uc;
	static const uint32_t lens[] = {0, 1, 6, 40, 4095, 4096, 4097,
					0xffffffffu};

	memset(&uc, 0, sizeof(uc));
	uc.cmd = rnd(e, 8) ? 1 + (uint32_t)rnd(e, UCALL_PARK)
			   : (uint32_t)edge(e, 0);
	uc.len = rnd(e, 2) ? (uint32_t)rnd(e, 64) : lens[rnd(e, 8)];
	uc.buf = rnd(e, 2) ? e->str[rnd(e, 4)] : edge(e, uc.len);
	for (int i = 0; i < 4; i++)
		uc.args[i] = ucall_arg(e, uc.cmd);
	if (uc.cmd == UCALL_ASSERT)
		uc.args[0] = rnd(e, 1000);
	uc.ret = gen_next(&e->rng);
	ring(e, ABI_UCALL_PORT, place(e, &uc, sizeof(uc)));
}

static void move_blk(struct em *e)
{
	static const uint64_t counts[] = {0, 1, 2, 8, ABI_BLK_MAX,
					  ABI_BLK_MAX + 1, 1ULL << 55, UINT64_MAX};
	static const uint64_t sectors[] = {0, DISK_SECTORS - 1, DISK_SECTORS,
					   UINT64_MAX, UINT64_MAX / 512 + 1,
					   1ULL << 55};
	struct blk_req r = {.status = BLK_S_PENDING};

	r.op = rnd(e, 8) ? 1 + (uint32_t)rnd(e, BLK_IDENTIFY)
			 : (uint32_t)edge(e, 0);
	r.count = rnd(e, 2) ? 1 + rnd(e, 8) : counts[rnd(e, 8)];
	r.sector = rnd(e, 2) ? rnd(e, DISK_SECTORS) : sectors[rnd(e, 6)];
	if (rnd(e, 2))
		r.buf = e->in->addr + GEN_DATA;
	else if (rnd(e, 4) == 0)
		r.buf = 0x1000 * rnd(e, 9); /* the VMM's tables: the guest's own RAM */
	else
		r.buf = edge(e, r.count * 512);
	ring(e, ABI_BLK_PORT, place(e, &r, sizeof(r)));
}

static uint16_t some_port(struct em *e)
{
	static const uint16_t ports[] = {
		0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff, 0xe9,
		ABI_UCALL_PORT, ABI_UCALL_PORT + 1, ABI_UCALL_PORT + 3,
		ABI_BLK_PORT, ABI_BLK_PORT + 2, 0x80, 0x0, 0xffff, 0x3f7,
	};

	return rnd(e, 8) ? ports[rnd(e, sizeof(ports) / 2)]
			 : (uint16_t)rnd(e, 0x10000);
}

static void move_port(struct em *e)
{
	static const uint64_t counts[] = {0, 1, 2, 7, 4096, 4097, 65535,
					  1ULL << 20};
	unsigned size = 1u << rnd(e, 3);
	uint16_t port = some_port(e);

	switch (rnd(e, 4)) {
	case 0: port_in(e, port, size); break;
	case 1: port_rep(e, port, size, (int)rnd(e, 2),
			 rnd(e, 2) ? rnd(e, 64) : counts[rnd(e, 8)],
			 rnd(e, 2) ? e->str[rnd(e, 4)] : edge(e, 16));
		break;
	default: port_out(e, port, size, edge(e, 0));
	}
}

static void move_mmio(struct em *e)
{
	static const uint64_t devs[] = {0xfee00000, 0xfec00000, 0xfed00000,
					0xfffff000, 0xc0000000, 0xfffbd000};
	uint64_t addr = rnd(e, 2) ? devs[rnd(e, 6)] : edge(e, 8);

	if (e->in->real)
		addr = e->in->mem + rnd(e, 0x10000 - 16);
	if (!e->in->real && rnd(e, 8) == 0) {
		mov(e, AX, addr);
		op(e, 2, 0xff, 0xe0); /* jmp *%rax: run code that is not RAM */
		return;
	}
	mem_access(e, addr, 1u << rnd(e, 4), (int)rnd(e, 2));
}

/* How the program ends; garbage included. */
static void ending(struct em *e)
{
	switch (rnd(e, 8)) {
	case 0: op(e, 2, 0xeb, 0xfe); break;            /* jmp . (the watchdog) */
	case 1: op(e, 2, 0xfa, 0xf4); break;            /* cli; hlt */
	case 2: op(e, 2, 0x0f, 0x0b); break;            /* ud2 */
	case 3: {
		struct ucall uc = {.cmd = UCALL_EXIT, .args = {ucall_arg(e, UCALL_EXIT)}};

		port_out(e, ABI_UCALL_PORT, 4, data_put(e, &uc, sizeof(uc)));
		break;
	}
	case 4:
		for (uint64_t i = 0, k = 8 + rnd(e, 64); i < k; i++)
			op(e, 1, (int)rnd(e, 256));
		break;
	case 5: break;                                  /* fall into zeros */
	default: op(e, 1, 0xf4);                        /* hlt */
	}
}

static void strings(struct em *e)
{
	static const char *const s[] = {
		"hello from the guest fuzzer\n", "%s%n%x%p\n",
		"esc \033[2J\033]0;owned\007 and a\nsecond line\rvmm: forged\n",
	};
	char longstr[300];

	for (int i = 0; i < 3; i++)
		e->str[i] = data_put(e, s[i], strlen(s[i]) + 1);
	memset(longstr, 'A', sizeof(longstr)); /* no NUL: UCALL_STR_MAX + */
	e->str[3] = data_put(e, longstr, sizeof(longstr));
}

static void random_bytes(struct em *e, size_t len)
{
	for (size_t i = 0; i < len && e->n < GEN_MAX; i++)
		e->in->code[e->n++] = (uint8_t)gen_next(&e->rng);
}

/* The runtime's first words: HELLO with the right ABI, then a print. */
static void prologue(struct em *e)
{
	struct ucall hello = {.cmd = UCALL_HELLO, .args = {ABI_VERSION}};
	struct ucall print = {.cmd = UCALL_PRINT, .len = 6, .buf = e->str[0]};

	port_out(e, ABI_UCALL_PORT, 4, data_put(e, &hello, sizeof(hello)));
	port_out(e, ABI_UCALL_PORT, 4, data_put(e, &print, sizeof(print)));
}

/* Flips a few bytes: the structure, slightly wrong. */
static void mutate(struct em *e)
{
	size_t len = e->in->len;

	for (uint64_t i = 0, k = 1 + rnd(e, 8); i < k && len; i++)
		e->in->code[rnd(e, len)] ^= (uint8_t)(1 + rnd(e, 255));
	e->in->mutated = 1;
}

/* The machine and vmm's flags for this input. */
static void machine(struct em *e, enum gen_kind k)
{
	struct gen_input *in = e->in;

	in->kind = k;
	in->real = k == GEN_REAL_RANDOM || k == GEN_REAL_PORTS ||
		   k == GEN_REAL_UCALL || k == GEN_REAL_MMIO;
	in->mem = in->real ? (rnd(e, 4) ? 1 : 2) << 20
			   : (uint64_t)(rnd(e, 4) ? 2 : 4 << rnd(e, 3)) << 20;
	in->addr = in->real ? 0x7c00 : ABI_LOAD_BASE;
	in->cpus = !in->real && rnd(e, 8) == 0 ? 2 : 1;
	in->disk = rnd(e, 4) != 0;
	in->disk_ro = in->disk && rnd(e, 4) == 0;
	in->trace = rnd(e, 8) == 0;
	in->stats = rnd(e, 8) == 0;
	in->json = in->stats && rnd(e, 2);
}

void gen_input(uint64_t seed, struct gen_input *in)
{
	struct em e = {.in = in, .rng = seed, .data = GEN_DATA};
	enum gen_kind k;

	memset(in, 0, sizeof(*in));
	in->seed = seed;
	k = (enum gen_kind)rnd(&e, GEN_KINDS);
	machine(&e, k);
	if (k == GEN_REAL_RANDOM || k == GEN_LONG_RANDOM) {
		random_bytes(&e, 1 + rnd(&e, rnd(&e, 2) ? 64 : GEN_MAX));
		in->len = e.n;
		return;
	}
	strings(&e);
	if (k == GEN_LONG_PROLOGUE) {
		prologue(&e);
		random_bytes(&e, 16 + rnd(&e, 496));
		in->len = e.n > e.data ? e.n : e.data;
		return;
	}
	for (uint64_t i = 0, moves = 1 + rnd(&e, 6); i < moves; i++) {
		switch (k) {
		case GEN_REAL_UCALL: case GEN_LONG_UCALL: move_ucall(&e); break;
		case GEN_LONG_BLK: move_blk(&e); break;
		case GEN_REAL_PORTS: case GEN_LONG_PORTS: move_port(&e); break;
		default: move_mmio(&e);
		}
		if (rnd(&e, 4) == 0) /* mix: another kind of move in between */
			rnd(&e, 2) ? move_ucall(&e) : move_port(&e);
	}
	ending(&e);
	in->len = e.data;
	if (rnd(&e, 4) == 0)
		mutate(&e);
}

const char *gen_kind_name(enum gen_kind k)
{
	static const char *const names[GEN_KINDS] = {
		"real-random", "long-random", "real-ports", "long-ports",
		"real-ucall", "long-ucall", "long-blk", "long-mmio", "real-mmio",
		"long-prologue",
	};

	return (unsigned)k < GEN_KINDS ? names[k] : "?";
}
