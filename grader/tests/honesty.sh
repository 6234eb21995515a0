#!/bin/sh
# honesty.sh: the grading is honest, for the fixture lab and for every lab
# of this tree (labs/*/Makefile: each new lab is covered when it lands):
#   1. the reference tree scores 100% of every lab, hidden tests included;
#   2. make handout succeeds: no solution left, no hidden test, grader in;
#   3. the handout builds without a warning (-Werror);
#   4. the handout, graded with the instructor's tests, scores <= 10%.
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

# lab_scores FILE: "NN got max" per lab, from a results.json.
lab_scores() {
	jq -r '[.tests[] | {lab: (.number | split(".")[0]), score, max_score}]
	       | group_by(.lab)[]
	       | "\(.[0].lab) \(map(.score) | add) \(map(.max_score) | add)"' "$1"
}

honest() {   # honest NAME REF
	name=$1 ref=$2 out=$work/out-$1
	mkdir -p "$out"
	echo "== grader: honesty of $name"
	"$GRADE" --ref "$ref" --results "$out/ref.json" >"$out/ref.board" 2>&1
	lab_scores "$out/ref.json" >"$out/ref.scores"
	check "$name: the reference grades (results.json written)" [ -s "$out/ref.scores" ]
	while read -r lab got max; do
		check "$name: lab $lab reference scores 100%: $got/$max" [ "$got" = "$max" ]
	done <"$out/ref.scores"
	"$GRADE" --ref "$ref" --handout "$out/handout" >"$out/handout.log" 2>&1
	check "$name: make handout succeeds" [ -d "$out/handout/labs" ]
	check "$name: no solution left in the handout" \
		sh -c "! grep -rqE '>>> SOLUTION|=== STUB' '$out/handout/labs'"
	check "$name: no hidden test in the handout" \
		sh -c "! find '$out/handout/labs' -path '*/tests/hidden*' | grep -q ."
	check "$name: the grader is in the handout" [ -d "$out/handout/grader/include" ]
	for mk in "$out"/handout/labs/*/Makefile; do
		lab=$(basename "$(dirname "$mk")")
		make -s -C "$(dirname "$mk")" WERROR=1 $make_args all tests \
			>"$out/build-$lab.log" 2>&1
		check "$name: handout lab $lab builds" [ $? = 0 ]
		check "$name: handout lab $lab builds without a warning" \
			sh -c "! grep -q 'warning:' '$out/build-$lab.log'"
	done
	"$GRADE" --ref "$ref" --tree "$out/handout" --results "$out/handout.json" \
		>"$out/handout.board" 2>&1
	lab_scores "$out/handout.json" >"$out/handout.scores"
	while read -r lab got max; do
		check "$name: lab $lab handout scores <= 10%: $got/$max" \
			[ $((got * 10)) -le "$max" ]
	done <"$out/handout.scores"
	if [ "$fails" != 0 ]; then
		cat "$out/ref.board" "$out/handout.log" "$out/handout.board"
		cat "$out"/build-*.log 2>/dev/null | head -40
	fi
}

make_tree "$work/fixture" 91-good
# The fixture tree borrows this grader (no grader/Makefile of its own).
make_args="GRADED_LIB=$GRADER/build/libgraded.a" honest fixture "$work/fixture"
if ls "$TOP"/labs/*/Makefile >/dev/null 2>&1; then
	make_args= honest vmlab "$TOP"
fi
[ "$fails" = 0 ]
