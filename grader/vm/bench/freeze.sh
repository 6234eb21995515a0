#!/bin/sh
# freeze.sh [RUNS] [CPUS]: how many labvm runs freeze under a nested-guest
# load (SECURITY.md, finding 8). Each run boots labvm with CPUS vCPUs
# (default 2) and runs the saved 2-vCPU guest that triple-faults 60 times;
# a run that hits labvm's 60 s timeout (exit 124) froze. LABVM_TCG=multi
# measures QEMU's multi-threaded TCG, the way that froze; the default is
# labvm's own (thread=single). Needs lab 03 built (make -C labs/03-hypervisor).
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
runs=${1:-12} cpus=${2:-2}
guest=$top/labs/03-hypervisor/fuzz/guests/labvm-freeze-2cpu.bin
vmm=$top/labs/03-hypervisor/build/vmm
[ -x "$vmm" ] || { echo "freeze.sh: no $vmm: run 'make -C labs/03-hypervisor'" >&2; exit 2; }
frozen=0 n=1
while [ "$n" -le "$runs" ]; do
	"$top/grader/labvm" run --cpus "$cpus" --timeout 60 --in "$vmm" --in "$guest" -- \
		sh -c "for i in \$(seq 60); do $vmm run --mem 2M --timeout 1 --cpus 2 \
			--flat $guest@0x100000 >/dev/null 2>&1; done" >/dev/null 2>&1
	rc=$?
	[ "$rc" = 124 ] && frozen=$((frozen + 1))
	echo "run $n: labvm exit $rc$([ "$rc" = 124 ] && echo ' (froze)')"
	n=$((n + 1))
done
echo "labvm --cpus $cpus, TCG ${LABVM_TCG:-single}: $frozen of $runs runs froze"
[ "$frozen" = 0 ]
