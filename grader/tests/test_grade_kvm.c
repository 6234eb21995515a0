/* test_grade_kvm.c: is /dev/kvm backed by hardware virtualization? */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "grade_kvm.h"

/* The flags line says it, read here by grep as a second witness. */
static int grep_says_hardware(void)
{
	int rc = system("grep -qE '^flags.*[[:space:]](vmx|svm)([[:space:]]|$)' /proc/cpuinfo");
	cr_assert(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) <= 1,
		  "grep could not read /proc/cpuinfo (status %d)", rc);
	return WEXITSTATUS(rc) == 0;
}

Test(grade_kvm, hardware_is_the_cpu_flags_word)
{
	unsetenv("GRADE_NO_HWVIRT");
	cr_assert_eq(grade_kvm_hardware(), grep_says_hardware(),
		     "grade_kvm_hardware() disagrees with /proc/cpuinfo's flags");
}

Test(grade_kvm, no_hwvirt_forces_the_software_path)
{
	setenv("GRADE_NO_HWVIRT", "1", 1);
	cr_assert_eq(grade_kvm_hardware(), 0);
	unsetenv("GRADE_NO_HWVIRT");
}
