# print-var.mk: make -f Makefile -f print-var.mk print-VAR prints VAR (mk/fuzz.mk
# reads each lab's LIB_SRCS this way, so it links what the lab links).
print-%:
	@echo $($*)
