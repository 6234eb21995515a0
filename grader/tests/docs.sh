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
# Every solution region is the inside of one function, its signature
# outside (a region of whole static helpers, with an empty stub, is the
# one exception: grader/README.md), at most 40 lines of solution, and the
# comment right above that function is its contract: it names the stage
# (NN.S) and the README part to read. The hint line itself is short; the
# contract is what the student reads first.
regions() {
	awk '
	function report(why) { printf "%s:%d %s\n", FILENAME, start, why }
	FNR == 1 { infn = 0; cmt_end = -1; inreg = 0 }
	!inreg && /^\/\*/ { incmt = 1; text = "" }
	incmt { text = text " " $0 }
	incmt && /\*\// { incmt = 0; cmt_end = FNR; cmt = text; next }
	/^__attribute__/ && cmt_end == FNR - 1 { cmt_end = FNR; next }
	!inreg && !infn && /^[A-Za-z_].*\(/ && !/;[ \t]*$/ {
		fn = $0; fncmt = (cmt_end == FNR - 1) ? cmt : ""
	}
	/^\{/ { infn = 1 }
	/^\}/ { infn = 0 }
	/>>> SOLUTION/ {
		inreg = 1; start = FNR; stubline = 0; inside = infn
		stage = $0; sub(/.*SOLUTION /, "", stage); sub(/:.*/, "", stage)
	}
	inreg && /=== STUB/ { stubline = FNR }
	/<<< SOLUTION/ {
		inreg = 0
		if (stubline - start - 1 > 40)
			report((stubline - start - 1) " lines of solution (at most 40: split the function)")
		if (!inside && FNR - stubline > 2)
			report("a region outside a function holds more than static helpers (its stub is not empty)")
		if (inside && index(fncmt, stage) == 0)
			report("the comment above " substr(fn, 1, 40) "... does not name stage " stage)
		if (inside && fncmt !~ /README/)
			report("the comment above " substr(fn, 1, 40) "... does not name the README part to read")
	}' "$@"
}
for lab in "$TOP"/labs/*/; do
	bad=$(cd "$lab" && regions $(grep -l '>>> SOLUTION' src/*.c given/*.c 2>/dev/null))
	[ -z "$bad" ] || printf '%s\n' "$bad" | sed 's/^/    /'
	check "$(basename "$lab"): every region is one function's, under a contract naming its stage and README part" \
		[ -z "$bad" ]
done

# A hint names no code the handout lacks (a hint once sent students to
# cpuinfo_key(), which the handout had removed).
for lab in "$TOP"/labs/*/; do
	l=$(basename "$lab")
	missing=
	for name in $(grep -rhoE 'TODO\(student\)[^*]*' "$work/h/labs/$l" |
		      grep -oE '[a-z_][a-z0-9_]*\(' | tr -d '(' | sort -u); do
		[ "$(grep -rhow --exclude=README.md --exclude-dir=build -- "$name" "$work/h" | wc -l)" -gt \
		  "$(grep -rhoE 'TODO\(student\)[^*]*' "$work/h" | grep -ow -- "$name" | wc -l)" ] ||
			missing="$missing $name"
	done
	check "$l: every function a hint names is in the handout${missing:+ (not:$missing)}" \
		[ -z "$missing" ]
done

tooling=$(cd "$work/h" && find . -path ./build -prune -o \( -path '*/corpus/*' -prune \) -o \
	  \( -iname '*fuzz*' -o -iname 'bench' -o -iname 'bench*.[ch]' -o \
	     -iname 'bench*.sh' -o -iname '*faultinj*' -o -path '*/tests/faults' \) \
	  -print | sort | tr '\n' ' ')
check "the handout has no fuzzer, benchmark or fault injection${tooling:+ (has: $tooling)}" \
	[ -z "$tooling" ]
[ "$fails" = 0 ]
