/*
 * faultinj.c: make the Nth call of one libc function fail, from outside
 * the code under test, so that it meets the errors it cannot otherwise
 * meet on demand: no memory, a refused open, a full disk, a failed sync.
 *
 * Two ways in, one mechanism (definitions in front of the C library's):
 *   LD_PRELOAD=build/faultinj.so VMLAB_FAIL=open:3 PROG ARGS
 *       the 3rd open after main() starts fails; open:3+ fails the 3rd and
 *       every later one; VMLAB_FAIL=open:0 only counts. With
 *       VMLAB_FAIL_REPORT=FILE the count is written there at exit.
 *       mk/faultinj.sh sweeps N over a whole run.
 *   linked into a test (build/faultinj.o): faultinj_arm() and
 *       faultinj_disarm() around one library call (faultinj.h).
 *
 * The families, and the error each fails with:
 *   malloc  malloc, calloc, realloc (strdup, fopen, json-c and SQLite
 *           allocate through them)                            ENOMEM
 *   open    open, open64, openat, openat64, fopen, fopen64    EACCES
 *   write   write, pwrite, pwrite64, writev                   ENOSPC
 *   fsync   fsync, fdatasync                                  EIO
 *   ioctl   ioctl                                             EIO
 * stdio's own writes (fputs, fclose) bypass these: a test points them at
 * /dev/full instead.
 *
 * The allocator is reached through glibc's __libc_malloc & co., never
 * dlsym(): dlsym itself allocates, and would recurse. Calls made before
 * main() (the loader, libraries' constructors) are not counted, so N
 * means the program's own Nth call.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "faultinj.h"

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t k, size_t n);
void *__libc_realloc(void *p, size_t n);

static int armed;          /* 0: every call goes through */
static char family[16];   /* the armed family */
static long target_n;     /* the call to fail, 1-based; 0: count only */
static int every;         /* fail target_n and every call after it */
static long calls, fails; /* seen and failed since armed */

void faultinj_arm(const char *fn, long n, int all)
{
	__atomic_store_n(&armed, 0, __ATOMIC_SEQ_CST);
	snprintf(family, sizeof(family), "%s", fn);
	calls = fails = 0;
	target_n = n;
	every = all;
	__atomic_store_n(&armed, 1, __ATOMIC_SEQ_CST);
}

long faultinj_disarm(void)
{
	__atomic_store_n(&armed, 0, __ATOMIC_SEQ_CST);
	return __atomic_load_n(&calls, __ATOMIC_SEQ_CST);
}

long faultinj_failed(void)
{
	return __atomic_load_n(&fails, __ATOMIC_SEQ_CST);
}

/* 1 when this call, of family fn, is one to fail. Thread-safe: the vmm's
 * vCPU threads make ioctls of their own. */
static int hit(const char *fn)
{
	long k;

	if (!__atomic_load_n(&armed, __ATOMIC_SEQ_CST) || strcmp(fn, family))
		return 0;
	k = __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
	if (target_n <= 0 || k < target_n || (k > target_n && !every))
		return 0;
	__atomic_add_fetch(&fails, 1, __ATOMIC_SEQ_CST);
	return 1;
}

#ifdef FAULTINJ_PRELOAD
/* VMLAB_FAIL=FN:N[+], read once main() is about to run. */
static void arm_from_env(void)
{
	const char *e = getenv("VMLAB_FAIL");
	const char *c = e ? strchr(e, ':') : NULL;
	char fn[16];

	if (!c || (size_t)(c - e) >= sizeof(fn))
		return;
	memcpy(fn, e, (size_t)(c - e));
	fn[c - e] = '\0';
	faultinj_arm(fn, atol(c + 1), strchr(c, '+') != NULL);
}

/* VMLAB_FAIL_REPORT=FILE: at exit, "CALLS FAILED" of the armed family into
 * FILE, so that a driver knows when N has gone past the last call. */
