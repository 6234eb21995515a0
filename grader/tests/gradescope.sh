#!/bin/sh
# gradescope.sh: make gradescope builds a zip that Gradescope can use.
#   1. the zip: setup.sh and run_autograder at its root, the reference tree
#      with hidden tests, no build outputs, no .git, no tracked file missing;
#   2. setup.sh parses, passes shellcheck, and installs exactly
#      mk/packages.txt minus grader/gradescope/packages.skip;
#   3. run_autograder, in a temporary folder standing in for /autograder,
#      writes the same results.json (tests, scores, max scores) as
#      `grade --tree SUB --ref SOURCE --lab 01 --results` for a whole tree,
#      and for the student's files alone, zipped (loose or in their lab's
#      folder, another lab's files left out), with no failure of a hidden
#      test in the visible output;
#   4. an empty submission, a tree without the lab, one that does not build,
#      one that links to the solution in source/, a grader that fails and
#      one that hangs: still a valid results.json, score 0, and a reason;
#   5. an archive that leaves a link into source/grader for the next one to
#      write a new grade through: the grader is intact, nothing of it ran.
# Lab 01 only: about a minute on a quiet 2-core machine.
# shellcheck source=fixture.sh disable=SC2154
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
# Each run grades lab 01 again: the builds share a compiler cache, the
# grades' copies under $work (builds and tests run as nobody there).
chmod 711 "$work"
TMPDIR=$work/tmp; export TMPDIR
mkdir -p "$TMPDIR"
use_cache "$work/ccache"
lab=01
zip=$work/zip/vmlab-autograder-lab$lab.zip
ag=$work/ag                        # stands in for /autograder
src=$ag/source

# valid FILE: a results.json Gradescope accepts.
valid() {
	jq -e '(.score | type) == "number" and (.output | type) == "string" and
	       (.tests | type) == "array" and
	       all(.tests[]; (.name | type) == "string" and
	           (.score | type) == "number" and (.max_score | type) == "number" and
	           (.status == "passed" or .status == "failed"))' "$1" >/dev/null
}
# facts FILE: what must agree, execution_time and output left out.
facts() {
	jq -S '{score, tests: [.tests[] | {name, number, score, max_score, status,
	        visibility}]}' "$1"
}
# autograde SUBDIR [VAR=VALUE...]: run run_autograder on submission SUBDIR
# (moved into place), with that environment; results in $ag/results.
autograde() {
	rm -rf "$ag/submission" "$ag/results"
	mv "$1" "$ag/submission"
	shift
	env AUTOGRADER_ROOT="$ag" "$@" "$ag/run_autograder" >"$work/stdout" 2>&1
}
same_results() {   # same_results A B
	facts "$1" >"$work/a.facts" && facts "$2" >"$work/b.facts" &&
		cmp -s "$work/a.facts" "$work/b.facts"
}
output_says() { jq -r .output "$ag/results/results.json" | grep -q -- "$1"; }

echo "== grader: make gradescope"
make -s -C "$GRADER" gradescope LAB=$lab GRADESCOPE_DIR="$work/zip" >"$work/pack.log" 2>&1
check "make gradescope LAB=$lab writes $(basename "$zip")" [ -s "$zip" ]
unzip -Z1 "$zip" >"$work/list"
check "setup.sh and run_autograder at the zip's root" \
	sh -c "grep -qx setup.sh '$work/list' && grep -qx run_autograder '$work/list'"
check "the zip says which lab it grades" grep -qx VMLAB_LAB "$work/list"
check "the hidden tests are in" grep -q "^labs/$lab-[^/]*/tests/hidden/test_" "$work/list"
check "no build output and no .git in the zip" \
	sh -c "! grep -qE '(^|/)(build|build-[^/]*|\.git)/|\.o$' '$work/list'"
if git -C "$TOP" rev-parse >/dev/null 2>&1; then
	(cd "$TOP" && git ls-files labs mk grader | while IFS= read -r f; do
		[ -f "$f" ] && ! grep -qxF -- "$f" "$work/list" && echo "$f"
	done) >"$work/lost"
	check "every tracked file of labs/ mk/ grader/ is in the zip" [ ! -s "$work/lost" ]
fi
"$GRADER/gradescope/pack.sh" "$work/zip" 7 >/dev/null 2>"$work/err"
rc=$?
check "a lab that does not exist: exit 2 and what to type" \
	sh -c "[ $rc = 2 ] && grep -q 'make gradescope LAB=01' '$work/err'"

echo "== grader: setup.sh"
mkdir -p "$src" && unzip -qq "$zip" -d "$src"
check "setup.sh parses" bash -n "$src/setup.sh"
if command -v shellcheck >/dev/null; then
	check "setup.sh and run_autograder pass shellcheck" \
		shellcheck "$src/setup.sh" "$src/run_autograder"
