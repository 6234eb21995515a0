#!/bin/sh
# bench/plan.sh: how the planner's time grows as the request count grows 10x.
#
#   bench/plan.sh            (from labs/02-partition; `make bench` runs it)
#   ALL=1 bench/plan.sh      best-fit and worst-fit up to 100,000 too (minutes)
#
# One very large host (65,536 CPUs at 4 vCPUs a core, 1 PiB of memory), and
# 1,000, 10,000, 100,000 requests of 1-4 vCPUs, 1-8 GiB, 10-99 GiB disk, the
# same random sets every run (awk srand(1)). Each line gives the wall time of
# `partition plan --json` (reading, planning, writing the JSON plan) and its
# growth against the previous line: 10x means linear, 100x quadratic.
# Best-fit and worst-fit score every core with room for every vCPU (first-fit
# stops at the first), so they stop at 10,000 unless ALL=1.
set -eu
P=${PROG:-build/partition}
ALL=${ALL:-0}
HOST=cpus=65536,mem=1024T,disk=16384T
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gen() {
	awk -v n="$1" 'BEGIN { srand(1); for (i = 1; i <= n; i++)
		printf "s%d cpus=%d mem=%dG disk=%dG\n", i, 1 + int(rand() * 4),
		       1 + int(rand() * 8), 10 + int(rand() * 90) }'
}

now() { date +%s.%N; }

printf '%-10s %9s %10s %8s %8s\n' policy requests seconds growth placed
for policy in first-fit best-fit worst-fit; do
	prev=""
	for n in 1000 10000 100000; do
		[ "$policy" != first-fit ] && [ "$n" -gt 10000 ] && [ "$ALL" != 1 ] && continue
		gen "$n" >"$tmp/req.txt"
		t0=$(now)
		"$P" plan --host "$HOST" --cpu-ratio 4 --policy "$policy" --json \
			"$tmp/req.txt" >"$tmp/plan.json" 2>/dev/null || true
		t1=$(now)
		placed=$(grep -c '"cpuset":' "$tmp/plan.json" || true)
		s=$(echo "$t1 - $t0" | bc -l)
		g=$([ -n "$prev" ] && printf '%.1fx' "$(echo "$s / $prev" | bc -l)" || echo -)
		printf '%-10s %9d %10.3f %8s %8d\n' "$policy" "$n" "$s" "$g" "$placed"
		prev=$s
	done
done
