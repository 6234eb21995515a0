#!/bin/sh
# stages.sh: grade --check-stages on the fixture lab (each claim both ways:
# a lab whose stages hold passes, each kind of broken stage is named),
# then on every lab of this tree (grader/README.md, "Checking the stages").
# STAGES_LABS=no skips the real labs (they take minutes without /dev/kvm);
# STAGES_LABS="01 02" names the labs checked (default: every lab).
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-stages-test.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
echo "check-stages, fixture lab 91:"

# run NAME: check-stages on tree $work/NAME, output in $work/NAME.out;
# run_as OUT NAME: the same, output in $work/OUT.out.
run() { run_as "$1" "$1"; }
run_as() {
	"$GRADE" --check-stages --ref "$work/$2" >"$work/$1.out" 2>&1
	echo $? >"$work/$1.rc"
}
has() { grep -q -- "$2" "$work/$1.out"; }
rc() { [ "$(cat "$work/$1.rc")" = "$2" ]; }

make_tree "$work/good" 91-good
run good
check "stages that hold: exit 0" rc good 0
check "91.1 ok, its regions stubbed score 0" has good '^91.1  ok  5/5  (its regions stubbed: 0/5)'
check "91.3 has no region of its own" has good '^91.3  ok  .*no region of its own'
# GRADE_STAGES_SKIP_FULL=1 (below, in make test's lanes, where honesty.sh
# proves that the reference passes every test): the variant with nothing
# stubbed, the reference itself, is not graded (here 91.1 solved, the
# whole lab); the stages it stood for say so, and the rest is checked as
# ever: 91.1 with its region stubbed, and a region staged too late (below).
GRADE_STAGES_SKIP_FULL=1 run_as skip good
check "GRADE_STAGES_SKIP_FULL=1: exit 0, 1 of the 2 variants graded" \
	sh -c "[ \"\$(cat '$work/skip.rc')\" = 0 ] &&
	       grep -q 'lab 91: 3 stages, 1 variant graded in .* (not the reference itself' '$work/skip.out'"
check "  91.1: the reference graded elsewhere, its region stubbed here" \
	has skip '^91.1  ok  (solved: the reference itself, graded elsewhere)  (its regions stubbed: 0/5)'
# The variants' builds share a compiler cache, where ccache is installed
# (mk/packages.txt): a file no variant changes compiles once. One variant
# at a time (-j 1), so that the second finds what the first compiled.
if [ -x /usr/lib/ccache/cc ]; then
	mkdir "$work/keep" && chmod 711 "$work"     # the builds run as nobody
	GRADE_STAGES_KEEP=1 TMPDIR=$work/keep "$GRADE" --check-stages -j 1 \
		--ref "$work/good" >"$work/cached.out" 2>&1
	cache=$(echo "$work"/keep/vmlab-ccache.*)
	hits=$(cache_stats "$cache" | cut -d' ' -f1)
	check "the variants' builds share a compiler cache: $hits hits" [ "$hits" -gt 0 ]
else
	echo "  --   no compiler cache checked: ccache is not installed (make deps)"
fi

# The region named a later stage than its tests': 91.1 fails solved.
make_tree "$work/late" 91-good
sed -i 's/SOLUTION 91.1:/SOLUTION 91.3:/' "$work/late/labs/91-good/src/fx.c"
run late
check "a region staged too late: exit 1" rc late 1
check "  91.1 fails, naming its tests" has late 'fx/adds_small'
check "  91.1 FAIL line" has late '^91.1  FAIL  0/5'
GRADE_STAGES_SKIP_FULL=1 run_as late-skip late
check "  and with GRADE_STAGES_SKIP_FULL=1" has late-skip '^91.1  FAIL  0/5'

# A stub that passes the tests: the stage's points cost no work.
make_tree "$work/free" 91-good
sed -i 's/\treturn -ENOSYS;/\treturn a + b;/; s/\t(void)a;//; s/\t(void)b;//' \
	"$work/free/labs/91-good/src/fx.c"
run free
check "a stub that passes: exit 1" rc free 1
check "  91.1 over 10% stubbed" has free '^91.1  FAIL  5/5  (its regions stubbed: 5/5, over 10%)'

# A region without its stage cannot be checked: file and line named.
make_tree "$work/nostage" 91-good
sed -i 's/SOLUTION 91.1:/SOLUTION:/' "$work/nostage/labs/91-good/src/fx.c"
run nostage
check "a region without a stage: exit 1" rc nostage 1
check "  named with its line" has nostage 'fx.c:8: a region names its stage'