fi
names() { sed -e 's/#.*//' "$1" | tr -s ' \t' '\n' | grep -v '^$'; }
names "$TOP/mk/packages.txt" >"$work/all"
names "$GRADER/gradescope/packages.skip" >"$work/skip"
grep -vxF -f "$work/skip" "$work/all" >"$work/want"
"$src/setup.sh" --print-packages >"$work/got"
check "setup.sh installs mk/packages.txt minus packages.skip" cmp -s "$work/want" "$work/got"
check "every skipped package is one of mk/packages.txt" \
	sh -c "! grep -vxF -f '$work/all' '$work/skip'"
check "the grader's own needs are installed (criterion, json-c, jq, unzip, qemu)" \
	sh -c "for p in libcriterion-dev libjson-c-dev jq unzip qemu-system-x86; do grep -qx \$p '$work/got' || exit 1; done"

echo "== grader: run_autograder (lab $lab)"
cp "$src/run_autograder" "$ag/"
make -s -C "$src/grader" >/dev/null    # what setup.sh does on Gradescope
# A whole tree, in its folder: the handout with lab 01 solved but for
# hi_storage.c, whose hidden tests then fail.
mkdir -p "$work/sub" "$work/flat"
"$src/grader/grade" --handout "$work/sub/vmlab" >/dev/null
labdir=$(cd "$TOP/labs" && echo "$lab"-*)
grep -l '>>> SOLUTION' "$TOP/labs/$labdir"/src/*.c | while IFS= read -r f; do
	[ "$(basename "$f")" = hi_storage.c ] || cp "$f" "$work/flat/"
done
cp "$work/flat"/*.c "$work/sub/vmlab/labs/$labdir/src/"
"$src/grader/grade" --tree "$work/sub/vmlab" --ref "$src" --lab $lab \
	--results "$work/direct.json" >"$work/direct.board" 2>&1
check "grade --tree writes results (the reference for what follows)" valid "$work/direct.json"
hidden_fails() {
	jq -e 'any(.tests[]; .visibility == "after_due_date" and .status == "failed")' \
		"$work/direct.json" >/dev/null && grep -q '^FAIL.*hidden/' "$work/direct.board"
}
check "the reference run has a failing hidden test, named on its board" hidden_fails
check "the solved files score more than the stubs, less than full marks" \
	sh -c "jq -e '.score * 2 > ([.tests[].max_score] | add) and
	              .score < ([.tests[].max_score] | add)' '$work/direct.json' >/dev/null"
cp -r "$work/sub/vmlab" "$work/vmlab"
autograde "$work/sub"
check "whole tree: results.json is valid" valid "$ag/results/results.json"
check "whole tree: the same results as grade --tree" \
	same_results "$work/direct.json" "$ag/results/results.json"
check "whole tree: output says where the tree was found" output_says "Your tree: vmlab/"
check "whole tree: output shows no failure of a hidden test" \
	sh -c "! jq -r .output '$ag/results/results.json' | grep -q '^FAIL.*hidden/'"

# The same files alone, in a zip: some loose, some in their lab's folder.
mkdir -p "$work/sub" "$work/flat/$labdir/src"
mv "$work/flat/hi_cpu.c" "$work/flat/hi_net.c" "$work/flat/$labdir/src/"
echo "my notes" >"$work/flat/notes.txt"
other= main=              # another lab's main.c (src/ or given/): not lab 01's
for d in "$TOP"/labs/[0-9][0-9]-*/src/main.c "$TOP"/labs/[0-9][0-9]-*/given/main.c; do
	[ -f "$d" ] || continue
	l=$(basename "$(dirname "$(dirname "$d")")")
	[ "$l" = "$labdir" ] || { other=$l; main=$(basename "$(dirname "$d")")/main.c; }
done
if [ -n "$other" ]; then
	mkdir -p "$work/flat/$other/$(dirname "$main")"
	cp "$TOP/labs/$other/$main" "$work/flat/$other/$main"
fi
ln -s "$src/labs/$labdir/src/hi_storage.c" "$work/flat/hi_storage.c"  # the solution
(cd "$work/flat" && zip -q -r -y "$work/sub/lab$lab.zip" .)
autograde "$work/sub"
check "edited files, zipped: results.json is valid" valid "$ag/results/results.json"
check "edited files, zipped: the same results as the whole tree" \
	same_results "$work/direct.json" "$ag/results/results.json"
