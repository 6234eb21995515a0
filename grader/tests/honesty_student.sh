#!/bin/sh
# honesty_student.sh: one score everywhere (honesty.sh's claim 6), in the
# student's own tree: the handout with the reference's student files put
# in, as the student who finished has it, graded in place by its own
# grader/grade, gets the reference's scores (honesty_lib.sh, "base") on
# the visible tests (the hidden ones are not in a handout), every visible
# point and bonus point, and each lab's make test passes there.
. "$(dirname "$0")/fixture.sh"
. "$(dirname "$0")/honesty_lib.sh"
own_work
echo "== grader: one score everywhere: the student's own tree, finished (every lab)"
own_handout
out=$work/out-same
mkdir -p "$out"
done_tree=$out/finished
copy_clean "$handout" "$done_tree" labs mk grader
[ -d "$TOP/build/labvm" ] && mkdir -p "$done_tree/build" &&
	cp -a "$TOP/build/labvm" "$done_tree/build/"   # make labvm, as a student
"$GRADE" --ref "$TOP" --list-files >"$out/files" 2>&1
while IFS= read -r f; do
	[ -f "$TOP/$f" ] && cp "$TOP/$f" "$done_tree/$f"
done <"$out/files"
(cd "$done_tree" && make -s -C grader >/dev/null 2>&1 &&
	grader/grade --results "$out/finished.json") >"$out/finished.board" 2>&1
base
same "the student's own tree, finished: grader/grade = the reference's visible tests" \
	"$placed" "$out/finished.json" "" visible
# Every visible point, and every bonus point: a bonus test's max_score
# is 0 and its worth extra_data.bonus_points; a skipped one (lab 03's
# boot when labvm lost every boot) was not judged.
check "the student's own tree, finished: every visible point" \
	jq_true '(.tests | length) > 0 and all(.tests[];
		if (.tags // []) | index("bonus")
		then .score == .extra_data.bonus_points or
		     (.output // "" | startswith("skipped, which scores 0"))
		else .score == .max_score end)' \
	"$out/finished.json"
# The finished labs are the reference's files: their make test finds the
# objects of the reference's own (mk/cached.sh: this tree's compiler
# cache, paths relative to the top of the tree that builds). Root's
# builds: nothing in that cache may be writable by anyone else.
for mk in "$done_tree"/labs/*/Makefile; do
	d=$(dirname "$mk")
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL CCACHE_DIR="$TOP/build/ccache" \
		CCACHE_BASEDIR="$done_tree" CCACHE_NOHASHDIR=1 CCACHE_UMASK=022 \
		make -s -C "$d" test \
		>"$out/finished-test-$(basename "$d").log" 2>&1
	check "the student's own tree, finished: make test in $(basename "$d") passes" [ $? = 0 ]
done
[ "$fails" = 0 ] || tail -n 20 "$out/finished.board" "$out"/finished-test-*.log
[ "$fails" = 0 ]
