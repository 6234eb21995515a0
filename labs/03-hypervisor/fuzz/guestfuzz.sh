#!/bin/sh
# guestfuzz.sh KVM SECONDS SEED OUTDIR GUESTFUZZ KVMCHECK VMM...: the guest
# fuzzer (guestfuzz.c) for SECONDS, where a /dev/kvm works.
#   KVM   auto: this machine's /dev/kvm when KVMCHECK can create a VM on it,
#         else inside labvm (one boot for the whole run); or host, or labvm
#   SEED  empty: a new base seed (printed in the summary)
# Findings go to OUTDIR/findings/, the summary to OUTDIR/summary.txt.
# Exit status: guestfuzz's (0 none, 1 findings, 2 setup), or labvm's.
set -u
kvm=$1 secs=$2 seed=$3 out=$4 gf=$5 kvmcheck=$6
shift 6
vmms=""
for v; do vmms="$vmms --vmm $v"; done
seedarg=${seed:+--seed $seed}
top=$(cd "$(dirname "$0")/../../.." && pwd)
if [ "$kvm" = auto ]; then
	if "$kvmcheck"; then kvm=host; else kvm=labvm; fi
fi
rm -rf "$out/findings"
mkdir -p "$out"
case $kvm in
host)
	echo "guest fuzzer: ${secs} s on this machine's /dev/kvm"
	# shellcheck disable=SC2086
	exec "$gf" $vmms --seconds "$secs" $seedarg --timeout 0.25 --grace 5 \
		--dir "$out" ;;
labvm)
	# Under labvm's emulated SVM a guest runs ~10x slower: longer bounds.
	echo "guest fuzzer: ${secs} s inside labvm (no usable /dev/kvm here)"
	ins="--in $gf"
	for v; do ins="$ins --in $v"; done
	# --verbose 1: each guest is named before it runs, so should labvm
	# itself freeze (SECURITY.md, finding 8, fixed) the guest is known.
	# shellcheck disable=SC2086
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "$top/grader/labvm" run \
		--timeout $((secs + 90)) $ins --out "$out" -- \
		"$gf" $vmms --seconds "$secs" $seedarg --timeout 1 --grace 20 \
		--verbose 1 --dir /out 2>"$out/labvm.err"
	rc=$?
	grep -v '^guestfuzz: seed ' "$out/labvm.err" >&2
	if [ "$rc" = 124 ]; then
		echo "guest fuzzer: labvm itself stopped responding while it ran" \
			"this guest (see SECURITY.md, finding 8: labvm, not vmm):" >&2
		grep '^guestfuzz: seed ' "$out/labvm.err" | tail -1 >&2
	fi
	exit $rc ;;
*)
	echo "GUEST_FUZZ_KVM must be auto, host or labvm, not '$kvm'" >&2
	exit 2 ;;
esac
