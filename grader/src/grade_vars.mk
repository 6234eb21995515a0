# grade_vars.mk: read with a lab's Makefile to tell the grader what it needs
# (make -f Makefile -f grade_vars.mk grade-vars).
.PHONY: grade-vars
grade-vars:
	@echo 'PROG=$(PROG)'
	@echo 'NEEDS=$(GRADE_NEEDS)'
	@echo 'LABVM_IN=$(GRADE_LABVM_IN)'
	@echo 'KVM_TESTS=$(GRADE_KVM_TESTS)'
	@echo 'HW_TESTS=$(GRADE_HW_TESTS)'
