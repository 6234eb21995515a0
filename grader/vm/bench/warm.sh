#!/bin/bash
# bench/warm.sh [RUNS]: `labvm run -- true`, cold boots against restores of
# the saved machine (src/warm.c), RUNS of each (default 25), alternating so
# that load from other programs hits both alike.
#
#   cold   LABVM_SNAPSHOT=off: a fresh boot every time
#   warm   LABVM_SNAPSHOT=on: restore the saved machine (saved first, not timed)
# Prints each one's median, min and max wall time and median CPU time
# (QEMU's and labvm's user+system), and every failed or hung start: a start
# that fails or passes --timeout counts, so `bench/warm.sh 50` is the
# "0 hangs in 50 starts" check (make bench-warm).
set -u
runs=${1:-25}
labvm=$(cd "$(dirname "$0")/../.." && pwd)/labvm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# one NAME [ENV=VALUE]: one start; appends its wall and CPU time to $tmp/NAME.{wall,cpu}.
one() {
	local name=$1 t rc
	shift
	TIMEFORMAT='%R %U %S'
	rm -f "$tmp/rc"
	t=$( { time env "$@" "$labvm" run --timeout 120 -- true >"$tmp/out" 2>&1 ||
		echo $? >"$tmp/rc"; } 2>&1 )
	if [ -e "$tmp/rc" ]; then
		fails=$((fails + 1))
		rc=$(cat "$tmp/rc")
		echo "FAILED ($name, exit $rc$([ "$rc" = 124 ] && echo ', hung')): $(tail -n 3 "$tmp/out")"
	elif [ "$name" = warm ] && [ -s "$tmp/out" ]; then
		echo "warm start said: $(head -n 1 "$tmp/out")"
	fi
	set -- $t
	echo "$1" >>"$tmp/$name.wall"
	awk -v u="$2" -v s="$3" 'BEGIN { print u + s }' >>"$tmp/$name.cpu"
}

. "$(dirname "$0")/stats.sh"

"$labvm" check >/dev/null || { echo "labvm is not ready: run 'grader/labvm check'"; exit 1; }
LABVM_SNAPSHOT=on "$labvm" run -- true >/dev/null 2>&1 || { echo "labvm run -- true fails"; exit 1; }
echo "labvm run -- true, $runs cold and $runs warm starts, $(nproc) host CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
for i in $(seq "$runs"); do
	one cold LABVM_SNAPSHOT=off
	one warm LABVM_SNAPSHOT=on
done
for name in cold warm; do
	set -- $(stats $name.wall) $(stats $name.cpu)
	printf "  %-5s wall median %5.2f s  min %5.2f s  max %5.2f s   cpu median %5.2f s\n" \
		"$name" "$1" "$2" "$3" "$4"
done
echo "  failed or hung starts: $fails of $((2 * runs))   load after: $(cut -d' ' -f1 /proc/loadavg)"
[ "$fails" -eq 0 ]
