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
#     and 64 KiB requests, one exit a request (diskbench*k) and through the
#     request ring, 32 requests a notification (diskring*k, stage 03.11);
#     against dd reading the same file with the same block sizes, all three
#     in the same run. The exit counts are vmm --stats' of one run each.
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
echo "    one exit a request (port 0xCB0) against the request ring (0xCB4, stage"
echo "    03.11, 32 requests a notification) and dd, same file, same block size"
for k in 4 64; do
	one=$($T 5 all -- "$B/vmm" run --disk "$img" "$B/guest/long/diskbench${k}k.elf")
	ring=$($T 5 all -- "$B/vmm" run --disk "$img" "$B/guest/long/diskring${k}k.elf")
	d=$($T 5 all -- dd if="$img" of=/dev/null bs=${k}k status=none)
	# The exits of one run of each (vmm --stats: every exit, the
	# guest's start-up and prints too).
	x1=$("$B/vmm" run --stats --disk "$img" "$B/guest/long/diskbench${k}k.elf" 2>&1 >/dev/null |
	     awk '/ exits in /{print $1; exit}')
	xr=$("$B/vmm" run --stats --disk "$img" "$B/guest/long/diskring${k}k.elf" 2>&1 >/dev/null |
	     awk '/ exits in /{print $1; exit}')
	echo "$one $ring $d $k $x1 $xr" | awk '{
		o = 256 / ($1 / 1000); r = 256 / ($3 / 1000); d = 256 / ($5 / 1000);
		goal = $7 == 4 ? 0.25 : 0.5;
		printf "    %2d KiB requests (%d of them):\n", $7, 262144 / $7;
		printf "      %-22s %7.0f MiB/s  %.2fx dd  (%d exits)\n", "one exit a request", o, o / d, $8;
		printf "      %-22s %7.0f MiB/s  %.2fx dd  (%d exits)  goal >= %.2fx: %s\n", "request ring", r, r / d, $9, goal, (r / d >= goal) ? "met" : "NOT met";
		printf "      %-22s %7.0f MiB/s\n", "dd", d;
		printf "      ring / one exit a request = %.2f\n", r / o }'
done
rm -f "$img"
