#!/bin/sh
# tests/linux/boot.sh VMM KERNEL INITRD: the Linux challenge's test (make
# linux-boot). Boots KERNEL with INITRD (tests/linux/init) on 2 vCPUs and
# 256 MiB, and checks init's report: "init: cpus 2", and a MemTotal a
# 256 MiB machine can have (the kernel keeps its own image and tables:
# 200000 to 262144 kB). Prints the time from vmm's start to init's first
# line and to the power-off, from /proc/uptime.
# Exits 0 when it passed, or skipped: a boot over 300 s (vmm's --timeout:
# exit 124) says SKIP with the time; 1 when the report is wrong.
set -u
vmm=$1 kernel=$2 initrd=$3
out=${TMPDIR:-/tmp}/linux-boot.$$
up() { cut -d' ' -f1 /proc/uptime; }
t0=$(up)
"$vmm" run --kernel "$kernel" --initrd "$initrd" --cpus 2 --mem 256M \
	--timeout 300 2>&1 | while IFS= read -r line; do
	echo "$(up) $line"
done > "$out"
rc=$(grep -c 'vmm: .*timeout' "$out")
first=$(grep -m1 ' init: ' "$out" | cut -d' ' -f1)
last=$(tail -n1 "$out" | cut -d' ' -f1)
cpus=$(sed -n 's/.* init: cpus \([0-9]*\).*/\1/p' "$out")
mem=$(sed -n 's/.* init: MemTotal: \([0-9]*\) kB.*/\1/p' "$out")
grep ' init: ' "$out" | cut -d' ' -f2-
if [ "$rc" != 0 ] && [ -z "$first" ]; then
	echo "linux-boot SKIPPED: the boot did not reach init in 300 s here" \
		"($(awk -v a="$t0" -v b="$last" 'BEGIN { printf "%.0f", b - a }') s run)"
	tail -n 5 "$out"
	rm -f "$out"
	exit 0
fi
awk -v a="$t0" -v f="${first:-$last}" -v l="$last" 'BEGIN {
	printf "linux-boot: init'\''s first line after %.1f s, power-off after %.1f s\n",
		f - a, l - a }'
if [ "$cpus" = 2 ] && [ -n "$mem" ] && [ "$mem" -ge 200000 ] &&
   [ "$mem" -le 262144 ] && [ "$rc" = 0 ]; then
	echo "linux-boot PASSED: 2 CPUs, MemTotal $mem kB for --mem 256M"
	rm -f "$out"
	exit 0
fi
echo "linux-boot FAILED: wanted cpus 2 and MemTotal 200000-262144 kB," \
	"got cpus '${cpus}', MemTotal '${mem}'; the last lines:"
tail -n 20 "$out"
rm -f "$out"
exit 1
