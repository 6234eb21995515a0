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

# Static helper programs cannot carry ASan (-static with -fsanitize=address
# is refused): lab 02's labvm hog is built plain first, then found up to date.
SAN_PRE := if [ "$$d" = labs/02-partition ]; then \
	$(MAKE) --no-print-directory -C $$d BUILD=$(SAN_BUILD) $(SAN_BUILD)/tests/hog; fi;

.PHONY: check-asan check-asan-clean
# Every part runs even when an earlier one fails; the status says if any did.
check-asan:
	@fail=""; \
	for d in $(SAN_LABS); do \
		echo "== $$d: make SAN=1 test"; \
		$(SAN_PRE) \
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
