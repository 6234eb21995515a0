#!/bin/sh
# bench/run.sh BUILD GUEST N: vmm against a bare KVM_RUN loop, start-up time.
#
# (a) The guest build/guest/real/GUEST.bin (count: N = 100000, count10k:
#     N = 10000, for labvm) makes N+4 VM exits (N console
#     writes to port 0xE9, a few more, HLT). vmm and bench/bare run it with
#     stdout to a pipe; exits per second = exits / median wall time of 5 runs.
# (b) Process start to the guest's first instruction, median of 20 runs,
#     against starting /bin/true (the cost of any process) in the same run.
# (c) The disk: a guest reads a 256 MiB image (in the page cache) in 4 KiB
#     and 64 KiB requests; against dd reading the same file with the same
#     block sizes. One request = one exit.
set -eu
B=$1 N=$3
T=$B/bench/timeit
g=$B/guest/real/$2.bin
exits=$((N + 4))
where="host /dev/kvm"
[ -n "${LABVM_OUT:-}" ] && where="labvm (QEMU TCG, emulated AMD SVM)"
echo "vmm benchmark on $where: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
vmm=$($T 5 all -- "$B/vmm" run --mode real --flat "$g@0x7c00")
bare=$($T 5 all -- "$B/bench/bare" "$g" 0x7c00)
echo "$vmm $bare" | awk -v e=$exits '{
	v = e / ($1 / 1000); b = e / ($3 / 1000);
	printf "(a) %d console writes, %d exits, median of 5 runs\n", e - 4, e;
	printf "    %-28s %10.0f exits/s  %6.2f us/exit  (%.1f ms)\n", "vmm run --mode real", v, 1000 * $1 / e, $1;
	printf "    %-28s %10.0f exits/s  %6.2f us/exit  (%.1f ms)\n", "bare KVM_RUN loop", b, 1000 * $3 / e, $3;
	printf "    vmm / bare = %.3f  (goal: at least 0.90)\n", v / b }'
first=$($T 20 first -- "$B/vmm" run --mode real --flat "$g@0x7c00")
bfirst=$($T 20 first -- "$B/bench/bare" "$g" 0x7c00)
base=$($T 20 all -- true)
echo "$first $bfirst $base" | awk '{
	printf "(b) process start to first guest instruction, median (min) of 20 runs\n";
	printf "    %-28s %8.2f ms (%.2f)\n", "vmm", $1, $2;
	printf "    %-28s %8.2f ms (%.2f)\n", "bare KVM_RUN loop", $3, $4;
	printf "    %-28s %8.2f ms (%.2f)   baseline: any process\n", "true", $5, $6 }'
img=$(mktemp /tmp/vmm-bench-XXXXXX)
dd if=/dev/zero of="$img" bs=1M count=256 2>/dev/null
cat "$img" >/dev/null # into the page cache, for both readers
echo "(c) reading a 256 MiB disk image (in the page cache), median of 5 runs"
for k in 4 64; do
	g=$($T 5 all -- "$B/vmm" run --disk "$img" "$B/guest/long/diskbench${k}k.elf")
	d=$($T 5 all -- dd if="$img" of=/dev/null bs=${k}k status=none)
	echo "$g $d $k" | awk '{
		g = 256 / ($1 / 1000); d = 256 / ($3 / 1000);
		printf "    %2d KiB requests: vmm guest %7.0f MiB/s  dd %7.0f MiB/s  ratio %.2f  (%d exits, 1 per request)\n", $5, g, d, g / d, 262144 / $5 }'
done
rm -f "$img"
