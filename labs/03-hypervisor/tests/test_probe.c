/*
 * test_probe: stage 1, the first conversation with /dev/kvm.
 */
#include "graded.h"
#include "probe.h"
#include "util.h"

#include <json-c/json.h>

GRADED(probe, api_version_12_and_a_vm, 2, "03.1 probe", 10)
{
	struct probe p;
	struct vmlab_err what = {0};

	NEED_KVM();
	cr_assert_eq(probe_kvm("/dev/kvm", &p, &what), 0, "probe failed at %s", what.msg);
	cr_assert_eq(p.api_version, 12);
	cr_assert(p.vm_ok);
	cr_assert_eq(p.missing, 0);
}

GRADED(probe, capabilities_have_values, 2, "03.1 probe", 10)
{
	struct probe p;
	struct vmlab_err what;
	int seen_user_memory = 0, seen_max_vcpus = 0;

	NEED_KVM();
	cr_assert_eq(probe_kvm("/dev/kvm", &p, &what), 0);
	cr_assert_geq(p.ncap, 6);
	for (unsigned i = 0; i < p.ncap; i++) {
		if (!strcmp(p.cap[i].name, "KVM_CAP_USER_MEMORY"))
			seen_user_memory = p.cap[i].value > 0;
		if (!strcmp(p.cap[i].name, "KVM_CAP_MAX_VCPUS"))
			seen_max_vcpus = p.cap[i].value >= 1;
	}
	cr_assert(seen_user_memory && seen_max_vcpus);
}

GRADED(probe, missing_device_is_an_error, 0, "03.1 probe", 10)
{
	struct probe p;
	struct vmlab_err what = {0};

	cr_assert_eq(probe_kvm("/nonexistent/kvm", &p, &what), -ENOENT);
	cr_assert_str_eq(what.name, "open");
}

GRADED(probe, command_prints_the_table, 1, "03.1 probe", 10)
{
	struct vmm_out o;

	NEED_KVM();
	VMM(&o, "probe");
	EXPECT_RC(o, 0);
	EXPECT_OUT(o, "^KVM API version +12 \\(vmm needs 12\\)$");
	EXPECT_OUT(o, "^KVM_CREATE_VM +works$");
	EXPECT_OUT(o, "^KVM_CAP_USER_MEMORY +1 +required ");
}

GRADED(probe, command_json, 1, "03.1 probe", 10)
{
	struct vmm_out o;
	json_object *j, *v;

	NEED_KVM();
	VMM(&o, "probe", "--json");
	EXPECT_RC(o, 0);
	j = json_tokener_parse(o.out);
	cr_assert(j, "not JSON: %s", o.out);
	cr_assert(json_object_object_get_ex(j, "api_version", &v));
	cr_assert_eq(json_object_get_int(v), 12);
	cr_assert(json_object_object_get_ex(j, "missing_required", &v));
	cr_assert_eq(json_object_get_int(v), 0);
	json_object_put(j);
}
