# vmlab: from one server to a cloud, in four labs.
#
#   make run        the tour: each lab's program on this machine, narrated
#   make test       every test of every lab, the grader, labvm and the slides
#   make deps       install the Debian packages (mk/packages.txt)
#   make slides     the decks (slides/build/index.html)
#   make labvm      prepare labvm (grader/labvm: a machine with /dev/kvm)
#   make grade [LAB=NN]   grade this tree (grader/README.md)
#   make handout    the student tree, in build/handout/
#   make gradescope [LAB=NN]   Gradescope autograder zips, in build/gradescope/
#   make flake-hunt [N=10] [LAB=NN]  grade each lab N times, CPUs 4x busy; list any failure
#   make profile    make test, and where its CPU time went, by step and by command (root)
#   make check      test, then check-asan, fuzz-smoke, check-faults (SECURITY.md)
#
# The top level only delegates; each part has its own Makefile.
LABS  := labs/01-server \
         labs/02-partition \
         labs/03-hypervisor \
         labs/04-cloud
PARTS := grader \
         slides
# What exists so far (a part lands with its Makefile).
HERE_LABS  := $(patsubst %/Makefile,%,$(wildcard $(LABS:=/Makefile)))
HERE_PARTS := $(patsubst %/Makefile,%,$(wildcard $(PARTS:=/Makefile)))

.PHONY: all deps labvm slides test run grade handout gradescope profile clean compile_commands.json
all:
	@for d in $(HERE_LABS); do $(MAKE) -C $$d all || exit 1; done

deps:
	@mk/deps.sh
	@$(MAKE) -s -C slides deps

# The decks and diagrams, in slides/build/ (open slides/build/index.html).
slides: deps
	@$(MAKE) -C slides all

# labvm's kernel, modules and busybox, fetched from Debian into build/labvm/.
labvm: deps
	@$(MAKE) -C grader/vm assets

# Every part is tested even when an earlier one fails; the exit code says
# whether any failed. labvm's assets come first: lab 02's cgroup tests (and
# lab 03's, on a host without /dev/kvm) run inside it, never skipped.
# The labs in two lanes at once (mk/lanes.sh): lab 03, whose tests wait on
# labvm's one emulating CPU, beside the others. Never two makes in one
# folder at once: the grader's library, which every lab's build asks for,
# is built first; the slides, whose decks build every lab, run first in
# the grader's first lane, before that lane's scripts that build in the
# labs' folders (shown.sh, honesty.sh's in-place grade), while the other
# lane's scripts work on copies of the labs (grader/README.md, "How long
# make test takes"). Where the grader has no tests of its own (a handout)
# the slides come after it.
# The labs' builds and the slides' share a compiler cache (mk/cached.sh).
SLOW_LABS := $(filter labs/03-hypervisor,$(HERE_LABS))
# The grader has tests of its own where grader/Makefile says so (the same file).
SLIDES_IN_LANE := $(if $(and $(filter slides,$(HERE_PARTS)),$(wildcard grader/tests/test_grade_cap.c)),yes)
test: deps labvm
	@failed=$$(mktemp) || exit 2; \
	$(MAKE) -s -C grader lib || echo grader >>$$failed; \
	MAKE="$(MAKE)" LANES_FAILED=$$failed mk/cached.sh mk/lanes.sh --make test \
		"$(SLOW_LABS)" "$(filter-out $(SLOW_LABS),$(HERE_LABS))"; \
	for d in $(HERE_PARTS); do \
		if [ $$d = slides ]; then \
			[ -n "$(SLIDES_IN_LANE)" ] || mk/slides.sh || echo slides >>$$failed; \
			continue; \
		fi; \
		echo "== $$d: make test"; \
		if [ $$d = grader ] && [ -n "$(SLIDES_IN_LANE)" ]; then \
			LANES_FAILED=$$failed $(MAKE) -C $$d test FIRST_1=$(CURDIR)/mk/slides.sh; \
		else $(MAKE) -C $$d test; fi || echo "$$d" >>$$failed; \
	done; \
	fail=$$(sort -u $$failed); rm -f $$failed; \
	if [ -n "$$fail" ]; then echo "make test: FAILED in" $$fail; exit 1; fi; \
	echo "make test: all parts passed"

# The tour shows every part, KVM and cgroups included: on a host without a
# usable /dev/kvm (and for lab 02's cgroups) those run inside labvm, so its
# kernel is fetched first (once; the line below says so while it downloads).
run: deps labvm
	@for d in $(HERE_LABS); do $(MAKE) -s -C $$d run || exit 1; done

grade: deps
	@grader/grade $(if $(LAB),--lab $(LAB))

handout: deps
	@$(MAKE) -C grader handout

# One autograder zip per lab for Gradescope (grader/README.md, "Gradescope").
gradescope: deps
	@$(MAKE) -C grader gradescope $(if $(LAB),LAB=$(LAB))

flake-hunt: deps ; @$(MAKE) -C grader flake-hunt $(if $(LAB),LAB=$(LAB))

# make test under the kernel's process accounting (grader/bench/cpuprof.c,
# root only): after make test's own output, its CPU time by step, by
# command, and the machine's (grader/README.md, "How long make test takes").
# The records stay in build/cpuprof.pacct (cpuprof --report reads them).
ifneq ($(wildcard grader/bench/cpuprof.c),)
profile: deps labvm
	@$(MAKE) -s -C grader cpuprof
	@mkdir -p build
	@grader/build/bench/cpuprof --out build/cpuprof.pacct -- $(MAKE) test
else
profile:
	@echo "make profile: instructor-only (grader/bench is not in the handout)" >&2; exit 2
endif

# Hardening (SECURITY.md): fuzzing, sanitizers, fault injection. Fuzzing
# and fault injection are the instructor's: a handout has neither
# (grader/handout-exclude), and there `make check` is test and check-asan.
include mk/hardening.mk
.PHONY: check
ifneq ($(wildcard mk/fuzz.mk),)
include mk/fuzz.mk
check: test check-asan fuzz-smoke check-faults
else
check: test check-asan
fuzz fuzz-smoke fuzz-build fuzz-guest:
	@echo "make $@: instructor-only (the fuzzers are not in the handout)" >&2; exit 2
endif

clean:
	@for d in $(HERE_LABS) $(HERE_PARTS); do $(MAKE) -C $$d clean; done
	rm -rf build compile_commands.json

compile_commands.json:
	@for d in $(HERE_LABS); do $(MAKE) -C $$d clean >/dev/null; done
	bear -- sh -c 'for d in $(HERE_LABS); do $(MAKE) -C $$d all tests || exit 1; done'
