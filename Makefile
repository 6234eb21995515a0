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
# The parts' steps run in three lanes at once (mk/lanes.sh): what waits on
# labvm's one emulating CPU or on a time limit runs beside what keeps a
# CPU busy (grader/README.md, "How long make test takes"). Never two makes
# in one folder at once: the grader's library, which every lab's build
# asks for, is built first (with what the grader's steps run); the steps
# that build in the labs' own folders run one after the other in lane 1:
# lab 03's make test, then, once lane 2 has done the other labs' (their
# mark), the slides, whose decks build every lab, and the grader's
# shown.sh and honesty.sh; every other step works on copies of the labs,
# without their build/. The grader's steps are in grader/tests/lanes.mk;
# a handout has none (its grader has no tests of its own): there the labs
# run in two lanes, then the grader and the slides.
# The labs' builds and the slides' share a compiler cache (mk/cached.sh).
# The end of both: the parts that failed (listed in $$failed), or "all passed".
TEST_VERDICT = fail=$$(sort -u $$failed); rm -f $$failed; \
	if [ -n "$$fail" ]; then echo "make test: FAILED in" $$fail; exit 1; fi; \
	echo "make test: all parts passed"
-include grader/tests/lanes.mk
SLOW_LABS  := $(filter labs/03-hypervisor,$(HERE_LABS))
OTHER_LABS := $(filter-out $(SLOW_LABS),$(HERE_LABS))
G          := grader/tests/
ifneq ($(and $(GRADER_LANE_1),$(filter grader,$(HERE_PARTS))),)
test: deps labvm
	@failed=$$(mktemp) || exit 2; \
	$(MAKE) -s -j2 -C grader test-ready || echo grader >>$$failed; \
	MAKE="$(MAKE)" LANES_FAILED=$$failed mk/lanes.sh --make test --cached \
		--shared "$(GRADER_SHARED:%=$(G)%.sh)" \
		"$(SLOW_LABS) after:labs $(if $(filter slides,$(HERE_PARTS)),mk/slides.sh) $(GRADER_LANE_1:%=$(G)%.sh)" \
		"$(OTHER_LABS) mark:labs $(GRADER_LANE_2:%=$(G)%.sh)" \
		"$(GRADER_LANE_3:%=$(G)%.sh)" || [ -s $$failed ] || echo mk/lanes.sh >>$$failed; \
	$(TEST_VERDICT)
else
test: deps labvm
	@failed=$$(mktemp) || exit 2; \
	$(MAKE) -s -C grader lib || echo grader >>$$failed; \
	MAKE="$(MAKE)" LANES_FAILED=$$failed mk/lanes.sh --make test --cached \
		"$(SLOW_LABS)" "$(OTHER_LABS)"; \
	for d in $(HERE_PARTS); do \
		if [ $$d = slides ]; then mk/slides.sh || echo slides >>$$failed; continue; fi; \
		echo "== $$d: make test"; \
		$(MAKE) -C $$d test || echo "$$d" >>$$failed; \
	done; \
	$(TEST_VERDICT)
endif

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
