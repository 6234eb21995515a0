/*
 * faultinj.c: make the Nth call of one libc function fail, from outside
 * the program (LD_PRELOAD), so that library code is tested on errors it
 * cannot otherwise meet: a full disk, a refused open, no memory.
 *
 *   VMLAB_FAIL=open:3 LD_PRELOAD=build/faultinj.so PROG ARGS
 *
 * fails the 3rd open (openat, open64 count too) with EACCES; the others:
 * malloc (ENOMEM), write (ENOSPC), fsync (EIO), ioctl (EIO). Every call
 * after the Nth succeeds again: one fault per run, so a driver can sweep N.
 * Built and driven by mk/faultinj.sh.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int target_n = -1;
static char target[16];

/* 1 when this call of fn is the one to fail. */
static int hit(const char *fn)
{
	static int count, ready;

	if (!ready) {
		const char *e = getenv("VMLAB_FAIL");
		const char *c = e ? strchr(e, ':') : NULL;

		ready = 1;
		if (c && (size_t)(c - e) < sizeof(target)) {
			memcpy(target, e, (size_t)(c - e));
			target_n = atoi(c + 1);
		}
	}
	return target_n > 0 && !strcmp(fn, target) && ++count == target_n;
}

#define REAL(name) static __typeof__(name) *real; \
	if (!real) real = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	REAL(open);
	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	if (hit("open"))
		return errno = EACCES, -1;
	return real(path, flags, mode);
}

int openat(int dir, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	REAL(openat);
	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	if (hit("open"))
		return errno = EACCES, -1;
	return real(dir, path, flags, mode);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(write);
	if (hit("write"))
		return errno = ENOSPC, -1;
	return real(fd, buf, n);
}

int fsync(int fd)
{
	REAL(fsync);
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
