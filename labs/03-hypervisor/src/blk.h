/*
 * blk: the paravirtual disk, served from a host file or a slice of one.
 *
 *   blk_parse()   "FILE[:OFFSET:SIZE][,ro]" into a struct blk_spec
 *   blk_open()    open the image (or its slice) for a VM
 *   blk_check()   is a guest request valid? (pure: every boundary)
 *   blk_serve()   one doorbell write by the guest (an exit)
 *   blk_ring_serve() one ring notification: every request in the ring
 *   blk_close()
 *
 * A virtual disk is nothing but bytes of a host file: the guest asks for
 * sector S, the VMM reads the file at OFFSET + S * 512. Everything the
 * guest hands over (sector, count, buffer address) is checked before it is
 * used, and a bad request fails closed: an error status to the guest,
 * nothing read or written. Lab 02's per-VM disk extents are slices of one
 * image: --disk disks.img:OFFSET:SIZE.
 */
#ifndef VMM_BLK_H
#define VMM_BLK_H

#include "vmlab_err.h"

#include <stddef.h>
#include <stdint.h>

struct blk_spec {
	char path[4096];
	uint64_t offset;   /* where the disk starts in the file */
	uint64_t size;     /* bytes; 0: to the end of the file */
	int ro;            /* read-only */
};

struct blk {
	int fd;            /* -1: no disk */
	uint64_t offset;
	uint64_t size;     /* bytes, a multiple of 512 */
	int ro;
};

/*
 * Parses spec. Returns 0, or -EINVAL with a one-line reason in err that
 * names no flag (the caller says where spec came from: "--disk: "). When
 * spec is not of the form at all, err->name is BLK_ERR_SYNTAX and msg
 * reads on from the flag: "wants FILE, FILE:OFFSET:SIZE ...".
 */
int blk_parse(const char *spec, struct blk_spec *out, struct vmlab_err *err);

/* err->name of blk_parse() for a spec not of the form FILE[:OFFSET:SIZE]. */
#define BLK_ERR_SYNTAX "blk_parse: syntax"

/*
 * Opens s for b. Returns 0, or -errno with err->name BLK_ERR_OPEN: the
 * errno of open(2) or fstat(2) (msg "open PATH: strerror"); -EINVAL when
 * the file is not a regular file, or the slice lies outside it or is not
 * whole sectors (msg says which, naming no flag).
 */
int blk_open(struct blk *b, const struct blk_spec *s, struct vmlab_err *err);

/* err->name of every blk_open() failure. */
#define BLK_ERR_OPEN "blk_open"
void blk_close(struct blk *b);

/*
 * Checks request r against a disk of disk_size bytes (ro: read-only) and a
 * guest with ram_size bytes of RAM. Returns BLK_S_OK or the status that
 * refuses it. No disk at all: disk_size 0.
 */
int blk_check(uint32_t op, uint64_t sector, uint64_t count, uint64_t buf,
	      uint64_t disk_size, int ro, uint64_t ram_size);

/*
 * Serves the request at guest-physical gpa in ram (ram_size bytes): checks
 * it, does the I/O, writes .status. Returns 0, or -EFAULT when the request
 * itself is not inside guest RAM (nowhere to put a status).
 */
int blk_serve(struct blk *b, uint8_t *ram, uint64_t ram_size, uint64_t gpa);

/*
 * Serves the struct blk_ring at guest-physical gpa (optional stage 03.11,
 * the ABI in vmlab_abi.h): every request from tail to head, each as
 * blk_serve() does, then tail = head. Returns how many it served (0 to the
 * ring's size), or, serving nothing: -EFAULT when the ring is not inside
 * guest RAM, -EINVAL when its size or indexes are bad; err->msg says which.
 */
int blk_ring_serve(struct blk *b, uint8_t *ram, uint64_t ram_size,
		   uint64_t gpa, struct vmlab_err *err);

#endif /* VMM_BLK_H */