check "edited files: output names what was used and what was not" \
	sh -c "jq -r .output '$ag/results/results.json' | grep 'put into' | grep -q 'src/hi_mem.c' &&
	       jq -r .output '$ag/results/results.json' | grep 'put into' | grep -q 'src/hi_net.c' &&
	       jq -r .output '$ag/results/results.json' | grep -q 'Not used.*notes.txt' &&
	       jq -r .output '$ag/results/results.json' | grep -q 'Not used.*$other/$main'"

echo "== grader: run_autograder, bad submissions"
mkdir -p "$work/sub"
autograde "$work/sub"
check "empty: score 0, the rubric still listed" \
	sh -c "jq -e '.score == 0 and (.tests | length) > 0' '$ag/results/results.json' >/dev/null"
check "empty: valid results.json" valid "$ag/results/results.json"
check "empty: output says no file was found" output_says "No file of the lab"

mkdir -p "$work/sub"
printf 'int hi_mem_broken(void) { return }\n' >"$work/sub/hi_mem.c"
autograde "$work/sub"
check "does not build: score 0, the rubric still listed" \
	sh -c "jq -e '.score == 0 and (.tests | length) > 0' '$ag/results/results.json' >/dev/null"
check "does not build: valid results.json" valid "$ag/results/results.json"

mkdir -p "$work/sub/vmlab/labs/99-other"
autograde "$work/sub"
check "a tree without the lab: score 0, the rubric listed, the reason" \
	sh -c "jq -e '.score == 0 and (.tests | length) > 0' '$ag/results/results.json' >/dev/null &&
	       jq -r .output '$ag/results/results.json' | grep -q 'Your tree has no labs/$labdir'"

# A whole tree whose hi_storage.c is a link to the instructor's solution.
mkdir -p "$work/sub"
cp -r "$work/vmlab" "$work/sub/"
ln -sf "$src/labs/$labdir/src/hi_storage.c" "$work/sub/vmlab/labs/$labdir/src/hi_storage.c"
autograde "$work/sub"
check "a link to the solution: removed, named, graded as the handout's stub" \
	sh -c "jq -e '.score < ([.tests[].max_score] | add)' '$ag/results/results.json' >/dev/null &&
	       jq -r .output '$ag/results/results.json' | grep -q 'removed: vmlab/labs/$labdir/src/hi_storage.c'"

# Two archives, one inside the other: the outer leaves a link where the
# inner is then unpacked (inner.unpacked -> source/grader), the inner holds
# a new grade, which run_autograder would run as root (issue 19, class 5).
mkdir -p "$work/sub" "$work/evil/in"
printf '#!/bin/sh\necho pwned >"%s"\nexit 1\n' "$work/pwned" >"$work/evil/in/grade"
chmod +x "$work/evil/in/grade"
(cd "$work/evil/in" && tar -cf ../inner.tar grade)
ln -s "$src/grader" "$work/evil/inner.unpacked"
(cd "$work/evil" && tar -cf "$work/sub/outer.tar" inner.unpacked inner.tar)
cp -p "$src/grader/grade" "$work/grade.before"
autograde "$work/sub"
check "an archive whose link leads the next one into source/grader: grade is intact" \
	cmp -s "$src/grader/grade" "$work/grade.before"
check "... and nothing the archive brought was run" [ ! -e "$work/pwned" ]
check "... and the link is named as not unpacked" output_says "not unpacked from outer.tar: inner.unpacked"
check "... valid results.json" valid "$ag/results/results.json"
cp -p "$work/grade.before" "$src/grader/grade"   # for what follows, whatever happened

mkdir -p "$work/sub"
cp -r "$work/vmlab" "$work/sub/"
autograde "$work/sub" VMLAB_GRADE=/bin/false
check "the grader fails: valid results.json, score 0" \
	sh -c "jq -e '.score == 0 and .tests == []' '$ag/results/results.json' >/dev/null"
check "the grader fails: output says so" output_says "autograder failed (exit 1)"

mkdir -p "$work/sub"
cp -r "$work/vmlab" "$work/sub/"
printf '#!/bin/sh\nexec sleep 60\n' >"$work/hang" && chmod +x "$work/hang"
start=$(date +%s)
autograde "$work/sub" VMLAB_GRADE="$work/hang" VMLAB_TIME_LIMIT=2
check "the grader hangs: stopped at the limit ($(($(date +%s) - start)) s)" \
	[ $(($(date +%s) - start)) -lt 15 ]
check "the grader hangs: valid results.json, score 0, the reason" \
	sh -c "jq -e '.score == 0' '$ag/results/results.json' >/dev/null &&
	       jq -r .output '$ag/results/results.json' | grep -q 'longer than 2 s'"

if [ "$fails" != 0 ]; then
	cat "$work/pack.log" "$work/stdout"
fi
[ "$fails" = 0 ]
