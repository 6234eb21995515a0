/*
 * faultinj.h: fail the Nth call of one libc function, from inside a test.
 *
 * mk/faultinj.c defines malloc, open, write, fsync, ioctl (and their
 * siblings, see there) in front of the C library's. Linked into a test
 * program, it replaces them for the whole process, shared libraries
 * (SQLite, json-c) included; the test arms a fault around one library
 * call and asserts what the library did about it:
 *
 *	faultinj_arm("fsync", n, 0);   the nth fsync of the call fails
 *	rc = cloud_run(...);
 *	calls = faultinj_disarm();     before any assertion: Criterion
 *	                               allocates and writes too
 *
 * The same file as an LD_PRELOAD library (build/faultinj.so) reads
 * VMLAB_FAIL=FN:N or FN:N+ instead (mk/faultinj.sh drives it).
 */
#ifndef VMLAB_FAULTINJ_H
#define VMLAB_FAULTINJ_H

/*
 * From now on, count the calls of fn ("malloc", "open", "write", "fsync",
 * "ioctl") and fail the nth (n >= 1; 0 only counts); every = 1 fails the
 * nth and every later one (a disk that stays full). Other functions are
 * left alone.
 */
void faultinj_arm(const char *fn, long n, int every);

/* Stops failing and counting. Returns the calls of fn seen while armed. */
long faultinj_disarm(void);

/* How many calls the armed fault has failed so far. */
long faultinj_failed(void);

#endif /* VMLAB_FAULTINJ_H */
