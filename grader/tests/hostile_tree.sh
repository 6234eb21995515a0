#!/bin/sh
# hostile_tree.sh: submissions that attack the grader's trust boundary (what
# crosses from a submission, who reads what), one case per attack closed:
#   gnumakefile  a GNUmakefile next to the lab's Makefile wins the build
#   shadow       src/criterion/criterion.h turns the assertions into no-ops
#   rubric       a constructor adds a 1000-point test to --rubric's output
#   linked       a batch entry that is a symlink to the reference
#   wrapped      a folder holding only a symlink to the reference
#   empty        a lab folder whose one student file links to the reference
#   bob          a batch submission #including alice's file by its path
#   plant        a test (lab 90) writes a .d file into lab 91's build/,
#                which a later step run as root would -include
# Each asserts the score the honest code deserves (the handout's for stubs),
# that nothing ran as root (every planted $(shell id -u) logs a uid) and
# that no scratch folder is left. HOSTILE_GRADE=path grades with another
# grader (an older one: every case must fail there).
. "$(dirname "$0")/fixture.sh"
GRADE=${HOSTILE_GRADE:-$GRADE}
work=$(mktemp -d) || exit 1
spy=/tmp/vmlab-hostile-tree            # known to the planted files
trap 'rm -rf "$work" "$spy"' EXIT
chmod 711 "$work"                      # tests run as nobody under TMPDIR
export TMPDIR="$work/tmp"
rm -rf "$spy" && mkdir -p "$TMPDIR" "$spy" && chmod 1777 "$spy" && : >"$spy/uid"
chmod 666 "$spy/uid"
ref=$work/ref
make_tree "$ref" 90-plant 91-good
"$GRADE" --handout "$work/h" --ref "$ref" >/dev/null || exit 1

sub() {   # sub DIR: lab 91 as handed out (its solution stubbed)
	mkdir -p "$1/labs" && cp -r "$work/h/labs/91-good" "$1/labs/"
}
solve() { # solve DIR: lab 91 solved (the reference's file)
	sub "$1" && cp "$ref/labs/91-good/src/fx.c" "$1/labs/91-good/src/fx.c"
}
sum() {   # sum RESULTS FIELD: lab 91's total of a results.json
	jq "[.tests[] | select(.name | startswith(\"91.\")) | .$2] | add" "$1" 2>/dev/null
}
grade_tree() {   # grade_tree NAME: grade $work/NAME's lab 91 into NAME.json
	"$GRADE" --tree "$work/$1" --ref "$ref" --lab 91 --results "$work/$1.json" \
		>"$work/$1.board" 2>&1
}
spy_line='$(shell id -u >>/tmp/vmlab-hostile-tree/uid)'

echo "== grader: hostile trees (what crosses from a submission)"
sub "$work/handout" && grade_tree handout
honest=$(sum "$work/handout.json" score)
check "the handout scores low but is graded: $honest of 6" [ "${honest:-9}" -le 2 ]

mkdir -p "$work/empty/labs/91-good/src"        # none of the lab's files
ln -s "$ref/labs/91-good/src/fx.c" "$work/empty/labs/91-good/src/fx.c"
grade_tree empty
check "empty: a lab without one student file scores 0: $(sum "$work/empty.json" score)" \
	[ "$(sum "$work/empty.json" score)" = 0 ]
check "empty: the board says so, and names the refused link" \
	sh -c "grep -q 'no student file of labs/91-good' '$work/empty.board' &&
	       grep -q 'labs/91-good/src/fx.c: a symlink: refused' '$work/empty.board'"

sub "$work/gnumakefile"
cat >"$work/gnumakefile/labs/91-good/GNUmakefile" <<EOF
$spy_line
include Makefile
\$(BUILD)/src/fx.o: FORCE
	@mkdir -p \$(@D)
	printf '#include "fx.h"\nlong fx_add(long a, long b) { return a + b; }\n' | \\
		\$(CC) \$(CPPFLAGS) -x c -c -o \$@ -
EOF
grade_tree gnumakefile
check "gnumakefile: a GNUmakefile is not used: $(sum "$work/gnumakefile.json" score) = $honest" \
	[ "$(sum "$work/gnumakefile.json" score)" = "$honest" ]
unused() { sed -n 's/^lab 91: \([0-9]*\) files of your submission.*not used.*/\1/p' "$work/$1.board"; }
check "gnumakefile: the board counts it among the files not used ($(unused gnumakefile))" \
	[ "$(unused gnumakefile)" = $(($(unused handout) + 1)) ]

