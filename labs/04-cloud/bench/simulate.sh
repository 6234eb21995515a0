#!/bin/sh
# simulate.sh: placement at scale (make bench-sim). Ten requests per host,
# uniform over the catalog, seed 1: decisions per second through the index
# for 1,000 to 100,000 hosts, against the plain scan (cloud_fit_choose over
# every host) measured in the same run at 1,000 and 10,000 hosts. Each row
# is the best of three runs: on a shared machine the slowest runs measure
# the neighbours.
set -e
cd "$(dirname "$0")/.."
row() { # policy hosts [--scan]
	for try in 1 2 3; do
		build/cloud simulate --json --policy "$1" --hosts "$2" --requests $(($2 * 10)) $3
	done |
	awk -v p="$1" -v n="$2" -v m="${3:-index}" -F': ' '
		/"DecisionsPerSecond"/ { if ($2 + 0 > r) r = $2 + 0 } /"HostsUsed"/ { u = $2 + 0 }
		/"LowerBound"/ { b = $2 + 0 }
		END { printf "%-7s %7d  %-7s %12.0f %9d %9d %+7.1f%%\n", p, n, m, r, u, b, 100 * (u / b - 1) }'
}
printf "%-7s %7s  %-7s %12s %9s %9s %8s\n" POLICY HOSTS METHOD DECISIONS/S USED BOUND OVER
for p in spread pack; do
	for n in 1000 10000 100000; do row $p $n; done
	for n in 1000 10000; do row $p $n --scan; done
done