# Inside labvm (grade --run-built) each test binary runs once for all its
# tests: with --stage or --only-stages only the tests of those stages run
# (not the whole binary, as once: lab 03's watch ran every KVM test). A
# 91.2 test that kills the run (its runner) would take 91.1's down with it.
make_tree "$work/runbuilt" 91-good
cat >>"$work/runbuilt/labs/91-good/tests/test_fx.c" <<'EOF'

int kill(int pid, int sig);     /* POSIX's: the lab builds as plain C11 */
int getppid(void);
GRADED(fx, a_test_that_kills_the_run, 1, "91.2 plumbing", 5)
{
	kill(getppid(), 9);     /* SIGKILL */
}
EOF
make -s -C "$work/runbuilt/labs/91-good" GRADED_LIB="$GRADER/build/libgraded.a" \
	all tests >"$work/runbuilt.log" 2>&1
chmod 711 "$work" && chmod -R a+rX "$work/runbuilt"   # tests run as nobody
"$GRADE" --run-built "$work/runbuilt/labs/91-good" --prog build/fx \
	--outcomes "$work/runbuilt.json" --only-stages 91.1 >>"$work/runbuilt.log" 2>&1
check "--run-built --only-stages 91.1: 91.1's tests pass, 91.2's did not run" \
	jq_true '[.[] | select(.suite == "fx") | .name] == ["adds_negative", "adds_small"]
	         and all(.[]; .passed)' "$work/runbuilt.json"
"$GRADE" --run-built "$work/runbuilt/labs/91-good" --prog build/fx \
	--outcomes "$work/runbuilt-all.json" >>"$work/runbuilt.log" 2>&1
check "  (and without it, that test does take the others down)" \
	jq_true 'any(.[]; .passed | not)' "$work/runbuilt-all.json"
# Inside labvm the binaries are not asked for their --rubric again: the
# host's grade did that (or, for a student's build, must not), and each
# start there costs about 0.1 s of emulation. Sources that no longer
# agree with the built binaries (2 points become 3) still run.
sed -i 's/adds_small, 2,/adds_small, 3,/' "$work/runbuilt/labs/91-good/tests/test_fx.c"
"$GRADE" --run-built "$work/runbuilt/labs/91-good" --prog build/fx \
	--outcomes "$work/runbuilt-src.json" --only-stages 91.1 >>"$work/runbuilt.log" 2>&1
check "--run-built does not ask the binaries for their --rubric" \
	jq_true '[.[] | select(.suite == "fx") | .name] == ["adds_negative", "adds_small"]
	         and all(.[]; .passed)' "$work/runbuilt-src.json"

if [ "$fails" -ne 0 ] || [ "${STAGES_LABS:-yes}" = no ]; then
	for n in good late free nostage; do sed 's/^/    /' "$work/$n.out"; done
	cat "$work/runbuilt.log"
	[ "$fails" -eq 0 ]; exit
fi
# Every lab's stages are checked here (STAGES_LABS="01 02" for some): lab
# 03's nine variants take about 13 minutes inside labvm on a 2-CPU machine
# without /dev/kvm (grader/README.md, "Checking the stages").
labs=${STAGES_LABS:-$(cd "$GRADER/../labs" && for d in [0-9][0-9]-*/; do printf '%s ' "${d%%-*}"; done)}
echo "check-stages, labs $labs of this tree (known failures: tests/stages-known.txt):"
# In make test's lanes honesty.sh grades the reference itself, every test
# passing (its claim 1): the variant with nothing stubbed is not graded
# again here (about 40 CPU-seconds, a Linux boot of lab 03's among them).
skip=0
in_lanes && skip=1
[ $skip = 0 ] || echo "  (the reference itself: honesty.sh's, in another lane)"
for lab in $labs; do
	GRADE_STAGES_SKIP_FULL=$skip "$GRADE" --check-stages --lab "$lab"
done | tee "$work/labs.out"
grep -v '^#' "$GRADER/tests/stages-known.txt" | cut -d' ' -f1 >"$work/known"
grep -E '^[0-9]{2}(\.[0-9]+)?  FAIL' "$work/labs.out" | cut -d' ' -f1 >"$work/failed"
grep -E '^[0-9]{2}\.[0-9]+  ok' "$work/labs.out" | cut -d' ' -f1 | grep -xF -f "$work/known" |
	sed 's/^/  now holds (remove it from tests\/stages-known.txt): /'
new=$(grep -vxF -f "$work/known" "$work/failed")
check "every lab: no stage fails but the known ones${new:+ (new: $(echo $new))}" [ -z "$new" ]
check "every lab: check-stages ran" grep -q '^check-stages: ' "$work/labs.out"
[ "$fails" -eq 0 ]
