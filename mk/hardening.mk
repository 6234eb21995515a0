# hardening.mk: every test suite again under the sanitizers.
#
#   make check-asan   each lab's `make test` and the grader's unit and labvm
#                     tests, built with SAN=1 (AddressSanitizer,
#                     UndefinedBehaviorSanitizer, LeakSanitizer) into
#                     build-san/ folders beside the normal builds
#
# Any sanitizer report fails the run: UBSan halts on its first report
# (by default it only prints and the test would pass), ASan on its first
# error, LSan at exit. mk/lsan.supp ignores Criterion's own runner leak.
# Included from the top-level Makefile: paths are relative to the repo top.
SAN_BUILD ?= build-san
SAN_LABS  := $(patsubst %/Makefile,%,$(wildcard labs/*/Makefile))
# Every SAN=1 make gets the same harness, built sanitized once.
SAN_MAKE  := $(MAKE) --no-print-directory SAN=1 BUILD=$(SAN_BUILD) \
             GRADED_LIB=$(CURDIR)/grader/$(SAN_BUILD)/libgraded.a
SAN_ENV   := UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
             ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
             LSAN_OPTIONS=suppressions=$(CURDIR)/mk/lsan.supp,print_suppressions=0

.PHONY: check-asan check-asan-clean
# Every part runs even when an earlier one fails; the status says if any did.
check-asan:
	@fail=""; \
	for d in $(SAN_LABS); do \
		echo "== $$d: make SAN=1 test"; \
		 \
		$(SAN_ENV) $(SAN_MAKE) -C $$d test || fail="$$fail $$d"; \
	done; \
	echo "== grader: make SAN=1 unit"; \
	$(SAN_ENV) $(SAN_MAKE) -C grader unit || fail="$$fail grader"; \
	if [ -f grader/vm/Makefile ]; then \
		echo "== grader/vm: make SAN=1 test"; \
		$(SAN_ENV) $(SAN_MAKE) -C grader/vm test || fail="$$fail grader/vm"; \
	fi; \
	if [ -n "$$fail" ]; then echo "check-asan: FAILED in$$fail"; exit 1; fi; \
	echo "check-asan: every suite passed under ASan, UBSan and LSan"

check-asan-clean:
	rm -rf $(SAN_LABS:=/$(SAN_BUILD)) grader/$(SAN_BUILD) grader/vm/$(SAN_BUILD)

# Fault injection is the instructor's (grader/handout-exclude leaves
# mk/faultinj.* and the labs' tests/faults/ out of the handout).
ifneq ($(wildcard mk/faultinj.c),)
# Fault injection (mk/faultinj.c; SECURITY.md, "Fault injection"): the Nth
# call of malloc, open, write, fsync or ioctl fails, for every N a run makes.
#   labs 01, 02  whole programs under LD_PRELOAD (mk/faultinj.sh): each open()
#                refused in turn, then stdout on a full disk (/dev/full:
#                stdio's own writes bypass an interposed write()). Checked:
#                no crash, no silent failure (exit 0, different output).
#   lab 03       tests/faults/test_faults.c, the shim compiled in: vm_create
#                and vm_run under every fault; on /dev/kvm, else in labvm
#   lab 04       tests/faults/sweep.sh: each command's SQLite state under
#                every fault (FAULT_RUNS values of N per function)
#   grader       tests/test_grade_faults.c (also in its `make unit`)
FAULT_SO := build/faultinj.so
FAULT_H  := labs/01-server/build/hostinfo
FAULT_P  := labs/02-partition/build/partition
FAULT_PLAN := plan --host cpus=8,mem=32G,disk=1T --json labs/02-partition/examples/tour.txt
FAULT_RUNS ?= 60
FAULT_03 := build/faults/test_faults_03
LAB03    := labs/03-hypervisor
$(FAULT_SO): mk/faultinj.c mk/faultinj.h
	@mkdir -p $(@D)
	$(CC) -shared -fPIC -O2 -Wall -Wextra -Werror -DFAULTINJ_PRELOAD -Imk -o $@ $< -ldl
# Lab 03's fault test links the lab's library as lab 03's own make built it.
$(FAULT_03): $(LAB03)/tests/faults/test_faults.c mk/faultinj.c mk/faultinj.h FORCE_LAB03
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -I$(LAB03)/src -I$(LAB03)/given \
		-I$(LAB03)/include -Igrader/include \
		-DLAB_BUILD='"$(CURDIR)/$(LAB03)/build"' -o $@ $< $(LAB03)/build/libvmm.a \
		-ljson-c -lcriterion -lpthread -ldl
.PHONY: FORCE_LAB03
FORCE_LAB03:
	@env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $(MAKE) -s --no-print-directory -C $(LAB03) all tests

.PHONY: check-faults faults-01-02 faults-03 faults-04 faults-grader
check-faults:
	@fail=""; \
	for part in 01-02 03 04 grader; do \
		$(MAKE) -s --no-print-directory faults-$$part || fail="$$fail $$part"; \
	done; \
	if [ -n "$$fail" ]; then echo "check-faults: FAILED in$$fail"; exit 1; fi; \
	echo "check-faults: every injected fault gave the documented error, nothing half-written"

faults-01-02: $(FAULT_SO)
	@$(MAKE) -s --no-print-directory -C labs/01-server all
	@$(MAKE) -s --no-print-directory -C labs/02-partition all
	@echo "== labs 01, 02: open() refused in turn, stdout on /dev/full"; \
	fail=0; \
	mk/faultinj.sh open 150 -- $(FAULT_H) --root labs/01-server/tests/fixtures/xeon-2s >build/faults-01.log || fail=1; \
	mk/faultinj.sh open 40 -- $(FAULT_P) $(FAULT_PLAN) >build/faults-02.log || fail=1; \
	grep -v ' ok$$' build/faults-0*.log; \
	$(FAULT_H) --root labs/01-server/tests/fixtures/xeon-2s >/dev/full 2>/dev/null; rc=$$?; \
	echo "hostinfo >/dev/full: exit $$rc"; [ $$rc -ne 0 ] && [ $$rc -lt 128 ] || fail=1; \
	$(FAULT_P) $(FAULT_PLAN) >/dev/full 2>/dev/null; rc=$$?; \
	echo "partition plan >/dev/full: exit $$rc"; [ $$rc -ne 0 ] && [ $$rc -lt 128 ] || fail=1; \
	echo "open() refused in turn: $$(grep -c ' ok$$' build/faults-01.log) hostinfo runs, $$(grep -c ' ok$$' build/faults-02.log) partition runs ok"; \
	echo "== labs 01, 02: every malloc refused in turn (out of memory: hostinfo exits 4, partition 5)"; \
	mk/faultinj.sh malloc all -- $(FAULT_H) --root labs/01-server/tests/fixtures/xeon-2s >build/faults-01m.log || fail=1; \
	mk/faultinj.sh malloc all -- $(FAULT_P) $(FAULT_PLAN) >build/faults-02m.log || fail=1; \
	grep -v ' ok$$' build/faults-0*m.log; \
	if grep -v ' exit [04] ' build/faults-01m.log; then echo "hostinfo: out of memory not exit 4"; fail=1; fi; \
	if grep ' exit 2 ' build/faults-02m.log; then echo "partition: out of memory reported as bad input"; fail=1; fi; \
	echo "malloc refused in turn: $$(grep -c ' ok$$' build/faults-01m.log) hostinfo runs, $$(grep -c ' ok$$' build/faults-02m.log) partition runs ok"; \
	exit $$fail

# On this machine's /dev/kvm when it creates VMs, else inside labvm.
faults-03: $(FAULT_03)
	@echo "== lab 03: vm_create, vm_run under every fault"; \
	if $(LAB03)/build/tests/kvmcheck; then \
		(ulimit -n 1024; $(FAULT_03) -j1); \
	else \
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL grader/labvm run --timeout 600 \
			--in $(CURDIR)/$(FAULT_03) --in $(CURDIR)/$(LAB03)/build \
			-- $(CURDIR)/$(FAULT_03) -j1; rc=$$?; \
		if [ $$rc = 120 ]; then echo "lab 03 faults SKIPPED: no usable /dev/kvm here" \
			"and labvm is not ready (run 'make labvm')"; rc=0; fi; \
		exit $$rc; \
	fi

faults-04: $(FAULT_SO)
	@$(MAKE) -s --no-print-directory -C labs/04-cloud all
	@echo "== lab 04: every command's state under every fault"
	@labs/04-cloud/tests/faults/sweep.sh labs/04-cloud/build/cloud $(FAULT_SO) $(FAULT_RUNS)

faults-grader:
	@$(MAKE) -s --no-print-directory -C grader build/tests/test_grade_faults
	@echo "== grader: results.json, JUnit and outcome files under every fault"
	@grader/build/tests/test_grade_faults
else
.PHONY: check-faults
check-faults:
	@echo "make $@: instructor-only (fault injection is not in the handout)" >&2; exit 2
endif
