/*
 * hi_json: the same facts as the human report, as a JSON document (json-c).
 *
 *   obj = hi_json_host(h, ds);   ...   json_object_put(obj);
 *
 * Sizes are in bytes, times in seconds, fractions in 0..1; a section that
 * could not be read is null, one not asked for is absent. The problems met
 * while reading are in "warnings", each with file, line and message.
 */
#ifndef HI_JSON_H
#define HI_JSON_H

struct hi_host;
struct hi_diags;
struct json_object;

/* Builds the document. Returns it (the caller puts it), or NULL if out of
 * memory. */
struct json_object *hi_json_host(const struct hi_host *h,
				 const struct hi_diags *ds);

#endif /* HI_JSON_H */
