#!/bin/sh
# bench/plan.sh: how the planner's time grows as the request count grows 10x.
#
#   bench/plan.sh            (from labs/02-partition; `make bench` runs it)
#   ALL=1 bench/plan.sh      best-fit and worst-fit up to 100,000 too (minutes)
#
# One very large host (65,536 CPUs at 4 vCPUs a core, 1 PiB of memory), and
# 1,000, 10,000, 100,000 requests of 1-4 vCPUs, 1-8 GiB, 10-99 GiB disk, the
# same random sets every run (awk srand(1)). Each line gives two wall times:
# "plan", of `partition plan --dot` (reading and planning; the picture has at
# most 120 lots, so writing it costs next to nothing), and "+json", of
# `partition plan --json` (the same, plus the whole plan as JSON); and the
# growth of "plan" against the line before: 10x means linear.
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

printf '%-10s %9s %9s %8s %9s %8s\n' policy requests plan growth +json placed
for policy in first-fit best-fit worst-fit; do
	prev=""
	for n in 1000 10000 100000; do
		[ "$policy" != first-fit ] && [ "$n" -gt 10000 ] && [ "$ALL" != 1 ] && continue
		gen "$n" >"$tmp/req.txt"
		t0=$(now)
		"$P" plan --host "$HOST" --cpu-ratio 4 --policy "$policy" --dot \
			"$tmp/req.txt" >/dev/null 2>&1 || true
		t1=$(now)
		"$P" plan --host "$HOST" --cpu-ratio 4 --policy "$policy" --json \
			"$tmp/req.txt" >"$tmp/plan.json" 2>/dev/null || true
		t2=$(now)
		placed=$(grep -c '"cpuset":' "$tmp/plan.json" || true)
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
		j=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.3f", b - a }')
		g=$([ -n "$prev" ] && awk -v a="$prev" -v b="$s" 'BEGIN { printf "%.1fx", b / a }' || echo -)
		printf '%-10s %9d %9.3f %8s %9.3f %8d\n' "$policy" "$n" "$s" "$g" "$j" "$placed"
		prev=$s
	done
done
