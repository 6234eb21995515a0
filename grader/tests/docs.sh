#!/bin/sh
# docs.sh: what each lab's README names exists where the student reads it.
# Every identifier a README shows in backticks as code (`name` or
# `name()`, lower case with an underscore: a function, a struct, a
# constant of C) must be in the student's handout, outside the READMEs; a
# README that tells a student to write `read_num()` when the handout has
# no such function sends them looking for nothing. Module prefixes
# (`blk_`) are not names. And the handout carries what a student needs:
# no fuzzer, benchmark or fault injection (grader/handout-exclude).
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
echo "== grader: the labs' READMEs name what the handout has"
"$GRADE" --handout "$work/h" >/dev/null || { echo "  FAIL handout"; exit 1; }
for readme in "$TOP"/labs/*/README.md; do
	lab=$(basename "$(dirname "$readme")")
	missing=
	for name in $(grep -oE '`[a-z_][a-z0-9_]*(\(\))?`' "$readme" | tr -d '`' |
		      sed 's/()$//' | grep '_' | grep -v '_$' | sort -u); do
		grep -rqw --exclude=README.md --exclude-dir=build -- "$name" "$work/h" ||
			missing="$missing $name"
	done
	check "$lab: every code name of its README is in the handout${missing:+ (not:$missing)}" \
		[ -z "$missing" ]
done
tooling=$(cd "$work/h" && find . -path ./build -prune -o \( -path '*/corpus/*' -prune \) -o \
	  \( -iname '*fuzz*' -o -iname 'bench' -o -iname 'bench*.[ch]' -o \
	     -iname 'bench*.sh' -o -iname '*faultinj*' -o -path '*/tests/faults' \) \
	  -print | sort | tr '\n' ' ')
check "the handout has no fuzzer, benchmark or fault injection${tooling:+ (has: $tooling)}" \
	[ -z "$tooling" ]
[ "$fails" = 0 ]
