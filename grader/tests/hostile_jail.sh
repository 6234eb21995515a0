#!/bin/sh
# hostile_jail.sh: attacks on the jail's limits (tests/fixture/labs/95-97),
# graded in one run, each checked to score 0 and leave nothing behind:
#   95  5 GiB held across five processes (each within its RLIMIT_AS);
#       files left in /var/tmp, /run/lock and /dev/shm
#   96  a build whose assembler asks for 2.8 GB at once
#   97  a lab that declares GRADE_NEEDS := labvm (as lab 02 does): its tests
#       run as nobody, cannot read /etc/shadow nor write the grader's tree,
#       and still find what an earlier test of theirs left under build/
# The memory checks need root and a writable cgroup (the board's first line
# says "per process: rlimits" without one), the scratch checks namespaces:
# elsewhere they are reported as skipped.
# shellcheck source=fixture.sh disable=SC2154
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d) || exit 1
chmod 755 "$work"
left="/var/tmp/vmlab-jail-left /run/lock/vmlab-jail-left /dev/shm/vmlab-jail-left"
cleanup() {
	rm -rf "$work"
	# shellcheck disable=SC2086 # a list of paths
	rm -f $left
}
trap cleanup EXIT
# shellcheck disable=SC2086
rm -f $left
make_tree "$work/ref" 95-jail 96-buildhog 97-labvm
root=$([ "$(id -u)" = 0 ] && echo yes)

echo "== grader: hostile to the jail's limits"
avail() { awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo; }
before=$(avail)
start=$(date +%s)
timeout 200 "$GRADE" --ref "$work/ref" --results "$work/results.json" \
	>"$work/board" 2>"$work/err"
rc=$?
secs=$(( $(date +%s) - start ))
json() { jq -r "$1" "$work/results.json" 2>/dev/null; }
score_of() { json ".tests[] | select(.name | endswith(\"$1\")) | .score"; }
mode=$(head -n 1 "$work/board")

check "grade exits 1 (some tests failed), not a crash: rc=$rc" [ "$rc" = 1 ]
check "the run took ${secs}s, within 180s" [ "$secs" -lt 180 ]
check "the board says how memory is bounded: $mode" \
	sh -c "echo '$mode' | grep -q 'memory and tasks per'"
check "the honest test next to the attacks passes" [ "$(score_of jail/honest)" = 1 ]
if [ -n "$root" ] && ! echo "$mode" | grep -q "per process: rlimits"; then
	check "5 GiB held across five processes scores 0" \
		[ "$(score_of jail/holds_5gb_across_processes)" = 0 ]
	check "... and the board says the test's memory bound killed it" \
		grep -q "used more than the 1024 MiB of memory a test may use" "$work/board"
	check "... and the machine kept its memory ($before MiB available before, $(avail) after)" \
		[ "$(avail)" -gt $((before - 1024)) ]
else
	echo "  skip 5 GiB across processes: no writable cgroup here ($mode)"
fi
if ! echo "$mode" | grep -q "own process group"; then
	for f in $left; do
		check "a file the test left in $(dirname "$f") is gone" [ ! -e "$f" ]
	done
else
	echo "  skip scratch folders: without namespaces they are the host's"
fi
check "a build that asks 2.8 GB scores 0" [ "$(score_of hog/built)" = 0 ]
check "... refused at once: the assembler ran out of memory" \
	grep -q "out of memory" "$work/board"
check "a GRADE_NEEDS labvm lab's test keeps its result for the next" \
	[ "$(score_of v97/b_finds_the_result)" = 1 ]
if [ -n "$root" ]; then
	for t in runs_as_root reads_etc_shadow writes_the_grader_tree writes_the_lab_sources; do
		check "a GRADE_NEEDS labvm lab's v97/$t scores 0" [ "$(score_of "v97/$t")" = 0 ]
	done
	check "nothing was written into the grader's tree" [ ! -e "$work/ref/grader/pwned-97" ]
	check "nothing was written into the lab's sources" [ ! -e "$work/ref/labs/97-labvm/src/pwned-97" ]
fi
check "no process of the submission is left" \
	sh -c "! ps -eo args | grep -v grep | grep -q 'test_jail\|test_v97'"
[ "$fails" = 0 ] || { echo "hostile_jail: $fails checks failed; board:"; cat "$work/board" "$work/err"; }
[ "$fails" = 0 ]
