#!/bin/sh
# samescore.sh: the reference gets the same score, test for test, whichever
# way it is graded: in place (grader/grade --lab NN), as a --tree copy of
# it, and as one submission of a --batch. Lab 01 goes in place and as a
# --tree; lab 02 (whose tests need grader/labvm) in place and in a batch.
# A test's name, points and score must match; so must the totals.
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
chmod 711 "$work"                      # tests run as nobody under TMPDIR
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"

copy() {   # copy DIR LAB: DIR/labs/LAB from the reference, no build outputs
	mkdir -p "$1/labs" && cp -r "$TOP/labs/$2" "$1/labs/" &&
		rm -rf "$1/labs/$2"/build "$1/labs/$2"/build-*
}
scores() { # scores RESULTS: one line per test, "name points score"
	jq -r '.tests[] | "\(.name) \(.max_score) \(.score)"' "$1" 2>/dev/null | sort
}
same() {   # same WHAT A B
	check "$1: $(scores "$2" | wc -l) tests, the same scores" \
		sh -c "[ -s '$2' ] && [ -s '$3' ] && [ \"\$(jq -r '.tests[] | \"\(.name) \(.max_score) \(.score)\"' '$2' | sort)\" = \
		       \"\$(jq -r '.tests[] | \"\(.name) \(.max_score) \(.score)\"' '$3' | sort)\" ]"
	scores "$2" >"$2.s"; scores "$3" >"$3.s"
	diff "$2.s" "$3.s" | head -10
}

echo "== grader: one score everywhere (lab 01 in place and --tree, lab 02 in place and --batch)"
"$GRADE" --lab 01 --results "$work/01-place.json" >/dev/null 2>&1
copy "$work/tree" 01-server
"$GRADE" --tree "$work/tree" --lab 01 --results "$work/01-tree.json" >/dev/null 2>&1
same "lab 01: in place = --tree a copy" "$work/01-place.json" "$work/01-tree.json"
check "lab 01: full marks in place" \
	[ "$(jq '[.tests[].score] | add' "$work/01-place.json")" = \
	  "$(jq '[.tests[].max_score] | add' "$work/01-place.json")" ]

"$GRADE" --lab 02 --results "$work/02-place.json" >/dev/null 2>&1
copy "$work/subs/ref" 02-partition
"$GRADE" --batch "$work/subs" --lab 02 --out "$work/out" --timeout 600 >/dev/null 2>&1
same "lab 02: in place = --batch of a copy" "$work/02-place.json" "$work/out/ref/results.json"
check "lab 02: full marks in place" \
	[ "$(jq '[.tests[].score] | add' "$work/02-place.json")" = \
	  "$(jq '[.tests[].max_score] | add' "$work/02-place.json")" ]
[ "$fails" = 0 ]
