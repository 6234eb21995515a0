#!/bin/sh
# bench/flake.sh [LAB...]: grading that never flakes (issue 21). Grades each
# lab's reference N times (N=10 by default, from the environment) while
# 4 busy processes per CPU (LOAD=4) spin, each in a session of its own so
# that the scheduler's autogroup gives each a full share, as a busy grading
# machine would; labs graded in labvm included (and lab 02's labvm checks
# run anew each time, not read from the last run's build/enforce/). Lists
# every test that failed even once, with how often and its first failure's
# output.
# Without LAB, every lab of the tree. Exit 0 when nothing failed, 1 when
# some test did, 2 when a grade could not run at all.
#   make flake-hunt [N=10] [LAB=NN]    (issue 21; LOAD=K busy processes per CPU, default 4)
GRADER=$(cd "$(dirname "$0")/.." && pwd)
TOP=$(cd "$GRADER/.." && pwd)
GRADE=$GRADER/grade
N=${N:-10}
LOAD=${LOAD:-4}
work=$(mktemp -d) || exit 2
. "$GRADER/bench/hogs.sh"
stop() {
	hogs_stop
	rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

case $N in '' | *[!0-9]* | 0) echo "flake.sh: N must be a positive number" >&2; exit 2 ;; esac
if [ $# -eq 0 ]; then
	for mk in "$TOP"/labs/*/Makefile; do
		lab=$(basename "$(dirname "$mk")")
		set -- "$@" "${lab%%-*}"
	done
fi
make -s -C "$GRADER" all || exit 2
for id in "$@"; do    # build once, unloaded: the runs below time the tests
	"$GRADE" --lab "$id" --list >/dev/null 2>&1 || { echo "flake.sh: no lab $id" >&2; exit 2; }
done

cpus=$(nproc)
hogs_start $((LOAD * cpus))
echo "flake-hunt: $N grades of lab(s) $*, $((LOAD * cpus)) busy processes on $cpus CPUs"

bad=0
for id in "$@"; do
	t0=$(date +%s)
	run=1
	while [ $run -le "$N" ]; do
		# Results a lab's tests keep between grades (lab 02's labvm
		# checks, build/enforce/) would let later runs skip them.
		rm -rf "$TOP"/labs/"$id"-*/build/enforce
		"$GRADE" --lab "$id" --results "$work/$id-$run.json" >"$work/$id-$run.board" 2>&1
		rc=$?
		if [ ! -s "$work/$id-$run.json" ]; then
			echo "  lab $id run $run: no results (grade exit $rc)"
			tail -5 "$work/$id-$run.board" | sed 's/^/    /'
			bad=2
		fi
		run=$((run + 1))
	done
	t1=$(date +%s)
	# Each failed test: how many runs it failed in, and its first failure.
	fails=$(jq -r '.tests[] | select(.status != "passed") | .name' "$work/$id"-*.json 2>/dev/null |
		sort | uniq -c | sort -rn)
	score=$(jq -r '"\(.score)"' "$work/$id"-*.json 2>/dev/null | sort -n | uniq -c | tr '\n' ' ')
	echo "lab $id: $N runs in $((t1 - t0)) s; scores (count score): $score"
	if [ -z "$fails" ]; then
		echo "  no test failed"
		continue
	fi
	[ $bad = 0 ] && bad=1
	echo "$fails" | while read -r count name; do
		echo "  FAILED $count/$N: $name"
		jq -rs --arg n "$name" 'first(.[].tests[] | select(.name == $n and .status != "passed") | .output)' \
			"$work/$id"-*.json 2>/dev/null | head -8 | sed 's/^/    /'
	done
done
exit $bad
