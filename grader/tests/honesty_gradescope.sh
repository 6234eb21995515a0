#!/bin/sh
# honesty_gradescope.sh: one score everywhere (honesty.sh's claim 6),
# through Gradescope: run_autograder of the zip that grades every lab (a
# lab's own zip only adds VMLAB_LAB: gradescope.sh grades through one),
# on the reference and on its handout, gives the scores they get graded
# in place and as a --tree (honesty_lib.sh, "base"), test for test. As
# root it runs Gradescope's way, without namespaces: that grade is also
# the one without_namespaces checks (claim 5).
. "$(dirname "$0")/fixture.sh"
. "$(dirname "$0")/honesty_lib.sh"
own_work
echo "== grader: one score everywhere: Gradescope's run_autograder (every lab; reference and handout)"
own_handout
out=$work/out-same
mkdir -p "$out"

# without_namespaces BOARD RESULTS: the claims of a grade made where the
# grader may not make namespaces (GRADE_NO_NAMESPACES=1; a container like
# Gradescope's), as root: tests still run as nobody, every lab still scores
# 100%, and it is the in-place grade test for test. The run of the
# Gradescope zip on the reference below is that grade (it runs as root
# there, as on Gradescope), so this costs no grade of its own.
without_namespaces() {
	echo "== grader: honesty of every lab without namespaces, as root (Gradescope's run)"
	check "no namespaces: tests run as nobody" \
		grep -q "^vmlab grade: .*own process group, as nobody" "$1"
	lab_scores "$2" >"$work/nons.scores"
	check "no namespaces: the reference grades" [ -s "$work/nons.scores" ]
	while read -r lab got max _; do
		check "no namespaces: lab $lab reference scores 100%: $got/$max" \
			[ "$got" = "$max" ]
	done <"$work/nons.scores"
	[ "$fails" = 0 ] || cat "$1"
}

make -s -C "$GRADER" gradescope GRADESCOPE_DIR="$out/zip" >"$out/pack.log" 2>&1
ag=$out/ag
mkdir -p "$ag/source" && unzip -qq "$out/zip/vmlab-autograder.zip" -d "$ag/source"
cp "$ag/source/run_autograder" "$ag/"
make -s -C "$ag/source/grader" >/dev/null 2>&1     # what setup.sh does
[ -d "$TOP/build/labvm" ] && mkdir -p "$ag/source/build" &&
	cp -a "$TOP/build/labvm" "$ag/source/build/"   # setup.sh fetches it
# As root, Gradescope's way: no namespaces (its container may not make
# them), the jail then a process group as nobody.
nons=; [ "$(id -u)" = 0 ] && nons=1
for who in ref handout; do
	tree=$TOP; [ $who = handout ] && tree=$handout
	rm -rf "$ag/submission" "$ag/results"
	mkdir -p "$ag/submission"
	copy_clean "$tree" "$ag/submission/vmlab" labs mk grader
	AUTOGRADER_ROOT=$ag env ${nons:+GRADE_NO_NAMESPACES=1} "$ag/run_autograder" \
		>"$out/ag-$who.log" 2>&1
	cp "$ag/results/results.json" "$out/ag-$who.json" 2>/dev/null
done
base
same "Gradescope: the reference = in place" "$placed" "$out/ag-ref.json"
same "Gradescope: the handout = --tree" "$treed" "$out/ag-handout.json"
[ "$fails" = 0 ] || tail -n 20 "$out"/ag-*.log
[ -z "$nons" ] || without_namespaces "$out/ag-ref.log" "$out/ag-ref.json"
[ "$fails" = 0 ]
