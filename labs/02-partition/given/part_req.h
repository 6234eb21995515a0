/*
 * part_req: what is asked for, the input of a partition plan.
 *
 * A request file has one virtual server a line:
 *     name cpus=N mem=SIZE [disk=SIZE] [count=K] [pids=N]   # comment
 * Blank lines and '#' comments are skipped; sizes are part_size's (binary
 * units); a disk is whole 512-byte sectors. count=K stands for K servers named name1..nameK. The same list as
 * JSON: [{"name": "web", "cpus": 4, "mem": "4G", "disk": "20G", "count": 3}]
 * (sizes as strings with units or as numbers of bytes), also accepted
 * wrapped as {"servers": [...]}. A key given twice in one JSON object, or a
 * "\u0000" in a string, is refused (part_json_load), never read as the last.
 *
 * The host is given as "cpus=100,mem=100G,disk=2T" (--host and --reserve).
 * Parsers return 0 or -errno; on a bad input -EINVAL (or -ERANGE, -EEXIST
 * for a duplicate name, -E2BIG for too many servers) with err (vmlab_err.h:
 * the code and one line saying where and what; NULL for the code alone),
 * and the list left as it was before the call.
 */
#ifndef PART_REQ_H
#define PART_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab_err.h"

#define PART_NAME_MAX 32         /* a cgroup directory name, with its NUL */
#define PART_VCPUS_MAX 4096      /* per virtual server */
#define PART_HOST_CPUS_MAX 65536
#define PART_REQS_MAX 1000000    /* servers in one plan */
#define PART_PIDS_DEFAULT 1024

struct part_req {
	char name[PART_NAME_MAX];
	unsigned line;   /* its line in the request file; 0 from JSON */
	uint32_t vcpus;  /* virtual CPUs */
	uint64_t mem;    /* bytes */
	uint64_t disk;   /* bytes; 0 = no disk extent */
	uint32_t pids;   /* most processes at once (pids.max) */
};

struct part_reqs {
	struct part_req *v;
	size_t n, cap;
};

struct part_host {
	uint32_t cpus;
	uint64_t mem;  /* bytes */
	uint64_t disk; /* bytes */
};

/* Reads a request file's text (JSON when it starts with '[' or '{'). */
int part_reqs_parse(struct part_reqs *rs, const char *text,
		    struct vmlab_err *err);
int part_reqs_parse_text(struct part_reqs *rs, const char *text,
			 struct vmlab_err *err);
int part_reqs_parse_json(struct part_reqs *rs, const char *text,
			 struct vmlab_err *err);

/*
 * Parses JSON text with jansson into *root (json_decref it), refusing a key
 * given twice in one object and "\u0000" in a string. Returns 0, -ENOMEM,
 * or -EINVAL with the line, column and what is wrong in err.
 */
struct json_t;
int part_json_load(const char *text, struct json_t **root, struct vmlab_err *err);

/* Appends one request (name checked). Returns 0, -EINVAL, -E2BIG, -ENOMEM. */
int part_reqs_add(struct part_reqs *rs, const struct part_req *r,
		  struct vmlab_err *err);

/* Returns 0, or -EEXIST naming the first name given twice. */
int part_reqs_check_unique(const struct part_reqs *rs, struct vmlab_err *err);

void part_reqs_free(struct part_reqs *rs);

/*
 * Reads "cpus=N,mem=SIZE,disk=SIZE" into h. A key left out keeps h's value
 * (so a reserve starts from zeros and a host from what was detected).
 */
int part_host_parse(const char *spec, struct part_host *h,
		    struct vmlab_err *err);

/* 1 if name is a usable server name: [A-Za-z][A-Za-z0-9_-]*, < 32 chars. */
int part_name_ok(const char *name);

#endif /* PART_REQ_H */
