#!/bin/sh
# bench/grade.sh: how long grading takes on this machine (grader/README.md,
# "Speed"). Three runs each, the median reported:
#   all labs, warm     grade (builds up to date: the tests themselves)
#   each lab, warm     grade --lab NN, with the default -j (the CPUs) and
#                      with -j 1 (one test at a time, the baseline): the
#                      ratio is what running tests at once buys
#   lab 01 baseline    make -C labs/01-server test (no jail, no rubric):
#                      the ratio is what the jail and the per-test runs cost
#   all labs, cold     grade --tree COPY: a submission graded from scratch,
#                      every lab built (what Gradescope does)
# Goals (issue 3): all labs < 60 s, any lab but 03 < 5 s.
GRADER=$(cd "$(dirname "$0")/.." && pwd)
TOP=$(cd "$GRADER/.." && pwd)
GRADE=$GRADER/build/grade
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
# median3 CMD...: run three times, print the median wall time in seconds.
median3() {
	for i in 1 2 3; do
		t0=$(now)
		"$@" >/dev/null 2>&1
		echo "$(now) - $t0" | bc
	done | sort -n | sed -n 2p
}
line() { printf '%-40s %6.2f s%s\n' "$1" "$2" "$3"; }

make -s -C "$GRADER" all || exit 1
echo "grade on $(nproc) CPUs, load $(cut -d" " -f1 /proc/loadavg)"
"$GRADE" >/dev/null 2>&1    # warm the builds
all=$(median3 "$GRADE")
line "grade, all labs (warm)" "$all"
for mk in "$TOP"/labs/*/Makefile; do
	lab=$(basename "$(dirname "$mk")")
	id=${lab%%-*}
	t=$(median3 "$GRADE" --lab "$id")
	one=$(median3 "$GRADE" --lab "$id" -j 1)
	line "grade --lab $id (warm)" "$t" \
		"  (-j 1: $(printf '%.2f' "$one") s, $(echo "scale=2; $one / $t" | bc)x)"
done
base=$(median3 make -s -C "$TOP/labs/01-server" test)
one=$(median3 "$GRADE" --lab 01 -j 1)
line "make -C labs/01-server test (baseline)" "$base" \
	"  (grade --lab 01 -j 1 = $(echo "scale=1; $one / $base" | bc)x)"
mkdir -p "$work/copy"
cp -r "$TOP/labs" "$work/copy/" && find "$work/copy" -name build -type d -prune -exec rm -rf {} +
t0=$(now)
"$GRADE" --tree "$work/copy" >/dev/null 2>&1
line "grade --tree COPY, all labs (cold)" "$(echo "$(now) - $t0" | bc)"
