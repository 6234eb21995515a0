/*
 * fuzz_plan: a plan file (JSON, as `partition plan --json` writes it) into
 * part_json_read (lab 02). `partition apply` reads such a file, which a user
 * may have edited by hand, before it touches any cgroup.
 *
 * Checked: part_plan_free is safe after success and failure alike, a
 * refusal says why, and every accepted server has a valid name.
 */
#include "fuzz_input.h"
#include "part_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct part_plan pl;
	struct vmlab_err err = {0};

	memset(&pl, 0, sizeof(pl));
	if (part_json_read(&pl, text, &err) == 0) {
		for (size_t i = 0; i < pl.nvs; i++)
			FUZZ_ASSERT(part_name_ok(pl.vs[i].req.name));
	} else {
		FUZZ_ASSERT(err.msg[0]);
	}
	part_plan_free(&pl);
	free(text);
	return 0;
}
