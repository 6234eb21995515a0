#!/bin/sh
# bonus.sh: optional bonus tests (GRADED_BONUS, grader/README.md "Bonus
# tests") on fixture lab 98: 4 points in stage 98.1, a 2-point bonus test in
# stage 98.2. Checks that the bonus stays outside the lab's total everywhere
# a score appears (--list, the board, results.json, the batch gradebook,
# --check-stages), that the reference earns it and the handout does not, and
# that a submission cannot earn points the instructor's tests do not give.
# HOSTILE_GRADE=path grades with another grader (an older one fails here).
. "$(dirname "$0")/fixture.sh"
GRADE=${HOSTILE_GRADE:-$GRADE}
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
chmod 711 "$work"                      # tests run as nobody under TMPDIR
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"
ref=$work/ref
make_tree "$ref" 98-bonus
"$GRADE" --handout "$work/h" --ref "$ref" >/dev/null || exit 1
# jq over a results.json: total score, sum of max_score, the bonus test's.
q() { jq -r "$2" "$1" 2>/dev/null; }
bonus_of() { q "$1" '[.tests[] | select((.tags // []) | index("bonus"))][0]
	| "\(.score) \(.max_score) \(.extra_data.bonus_points)"'; }

echo "== grader: bonus tests (fixture lab 98)"
"$GRADE" --ref "$ref" --list >"$work/list" 2>&1
check "--list: the lab is worth 4, and 2 bonus" \
	grep -q '^lab 98-bonus: 4 points (and 2 bonus, optional)' "$work/list"
check "--list: the bonus test is marked optional" \
	grep -q 'bx/square .* 2 pt .*bonus (optional)' "$work/list"

"$GRADE" --ref "$ref" --results "$work/ref.json" >"$work/ref.board" 2>&1
rc=$?
check "reference: exit 0 (every ordinary test passed): $rc" [ "$rc" = 0 ]
check "reference: the board says 4 / 4 100% for the lab" \
	grep -q '^lab 98-bonus  *4 / 4  *100%' "$work/ref.board"
check "reference: the bonus stage is a line of its own, marked optional, +2 of 2" \
	grep -q '^  98.2 square (bonus, optional)  *+2 of 2$' "$work/ref.board"
check "reference: the total stays 4 / 4, the bonus on a line of its own" \
	sh -c 'grep -q "^total  *4 / 4  *100%" "$1" &&
	       grep -q "^bonus (optional, on top of the total)  *+2 of 2$" "$1"' _ "$work/ref.board"
check "reference: results.json score 6 (4 + the bonus's 2): $(q "$work/ref.json" .score)" \
	[ "$(q "$work/ref.json" .score)" = 6 ]
check "reference: the tests' max_score sum to 4 (the bonus is 0 of it)" \
	[ "$(q "$work/ref.json" '[.tests[].max_score] | add')" = 4 ]
check "reference: the bonus test scores 2 of max_score 0, worth 2: $(bonus_of "$work/ref.json")" \
	[ "$(bonus_of "$work/ref.json")" = "2 0 2" ]

mkdir -p "$work/handout/labs" && cp -r "$work/h/labs/98-bonus" "$work/handout/labs/"
"$GRADE" --tree "$work/handout" --ref "$ref" --lab 98 --results "$work/handout.json" \
	>"$work/handout.board" 2>&1
check "handout: 0 points and 0 bonus: $(q "$work/handout.json" .score)" \
	[ "$(q "$work/handout.json" .score)" = 0 ]
check "handout: the board shows the bonus as optional, +0 of 2" \
	grep -q '^  98.2 square (bonus, optional)  *+0 of 2$' "$work/handout.board"
check "handout: its failure says optional bonus" \
	grep -q '^FAIL 98.2 square bx/square (2 pt, optional bonus)' "$work/handout.board"

# Hostile: the handout's stub, plus a constructor that adds bonus tests to
# --rubric's output and a test source of its own declaring a bonus.
mkdir -p "$work/forge/labs" && cp -r "$work/h/labs/98-bonus" "$work/forge/labs/"
cat >>"$work/forge/labs/98-bonus/src/bx.c" <<'EOF'
#include <stdio.h>
#include <string.h>
__attribute__((constructor)) static void forge(void)
{
	char buf[4096] = "";
	FILE *f = fopen("/proc/self/cmdline", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	for (size_t i = 0; i < n; i += strlen(buf + i) + 1)
		if (!strcmp(buf + i, "--rubric"))
			printf("{\"suite\":\"bx\",\"name\":\"free\",\"points\":50,"
			       "\"graded\":true,\"bonus\":true,\"visibility\":\"visible\","
			       "\"stage\":\"98.2 square\",\"timeout\":5}\n"
			       "{\"suite\":\"bx\",\"name\":\"twice_small\",\"points\":3,"
			       "\"graded\":true,\"bonus\":true,\"visibility\":\"visible\","
			       "\"stage\":\"98.1 twice\",\"timeout\":5}\n");
}
EOF
cat >"$work/forge/labs/98-bonus/tests/test_free.c" <<'EOF'
#include "graded.h"
GRADED_BONUS(bx, free, 50, "98.2 square", 5)
{
}
EOF
"$GRADE" --tree "$work/forge" --ref "$ref" --lab 98 --results "$work/forge.json" \
	>"$work/forge.board" 2>&1
check "forge: the rubric is the instructor's: 3 tests, max 4, bonus worth 2" \
	[ "$(q "$work/forge.json" '"\(.tests | length) \([.tests[].max_score] | add)"') $(bonus_of "$work/forge.json" | cut -d' ' -f3)" = "3 4 2" ]
check "forge: no point for it: $(q "$work/forge.json" .score)" \
	[ "$(q "$work/forge.json" .score)" = 0 ]

# In the instructor's own tree, a binary whose --rubric calls a test bonus
# that the source calls ordinary is refused (the rubrics must agree).
make_tree "$work/drift" 98-bonus
sed -i 's/^#include "graded.h"$/&\n#undef GRADED\n#define GRADED GRADED_BONUS/' \
	"$work/drift/labs/98-bonus/tests/test_bx.c"
chmod -R a+rX "$work/drift"
"$GRADE" --ref "$work/drift" --results "$work/drift.json" >"$work/drift.board" 2>&1
rc=$?
check "drift: a binary saying bonus where the source does not is refused: exit $rc" \
	sh -c "[ $rc = 3 ] && grep -q 'other points, or bonus' '$work/drift.board'"

# A batch: the gradebook's max stays 4, a solved submission gets 6.
mkdir -p "$work/subs/alice/labs" "$work/subs/bob/labs"
cp -r "$ref/labs/98-bonus" "$work/subs/alice/labs/"
rm -rf "$work/subs/alice/labs/98-bonus/build"
cp -r "$work/h/labs/98-bonus" "$work/subs/bob/labs/"
"$GRADE" --batch "$work/subs" --ref "$ref" --lab 98 -j 2 --timeout 120 \
	--out "$work/out" >"$work/batch.log" 2>&1
csv=$(ls "$work"/out/*.csv 2>/dev/null | head -n1)
check "batch: alice 6 of max 4, bob 0 of 4 in the gradebook ($csv)" \
	sh -c "grep -q '^alice,ok,6,4,' '$csv' && grep -q '^bob,ok,0,4,' '$csv'"

# --check-stages: a stage of bonus tests only is checked like any.
"$GRADE" --check-stages --ref "$ref" --lab 98 >"$work/stages" 2>&1
check "check-stages: 98.2 (bonus only) ok: 2/2, 0/2 with its region stubbed" \
	grep -q '^98.2  ok  2/2  (its regions stubbed: 0/2)' "$work/stages"
[ "$fails" = 0 ] || { cat "$work/ref.board" "$work/stages" "$work/drift.board"; exit 1; }
