# lab.mk: the build every lab shares.
#
# A lab's Makefile sets, then includes this file:
#   LAB       two-digit lab number (01..04)
#   PROG      the program's name (build/$(PROG))
#   MAIN_SRC  given/main.c (or src/main.c): arguments, I/O, exit codes
#   LIB_SRCS  the library modules, one per line (linked by the program and tests)
#   TESTS     tests/test_<module>.c, one per module, Criterion
#   LDLIBS    libraries the program needs
# and gets: all, test (unit tests, then command-line cases in tests/cli/),
# clean, grade. `run` (the lab's step of the tour) is the lab's own.
# The modules the student writes (those with solution regions) are in src/;
# the plumbing they read but never edit (command line, printing) in given/.
# Both folders are on the include path, so a header's folder never matters.
TOP    := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
include $(TOP)/mk/common.mk

# A build folder per configuration: SAN=1 builds into build-san/, never
# over (or from) the plain build's objects. Within a folder, the flavour
# stamp below rebuilds everything when CC, CFLAGS, LDFLAGS or SAN change.
BUILD     ?= $(if $(filter 1,$(SAN)),build-san,build)
FLAVOUR    = $(BUILD)/flavour
LIB       := $(BUILD)/lib$(PROG).a
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ  := $(MAIN_SRC:%.c=$(BUILD)/%.o)
# Hidden (instructor-only) tests build and run with the rest when present.
TEST_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,\
               $(sort $(TESTS) $(wildcard tests/hidden/test_*.c)))
override CPPFLAGS += -Iinclude -Isrc -Igiven -I$(TOP)/grader/include
# A test finds what the build made through LAB_BUILD_DIR, whatever the
# folder's name. A lab gives it (and any other absolute path) only to the
# objects that use it: a path on every command line would make each copy
# of the lab compile afresh under a compiler cache (ccache), as a grade's
# copies and check-stages' variants do (grader/README.md).
LAB_BUILD_DIR_DEF = -DLAB_BUILD_DIR='"$(abspath $(BUILD))"'

# The graded-test harness every test binary links (see grader/README.md).
GRADED_LIB ?= $(TOP)/grader/build/libgraded.a
TEST_LDLIBS ?= -lcriterion

.PHONY: all tests test unit cli clean grade run
.SECONDARY:
.DELETE_ON_ERROR:
all: $(BUILD)/$(PROG)

$(BUILD)/$(PROG): $(MAIN_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c $(FLAVOUR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Rewritten only when the flavour changed, so its date says when it did.
# (make expands the whole recipe before it runs: the folder is made then.)
$(FLAVOUR): FORCE
	$(shell mkdir -p $(@D))$(file >$@.new,$(CC) $(CFLAGS) | $(LDFLAGS) | SAN=$(SAN))
	@cmp -s $@.new $@ && rm -f $@.new || mv -f $@.new $@

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIB) $(GRADED_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LDLIBS)

tests: $(TEST_BINS)

# Criterion slows down with a huge open-file limit: keep it at 1024.
# A test may run the program (lab 03's hostile guests run build/vmm), so
# unit builds it first. A lab's KVM_BINS (lab 03) run in its own kvm
# target, on /dev/kvm or inside labvm, not here.
test: unit cli
unit: all $(TEST_BINS)
	@fail=0; for t in $(filter-out $(KVM_BINS),$(TEST_BINS)); do \
		(ulimit -n 1024; $$t) || fail=1; \
	done; exit $$fail
cli: all
	@if [ -d tests/cli ]; then PROG=$(BUILD)/$(PROG) BUILD=$(BUILD) $(TOP)/mk/clitest tests/cli; fi

grade:
	$(TOP)/grader/grade --lab $(LAB)

# Always asked for, rebuilt only when its sources changed; a copy with no
# grader beside it (the one grade hands a build that runs as nobody) is
# used as it is.
GRADED_DIR = $(abspath $(dir $(GRADED_LIB))..)
$(GRADED_LIB): FORCE
	@if [ -f $(GRADED_DIR)/Makefile ]; then \
		$(MAKE) -s --no-print-directory -C $(GRADED_DIR) lib; fi
.PHONY: FORCE
FORCE:

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_BINS:=.d)
