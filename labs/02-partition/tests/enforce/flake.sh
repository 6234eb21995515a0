#!/bin/sh
# tests/enforce/flake.sh [N [CPUMAX]]: lab 02's cpu_max_throttles_shared under
# load (issue 21). Boots labvm once and runs that check N times (20 by
# default) inside it, while 4 busy processes per CPU (LOAD=4) spin on this
# machine, each in a session of its own (the scheduler's autogroup gives each
# a full share, as on a busy grading machine). Prints each run's result and
# the number that failed; exit 0 when none did, 1 when some did, 2 when
# labvm could not run.
# CPUMAX, if given, is written over the plan's cpu.max in every run, a stand-
# in for a partition that writes a wrong quota: "max 100000" (none) or
# "90000 100000" must fail every run. Not part of make test (it takes
# minutes); make flake-hunt LAB=02 grades the whole lab under load.
#   tests/enforce/flake.sh 20              the reference: 0 failures
#   tests/enforce/flake.sh 3 'max 100000'  a missing quota: 3 failures
L=$(cd "$(dirname "$0")/../.." && pwd)
B=$L/build
N=${1:-20}
LOAD=${LOAD:-4}
out=$(mktemp -d) || exit 2
. "$L/../../grader/bench/hogs.sh"
stop() {
	hogs_stop
	rm -rf "$out"
}
trap stop EXIT
trap 'exit 130' INT TERM

case $N in '' | *[!0-9]* | 0) echo "flake.sh: N must be a positive number" >&2; exit 2 ;; esac
make -s -C "$L" all build/tests/hog || exit 2
make -s -C "$L/../../grader/vm" all >&2 || exit 2

cpus=$(nproc)
hogs_start $((LOAD * cpus))
echo "flake.sh: $N runs of cpu_max_throttles_shared${2:+ (cpu.max forced to $2)}," \
	"$((LOAD * cpus)) busy processes on $cpus CPUs"

t0=$(date +%s)
"$L/../../grader/labvm" run --cpus 2 --mem 512M --timeout $((120 + 30 * N)) \
	--in "$B/partition" --in "$B/tests/hog" --in "$L/tests/enforce/enforce.sh" \
	--out "$out" -- /bin/sh "$L/tests/enforce/enforce.sh" "$L" "$B" throttle "$N" "$2" \
	>"$out/labvm.log" 2>&1
rc=$?
t1=$(date +%s)
if [ $rc != 0 ] || [ ! -s "$out/results" ]; then
	echo "flake.sh: labvm exited $rc" >&2
	tail -20 "$out/labvm.log" >&2
	exit 2
fi
cat "$out/results"
runs=$(wc -l <"$out/results")
bad=$(grep -c -v '^cpu_max_throttles_shared PASS ' "$out/results")
echo "flake.sh: $runs runs in $((t1 - t0)) s (one boot), $bad failed"
[ "$runs" = "$N" ] && [ "$bad" = 0 ]
