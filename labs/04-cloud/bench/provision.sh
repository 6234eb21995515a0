#!/bin/sh
# provision.sh: provisioning through the database (make bench).
#  1. the library: 1000 instances, 1, 10 and 100 per transaction;
#  2. the command line: 100 `cloud run` processes of one instance each,
#     against one `cloud run --count 100` (what a user's script sees).
set -e
cd "$(dirname "$0")/.."
db=build/bench.db
echo "== the library (build/bench/provision fleets/bench.json $db 1000)"
build/bench/provision fleets/bench.json "$db" 1000
rm -f "$db" "$db-wal" "$db-shm"
build/cloud --db "$db" --fleet fleets/bench.json clock set 2026-01-01T00:00:00Z >/dev/null
t0=$(date +%s.%N)
i=0
while [ $i -lt 100 ]; do
	build/cloud --db "$db" run --type t3.nano --region us-east-1 >/dev/null
	i=$((i + 1))
done
t1=$(date +%s.%N)
build/cloud --db "$db" run --type t3.nano --region us-east-1 --count 100 >/dev/null
t2=$(date +%s.%N)
echo "== the command line"
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
	one = 100 / (b - a); batch = 100 / (c - b);
	printf "%-34s %12s %8s\n", "", "instances/s", "ratio";
	printf "%-34s %12.0f %7.1fx\n", "100 x cloud run", one, 1;
	printf "%-34s %12.0f %7.1fx\n", "1 x cloud run --count 100", batch, batch / one }'
rm -f "$db" "$db-wal" "$db-shm"