__attribute__((destructor)) static void report(void)
{
	const char *path = getenv("VMLAB_FAIL_REPORT");
	long n = faultinj_disarm();
	FILE *f;

	if (path && (f = fopen(path, "w"))) {
		fprintf(f, "%ld %ld\n", n, faultinj_failed());
		fclose(f);
	}
}

/* The C library calls main through this: the moment to arm. */
typedef int main_fn(int, char **, char **);
static main_fn *real_main;

static int wrapped_main(int argc, char **argv, char **envp)
{
	arm_from_env();
	return real_main(argc, argv, envp);
}

int __libc_start_main(main_fn *main, int argc, char **argv, void (*init)(void),
		      void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
	int (*real)(main_fn *, int, char **, void (*)(void), void (*)(void),
		    void (*)(void), void *) = dlsym(RTLD_NEXT, "__libc_start_main");

	real_main = main;
	return real(wrapped_main, argc, argv, init, fini, rtld_fini, stack_end);
}
#endif

/* ---- malloc ---------------------------------------------------------- */
void *malloc(size_t n)
{
	if (hit("malloc"))
		return errno = ENOMEM, NULL;
	return __libc_malloc(n);
}

void *calloc(size_t k, size_t n)
{
	if (hit("malloc"))
		return errno = ENOMEM, NULL;
	return __libc_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
	if (hit("malloc"))
		return errno = ENOMEM, NULL;
	return __libc_realloc(p, n);
}

/* ---- open ------------------------------------------------------------ */
#define REAL(name) static __typeof__(name) *real; \
	if (!real) real = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

/* The mode argument exists only when the flags create a file. */
#define MODE(flags, last) \
	mode_t mode = 0; \
	if ((flags) & (O_CREAT | O_TMPFILE)) { \
		va_list ap; \
		va_start(ap, last); \
		mode = va_arg(ap, mode_t); \
		va_end(ap); \
	}

int open(const char *path, int flags, ...)
{
	REAL(open);
	MODE(flags, flags);
	if (hit("open"))
		return errno = EACCES, -1;
	return real(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	REAL(open64);
	MODE(flags, flags);
	if (hit("open"))
		return errno = EACCES, -1;
	return real(path, flags, mode);
}

int openat(int dir, const char *path, int flags, ...)
{
	REAL(openat);
	MODE(flags, flags);
	if (hit("open"))
		return errno = EACCES, -1;
	return real(dir, path, flags, mode);
}

int openat64(int dir, const char *path, int flags, ...)
{
	REAL(openat64);
	MODE(flags, flags);
	if (hit("open"))
		return errno = EACCES, -1;
	return real(dir, path, flags, mode);
}

FILE *fopen(const char *path, const char *how)
{
	REAL(fopen);
	if (hit("open"))
		return errno = EACCES, NULL;
	return real(path, how);
}

FILE *fopen64(const char *path, const char *how)
{
	REAL(fopen64);
	if (hit("open"))
		return errno = EACCES, NULL;
	return real(path, how);
}

/* ---- write ----------------------------------------------------------- */
ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(write);
	if (hit("write"))
		return errno = ENOSPC, -1;
	return real(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite);
	if (hit("write"))
		return errno = ENOSPC, -1;
	return real(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	REAL(pwrite64);
	if (hit("write"))
		return errno = ENOSPC, -1;
	return real(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	REAL(writev);
	if (hit("write"))
		return errno = ENOSPC, -1;
	return real(fd, iov, n);
}

/* ---- fsync, ioctl ---------------------------------------------------- */
int fsync(int fd)
{
	REAL(fsync);
	if (hit("fsync"))
		return errno = EIO, -1;
	return real(fd);
}

int fdatasync(int fd)
{
	REAL(fdatasync);
	if (hit("fsync"))
		return errno = EIO, -1;
	return real(fd);
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	REAL(ioctl);
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (hit("ioctl"))
		return errno = EIO, -1;
	return real(fd, req, arg);
}
