#!/bin/sh
# bench/boot.sh [RUNS]: how long `labvm run -- true` takes, cold (a fresh
# machine every time), against a baseline measured in the same run.
#
#   labvm   labvm as it boots: qboot, the kernel's ELF image entered through
#           PVH, cryptomgr.notests, QEMU stopped at the status line
#   plain   LABVM_BOOT=plain: SeaBIOS, the compressed vmlinuz, no shortcuts
#           (what a straightforward QEMU -kernel/-initrd boot costs)
# The two alternate, so that load from other programs hits both alike.
# Prints each configuration's median, min and max wall time, the ratio of
# the medians, and every failed boot (a boot that fails or hangs counts: a
# fast boot that sometimes hangs is worse than a slow one).
set -u
runs=${1:-9}
labvm=$(cd "$(dirname "$0")/../.." && pwd)/labvm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# one NAME [ENV=VALUE]: one boot; appends its wall time to $tmp/NAME.
one() {
	name=$1; shift
	start=$(date +%s.%N)
	if ! env "$@" "$labvm" run --timeout 60 -- true >"$tmp/out" 2>&1; then
		fails=$((fails + 1))
		echo "FAILED ($name): $(tail -n 3 "$tmp/out")"
	fi
	end=$(date +%s.%N)
	echo "$end - $start" | bc >>"$tmp/$name"
}

# stats NAME: "median min max" of $tmp/NAME.
stats() {
	sort -n "$tmp/$1" | awk '{a[NR] = $1} END {
		m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf "%.2f %.2f %.2f\n", m, a[1], a[NR] }'
}

"$labvm" check >/dev/null || { echo "labvm is not ready: run 'grader/labvm check'"; exit 1; }
echo "labvm run -- true, $runs cold boots each, $(nproc) host CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
for i in $(seq "$runs"); do
	one labvm LABVM_BOOT=
	one plain LABVM_BOOT=plain
done
set -- $(stats labvm)
l_med=$1
printf "  %-6s median %5.2f s   min %5.2f s   max %5.2f s\n" labvm "$1" "$2" "$3"
set -- $(stats plain)
printf "  %-6s median %5.2f s   min %5.2f s   max %5.2f s\n" plain "$1" "$2" "$3"
echo "  labvm / plain = $(echo "scale=2; $l_med / $1" | bc)   failed boots: $fails of $((2 * runs))"
[ "$fails" -eq 0 ]
