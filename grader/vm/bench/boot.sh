#!/bin/bash
# bench/boot.sh [RUNS]: how long `labvm run -- true` takes, cold (a fresh
# machine every time), against a baseline measured in the same run.
#
#   labvm   labvm as it boots: qboot, the kernel's ELF image entered through
#           PVH, cryptomgr.notests, QEMU stopped at the status line
#   plain   LABVM_BOOT=plain: SeaBIOS, the compressed vmlinuz, no shortcuts
#           (what a straightforward QEMU -kernel/-initrd boot costs)
# The two alternate, so that load from other programs hits both alike.
# Prints each configuration's median, min and max wall time, its median CPU
# time (QEMU's and labvm's user+system: less sensitive than wall time to
# other programs competing for the CPUs), the ratio of the medians, and
# every failed boot (a boot that fails or hangs counts: a fast boot that
# sometimes hangs is worse than a slow one).
set -u
runs=${1:-9}
labvm=$(cd "$(dirname "$0")/../.." && pwd)/labvm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# one NAME [ENV=VALUE]: one boot; appends its wall and CPU time to $tmp/NAME.{wall,cpu}.
one() {
	local name=$1 t
	shift
	TIMEFORMAT='%R %U %S'
	rm -f "$tmp/failed"
	t=$( { time env "$@" "$labvm" run --timeout 60 -- true >"$tmp/out" 2>&1 ||
		touch "$tmp/failed"; } 2>&1 )
	if [ -e "$tmp/failed" ]; then
		fails=$((fails + 1))
		echo "FAILED ($name): $(tail -n 3 "$tmp/out")"
	fi
	set -- $t
	echo "$1" >>"$tmp/$name.wall"
	awk -v u="$2" -v s="$3" 'BEGIN { print u + s }' >>"$tmp/$name.cpu"
}

. "$(dirname "$0")/stats.sh"

"$labvm" check >/dev/null || { echo "labvm is not ready: run 'grader/labvm check'"; exit 1; }
echo "labvm run -- true, $runs cold boots each, $(nproc) host CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
for i in $(seq "$runs"); do
	one labvm LABVM_BOOT=
	one plain LABVM_BOOT=plain
done
for name in labvm plain; do
	set -- $(stats $name.wall) $(stats $name.cpu)
	printf "  %-6s wall median %5.2f s  min %5.2f s  max %5.2f s   cpu median %5.2f s\n" \
		"$name" "$1" "$2" "$3" "$4"
	eval "${name}_wall=$1 ${name}_cpu=$4"
done
awk -v lw="$labvm_wall" -v pw="$plain_wall" -v lc="$labvm_cpu" -v pc="$plain_cpu" \
	-v f="$fails" -v n=$((2 * runs)) 'BEGIN {
	printf "  labvm / plain: wall %.2f, cpu %.2f   failed boots: %d of %d\n", lw / pw, lc / pc, f, n }'
echo "  load after: $(cut -d' ' -f1 /proc/loadavg)"
[ "$fails" -eq 0 ]
