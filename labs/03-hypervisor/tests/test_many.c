/*
 * test_many: the run-many config.
 */
#include "graded.h"
#include "many.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct many_vm v[MANY_MAX];
static struct vmlab_err why;

GRADED(many, parses_vms_and_options, 0, "03.7 VMs", 5)
{
	const char *cfg = "# two VMs\n"
			  "web  web.elf mem=32M cpus=2\n"
			  "\n"
			  "db db.elf disk=disks.img:0:8388608,ro   # its slice\n";

	cr_assert_eq(many_parse(cfg, v, MANY_MAX, &why), 2, "%s", why.msg);
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
	cr_assert_eq(many_parse("a a.elf\nb\n", v, MANY_MAX, &why), -EINVAL);
	cr_assert(strstr(why.msg, "line 2"), "%s", why.msg);
	cr_assert_eq(many_parse("a a.elf ram=1G\n", v, MANY_MAX, &why), -EINVAL);
	cr_assert(strstr(why.msg, "ram=1G"), "%s", why.msg);
	cr_assert_eq(many_parse("# nothing\n", v, MANY_MAX, &why), -EINVAL);
	cr_assert_eq(many_parse("a a.elf\nb b.elf\n", v, 1, &why), -EINVAL);
}

/* Two VMs must never write the same bytes of one disk image. */
GRADED(many, refuses_overlapping_writable_slices, 0, "03.7 VMs", 5)
{
	char img[] = "/tmp/vmm-many-XXXXXX", cfg[1024];
	int fd = mkstemp(img);

	cr_assert(fd >= 0 && ftruncate(fd, 3 * 65536) == 0);
	close(fd);
	/* The same slice, by another path: refused. */
	snprintf(cfg, sizeof(cfg), "a a.elf disk=%s:64K:64K\nb b.elf"
		 " disk=/tmp/..%s:64K:64K\n", img, img);
	cr_assert_eq(many_parse(cfg, v, MANY_MAX, &why), 2, "%s", why.msg);
	cr_assert_eq(many_check_disks(v, 2, &why), -EBUSY);
	cr_assert(strstr(why.msg, "a and b would both write bytes [65536, 131072)"),
		  "%s", why.msg);
	/* A slice inside the whole file: refused. */
	snprintf(cfg, sizeof(cfg), "a a.elf disk=%s\nb b.elf disk=%s:128K:512\n",
		 img, img);
	cr_assert_eq(many_parse(cfg, v, MANY_MAX, &why), 2, "%s", why.msg);
	cr_assert_eq(many_check_disks(v, 2, &why), -EBUSY, "%s", why.msg);
	/* Side by side, or one of them read-only: fine. */
	snprintf(cfg, sizeof(cfg), "a a.elf disk=%s:0:64K\nb b.elf disk=%s:64K:64K\n"
		 "c c.elf disk=%s:0:128K,ro\n", img, img, img);
	cr_assert_eq(many_parse(cfg, v, MANY_MAX, &why), 3, "%s", why.msg);
	cr_assert_eq(many_check_disks(v, 3, &why), 0, "%s", why.msg);
	unlink(img);
}

/* A VM's name starts each of its console lines: no escape sequences. */
GRADED(many, refuses_control_characters_in_names, 0, "03.7 VMs", 5)
{
	cr_assert_eq(many_parse("vm\x1b[2J a.elf\n", v, MANY_MAX, &why),
		     -EINVAL);
	cr_assert(strstr(why.msg, "control character (byte 0x1b)"), "%s", why.msg);
}