sub "$work/shadow" && mkdir -p "$work/shadow/labs/91-good/src/criterion"
cat >"$work/shadow/labs/91-good/src/criterion/criterion.h" <<'EOF'
#include_next <criterion/criterion.h>
#undef cr_assert_eq
#define cr_assert_eq(...) ((void)0)
#undef cr_assert
#define cr_assert(...) ((void)0)
EOF
grade_tree shadow
check "shadow: a criterion.h of the submission is not seen: $(sum "$work/shadow.json" score) = $honest" \
	[ "$(sum "$work/shadow.json" score)" = "$honest" ]

solve "$work/rubric"
cat >>"$work/rubric/labs/91-good/src/fx.c" <<'EOF'
#include <stdio.h>
#include <string.h>
__attribute__((constructor)) static void bonus(void)
{
	char buf[4096] = "";
	FILE *f = fopen("/proc/self/cmdline", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	for (size_t i = 0; i < n; i += strlen(buf + i) + 1)
		if (!strcmp(buf + i, "--rubric"))
			printf("{\"suite\":\"fx\",\"name\":\"bonus\",\"points\":1000,"
			       "\"graded\":true,\"visibility\":\"visible\","
			       "\"stage\":\"91.1 adding\",\"timeout\":5}\n");
}
EOF
grade_tree rubric
check "rubric: the rubric is the instructor's: max $(sum "$work/rubric.json" max_score) = 6" \
	[ "$(sum "$work/rubric.json" max_score)" = 6 ]
check "rubric: no test outside the instructor's rubric is scored" \
	[ "$(sum "$work/rubric.json" score)" -le 6 ]

# A batch: alice (solved), bob (#includes alice's file), two links to the
# reference.
subs=$work/subs
solve "$subs/alice"
sub "$subs/bob"
printf '#include "%s"\n' "$subs/alice/labs/91-good/src/fx.c" \
	>"$subs/bob/labs/91-good/src/fx.c"
ln -s "$ref" "$subs/linked"
mkdir -p "$subs/wrapped" && ln -s "$ref" "$subs/wrapped/tree"
"$GRADE" --batch "$subs" --ref "$ref" --lab 91 -j 2 --timeout 120 \
	--out "$work/out" >"$work/batch.log" 2>&1
bscore() { sum "$work/out/$1/results.json" score; }
check "batch: alice scores 6: $(bscore alice)" [ "$(bscore alice)" = 6 ]
check "bob: another submission's file is out of reach: $(bscore bob) <= $honest" \
	[ "$(bscore bob)" -le "$honest" ]
check "linked: a symlink to the reference is not graded: $(bscore linked) <= $honest" \
	[ "$(bscore linked)" -le "$honest" ]
check "wrapped: a folder linking to the reference is not graded: $(bscore wrapped) <= $honest" \
	[ "$(bscore wrapped)" -le "$honest" ]

# Lab 90's test plants lab 91's build/src/fx.d, in place and in a copy.
"$GRADE" --ref "$ref" --results "$work/plant.json" >"$work/plant.board" 2>&1
check "plant: lab 91 still scores 6 in place: $(sum "$work/plant.json" score)" \
	[ "$(sum "$work/plant.json" score)" = 6 ]
mkdir -p "$work/plant/labs" && cp -r "$ref/labs/90-plant" "$ref/labs/91-good" "$work/plant/labs/" &&
	rm -rf "$work"/plant/labs/*/build
"$GRADE" --tree "$work/plant" --ref "$ref" --results "$work/plant2.json" >"$work/plant2.board" 2>&1
check "plant: a copy scores 6 too: $(sum "$work/plant2.json" score)" \
	[ "$(sum "$work/plant2.json" score)" = 6 ]

check "nothing planted ran as root (uids: $(sort -u "$spy/uid" | tr '\n' ' '))" \
	sh -c "! grep -qx 0 '$spy/uid'"
check "no scratch folder is left in TMPDIR: $(ls "$TMPDIR" | tr '\n' ' ')" \
	[ -z "$(ls "$TMPDIR")" ]
[ "$fails" = 0 ] || { echo "hostile_tree: $fails checks failed; boards in:"; \
	for f in "$work"/*.board "$work/batch.log"; do echo "--- $f"; cat "$f"; done; }
[ "$fails" = 0 ]
