#!/bin/sh
# bench/run.sh [N]: how long hostinfo takes to answer what `lscpu; free; df`
# answer (CPU, memory, filesystems), both measured in the same run, N times
# each (default 200), interleaved so that both see the same machine load.
# Prints the mean per run of each and their ratio. Run from labs/01-server
# after `make`.
set -eu
n=${1:-200}
prog=${PROG:-build/hostinfo}
[ -x "$prog" ] || { echo "bench: $prog missing; run make first" >&2; exit 2; }

now() { date +%s%N; }
ours=0 theirs=0 i=0
while [ "$i" -lt "$n" ]; do
	t0=$(now)
	"$prog" --section cpu,mem,storage >/dev/null
	t1=$(now)
	{ lscpu; free; df; } >/dev/null 2>&1
	t2=$(now)
	ours=$((ours + t1 - t0))
	theirs=$((theirs + t2 - t1))
	i=$((i + 1))
done
awk -v n="$n" -v a="$ours" -v b="$theirs" 'BEGIN {
	printf "runs:                 %d each, interleaved\n", n
	printf "hostinfo --section cpu,mem,storage: %8.2f ms per run\n", a / n / 1e6
	printf "lscpu; free; df:                    %8.2f ms per run\n", b / n / 1e6
	printf "ratio (lscpu+free+df / hostinfo):   %8.2f x\n", b / a
}'
