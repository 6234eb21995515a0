/*
 * part_json: a plan as JSON, out and back in.
 *
 * `partition plan --json` writes part_json_plan(); `partition apply PLAN`
 * reads it back with part_json_read(), so a plan is a file that can be
 * looked at, kept, versioned, and applied later (the way a cloud keeps the
 * desired state apart from the machine that carries it out).
 * Sizes are bytes, CPU ids a list and a cpuset string ("1-4").
 */
#ifndef PART_JSON_H
#define PART_JSON_H

#include "part_plan.h"

/* A json-c tree (json-c/json.h): the plan as written. Reading is jansson's. */
struct json_object;

/* The plan with its report; NULL if out of memory. Caller puts it. */
struct json_object *part_json_plan(const struct part_plan *pl,
				   const struct part_reqs *rs);

/*
 * plan as pretty JSON text (malloc'd), or NULL if out of memory: never
 * text with bytes missing (json-c's printer drops them when it cannot grow
 * its buffer).
 */
char *part_json_text(struct json_object *plan);

/*
 * Reads a plan written by part_json_plan into pl (servers, their CPU ids,
 * memory, disk extents, the host, ratio and image). Returns 0; -EINVAL when
 * text is not a plan, with err->msg naming the field at fault (or the line
 * and column of a key given twice in one object, or of a "\u0000");
 * -ERANGE when it is a plan no planner made (edited by hand: a CPU over the
 * ratio or in the reserve, disks overlapping or past the image, more memory
 * than the host), err->msg saying which; -E2BIG or -ENOMEM. Free with
 * part_plan_free() either way.
 */
int part_json_read(struct part_plan *pl, const char *text,
		   struct vmlab_err *err);

#endif /* PART_JSON_H */
