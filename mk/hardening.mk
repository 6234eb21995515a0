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

# Fault injection (mk/faultinj.c, LD_PRELOAD): each open() of a run refused
# in turn, then standard output on a full disk (/dev/full). Checked: no
# crash, no silent failure (exit 0 with a different output). stdio's own
# writes bypass an LD_PRELOAD write(), so /dev/full stands in for them.
FAULT_SO := build/faultinj.so
FAULT_H  := labs/01-server/build/hostinfo
FAULT_P  := labs/02-partition/build/partition
FAULT_PLAN := plan --host cpus=8,mem=32G,disk=1T --json labs/02-partition/examples/tour.txt
$(FAULT_SO): mk/faultinj.c mk/faultinj.h
	@mkdir -p $(@D)
	$(CC) -shared -fPIC -O2 -Wall -Wextra -Werror -DFAULTINJ_PRELOAD -Imk -o $@ $< -ldl

.PHONY: check-faults
check-faults: $(FAULT_SO)
	@$(MAKE) -s --no-print-directory -C labs/01-server all
	@$(MAKE) -s --no-print-directory -C labs/02-partition all
	@fail=0; \
	mk/faultinj.sh open 150 -- $(FAULT_H) --root labs/01-server/tests/fixtures/xeon-2s >build/faults-01.log || fail=1; \
	mk/faultinj.sh open 40 -- $(FAULT_P) $(FAULT_PLAN) >build/faults-02.log || fail=1; \
	grep -v ' ok$$' build/faults-0*.log; \
	$(FAULT_H) --root labs/01-server/tests/fixtures/xeon-2s >/dev/full 2>/dev/null; rc=$$?; \
	echo "hostinfo >/dev/full: exit $$rc"; [ $$rc -ne 0 ] && [ $$rc -lt 128 ] || fail=1; \
	$(FAULT_P) $(FAULT_PLAN) >/dev/full 2>/dev/null; rc=$$?; \
	echo "partition plan >/dev/full: exit $$rc"; [ $$rc -ne 0 ] && [ $$rc -lt 128 ] || fail=1; \
	echo "open() refused in turn: $$(grep -c ' ok$$' build/faults-01.log) hostinfo runs, $$(grep -c ' ok$$' build/faults-02.log) partition runs ok"; \
	exit $$fail
