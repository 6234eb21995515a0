/*
 * test_many: the run-many config.
 */
#include "graded.h"
#include "many.h"

#include <errno.h>
#include <string.h>

static struct many_vm v[MANY_MAX];
static char why[256];

GRADED(many, parses_vms_and_options, 0, "03.7 VMs", 5)
{
	const char *cfg = "# two VMs\n"
			  "web  web.elf mem=32M cpus=2\n"
			  "\n"
			  "db db.elf disk=disks.img:0:8388608,ro   # its slice\n";

	cr_assert_eq(many_parse(cfg, v, MANY_MAX, why, sizeof(why)), 2, "%s", why);
	cr_assert_str_eq(v[0].name, "web");
	cr_assert_str_eq(v[0].image, "web.elf");
	cr_assert_eq(v[0].mem, 32ULL << 20);
	cr_assert_eq(v[0].cpus, 2);
	cr_assert(!v[0].has_disk);
	cr_assert_eq(v[1].mem, 64ULL << 20, "the default");
	cr_assert(v[1].has_disk && v[1].disk.ro);
	cr_assert_eq(v[1].disk.size, 8388608);
}

GRADED(many, errors_name_the_line, 0, "03.7 VMs", 5)
{
	cr_assert_eq(many_parse("a a.elf\nb\n", v, MANY_MAX, why, sizeof(why)), -EINVAL);
	cr_assert(strstr(why, "line 2"), "%s", why);
	cr_assert_eq(many_parse("a a.elf ram=1G\n", v, MANY_MAX, why, sizeof(why)), -EINVAL);
	cr_assert(strstr(why, "ram=1G"), "%s", why);
	cr_assert_eq(many_parse("# nothing\n", v, MANY_MAX, why, sizeof(why)), -EINVAL);
	cr_assert_eq(many_parse("a a.elf\nb b.elf\n", v, 1, why, sizeof(why)), -EINVAL);
}
