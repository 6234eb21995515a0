#!/bin/sh
# enforce.sh LABDIR [BUILDDIR]: lab 02's enforcement checks, run inside labvm (one boot
# for all). Each check appends "NAME PASS|FAIL detail" to $LABVM_OUT/results;
# tests/test_part_cg.c turns each line into a graded test.
L=$1
B=${2:-$L/build}
P=$B/partition
HOG=$B/tests/hog
CG=/sys/fs/cgroup
W=/tmp/enforce
R=${LABVM_OUT:-/tmp}/results
mkdir -p $W
: >$R
pass() { echo "$1 PASS $2" >>$R; }
fail() { echo "$1 FAIL $2" >>$R; }
check() { # check NAME CONDITION-STATUS DETAIL
	if [ "$2" = 0 ]; then pass "$1" "$3"; else fail "$1" "$3"; fi
}
# ready FILE PID: wait until a hog started with HOG_READY=FILE runs, or PID
# ended (progress, not a guess of how long a start takes in an emulated
# machine under load).
ready() {
	while [ ! -e "$1" ] && kill -0 "$2" 2>/dev/null; do sleep 0.05; done
}
field() { # field FILE KEY: the value after "KEY " in a flat-keyed file
	awk -v k="$2" '$1 == k { print $2 }' "$1"
}

cat >$W/req.txt <<REQ
a cpus=1 mem=64M pids=16
b cpus=1 mem=64M pids=16
REQ

# Shared cores: ratio 2 gives a 1-vCPU server half a core through cpu.max:
# 50 ms of CPU time per 100 ms period. A hog in a spins until the kernel has
# counted K periods of the group's quota (cpu.stat nr_periods; or, with no
# quota at all, until the group has used K x 100 ms of CPU): progress the
# kernel counts, not a guess of how long that takes; labvm's timeout is the
# only clock. A quota is a ceiling: under load the group gets less, never
# more. So usage_usec <= (nr_periods + SLACK) x 50 ms, SLACK for the period
# under way and for a charge past the quota that the kernel takes back in
# later periods (an emulated machine that its host starves charges a task in
# jumps: up to 96 ms past the quota with 8 busy processes on the host's 2
# CPUs; the old check, 0.6 s of CPU in one go, saw 0.6 s charged in 7
# periods). And the hog, which wants a whole CPU, was throttled (nr_throttled
# >= 1). No share from below: that depends on the load. With K=40 and
# SLACK=10, a group without a quota (no periods) or with more than 62% of a
# core fails.
# throttle [CPUMAX]: the check; CPUMAX, if given, is written over the
# plan's cpu.max after apply (tests/enforce/flake.sh: the check must fail).
K=40
SLACK=10
throttle() {
	$P plan --host cpus=2,mem=448M --cpu-ratio 2 --json $W/req.txt >$W/shared.json
	$P apply $W/shared.json >/dev/null 2>&1
	rc=$?
	q=$(cat $CG/vmlab/a/cpu.max)
	[ -n "$1" ] && echo "$1" >$CG/vmlab/a/cpu.max
	rm -f $W/spin.ready $W/cpu.stat
	HOG_READY=$W/spin.ready $P exec $W/shared.json a -- $HOG spin 100000 &
	hpid=$!
	ready $W/spin.ready $hpid
	while kill -0 $hpid 2>/dev/null; do
		cat $CG/vmlab/a/cpu.stat >$W/cpu.stat
		[ "$(field $W/cpu.stat nr_periods)" -ge $K ] 2>/dev/null && break
		[ "$(field $W/cpu.stat usage_usec)" -ge $((K * 100000)) ] 2>/dev/null && break
		sleep 0.1
	done
	# The hog, wherever exec left it: exec'd or a child of partition.
	kill $hpid $(cat $CG/vmlab/a/cgroup.procs 2>/dev/null) 2>/dev/null
	wait $hpid 2>/dev/null
	per=$(field $W/cpu.stat nr_periods)
	use=$(field $W/cpu.stat usage_usec)
	thr=$(field $W/cpu.stat nr_throttled)
	per=${per:-0} use=${use:-0} thr=${thr:-0}
	top=$(((per + SLACK) * 50000))
	[ $rc = 0 ] && [ "$q" = "50000 100000" ] && [ $per -ge $K ] &&
		[ $thr -ge 1 ] && [ $use -le $top ]
	check cpu_max_throttles_shared $? "apply rc=$rc; cpu.max=$q; in $per periods (want >= $K) used $use us (ceiling ($per + $SLACK) x 50000 = $top), throttled $thr times (want >= 1)"
	$P destroy $W/shared.json >/dev/null 2>&1
}
# enforce.sh LABDIR BUILDDIR throttle N [CPUMAX]: that check alone, N times.
if [ "$3" = throttle ]; then
	$P destroy $W/plan.json >/dev/null 2>&1
	i=0
	while [ $i -lt "$4" ]; do throttle "$5"; i=$((i + 1)); done
	exit 0
fi

$P plan --host cpus=2,mem=448M --json $W/req.txt >$W/plan.json
$P apply $W/plan.json >$W/apply.out 2>&1
rc=$?
v="$(cat $CG/vmlab/a/cpuset.cpus) $(cat $CG/vmlab/a/memory.max) $(cat $CG/vmlab/a/memory.swap.max) $(cat $CG/vmlab/a/pids.max) $(cat $CG/vmlab/a/cpu.max) | $(cat $CG/vmlab/b/cpuset.cpus)"
[ $rc = 0 ] && [ "$v" = "0 67108864 0 16 max 100000 | 1" ]
check apply_sets_limits $? "apply rc=$rc; a: cpuset memory.max swap.max pids.max cpu.max | b cpuset = $v"

# Memory: a hog in a is killed at a's memory.max; b's process lives on.
rm -f $W/b.ready
HOG_READY=$W/b.ready $P exec $W/plan.json b -- $HOG sleep 3600 &
bpid=$!
ready $W/b.ready $bpid
$P exec $W/plan.json a -- $HOG mem 256
hrc=$?
aoom=$(field $CG/vmlab/a/memory.events oom_kill)
boom=$(field $CG/vmlab/b/memory.events oom_kill)
kill -0 $bpid 2>/dev/null
alive=$?
[ $hrc = 137 ] && [ "${aoom:-0}" -ge 1 ] && [ "$boom" = 0 ] && [ $alive = 0 ]
check memory_hog_killed_at_max $? "hog exit=$hrc (137 = SIGKILL); a oom_kill=$aoom; b oom_kill=$boom; b's process alive=$([ $alive = 0 ] && echo yes || echo no)"
kill $bpid 2>/dev/null; wait $bpid 2>/dev/null

# CPU: CPU-bound processes in a may run on a's CPU only. Two hogs (hog
# where: the exec'd one and its child) each burn 0.6 s of CPU time and say
# which CPUs they were allowed and seen on (sched_getcpu after each unit of
# work); the check reads their own report once they are done, however slow
# the machine (no reading of /proc at a guessed moment). Two, so that a group
# without a cpuset spreads them over both CPUs. labvm's timeout is the only
# clock, a safety net.
seen=$($P exec $W/plan.json a -- $HOG where 0.6 | tr '\n' ';')
use=$(field $CG/vmlab/a/cpu.stat usage_usec)
[ "$seen" = "allowed 0 ran 0;allowed 0 ran 0;" ] && [ "${use:-0}" -ge 1000000 ]
check cpu_confined_to_cpuset $? "each hog's own report: $seen a's cpu.stat usage_usec=$use (1.2 s burnt)"

# pids.max: at most 16 processes in a, the exec'd hog included.
n=$($P exec $W/plan.json a -- $HOG fork 40)
[ -n "$n" ] && [ "$n" -lt 16 ] && [ "$n" -ge 1 ]
check pids_max_limits_forks $? "started $n of 40 children with pids.max=16"

# Converging: re-apply after a crash half way (a's limit lost, b never made).
echo max >$CG/vmlab/a/memory.max
rmdir $CG/vmlab/b
$P apply $W/plan.json >/dev/null 2>&1
rc=$?
v="$(cat $CG/vmlab/a/memory.max) $(cat $CG/vmlab/b/cpuset.cpus 2>/dev/null)"
[ $rc = 0 ] && [ "$v" = "67108864 1" ]
check reapply_converges $? "apply rc=$rc; a memory.max, b cpuset = $v"

# Destroy converges too: with a group already gone, and when run twice.
rmdir $CG/vmlab/a
$P destroy $W/plan.json >/dev/null 2>&1
rc1=$?
$P destroy $W/plan.json >/dev/null 2>&1
rc2=$?
[ $rc1 = 0 ] && [ $rc2 = 0 ] && [ ! -e $CG/vmlab ]
check destroy_converges $? "destroy rc=$rc1, again rc=$rc2, vmlab left: $(ls -d $CG/vmlab 2>/dev/null || echo none)"

# Shared cores: cpu.max throttles (throttle, above).
throttle

# A plan for a bigger machine is refused before anything is created.
$P plan --host cpus=8,mem=448M --reserve cpus=6 --json $W/req.txt >$W/big.json
err=$($P apply $W/big.json 2>&1)
rc=$?
[ $rc = 4 ] && [ ! -e $CG/vmlab ]
check wrong_machine_leaves_nothing $? "apply rc=$rc; vmlab: $(ls -d $CG/vmlab 2>/dev/null || echo none); $err"

# exec before apply says what to do.
err=$($P exec $W/plan.json a -- $HOG sleep 0 2>&1)
rc=$?
case "$err" in *"partition apply"*) ok=0 ;; *) ok=1 ;; esac
[ $rc = 5 ] && [ $ok = 0 ]
check exec_needs_apply $? "exec rc=$rc: $err"

# The host's capacity detected (part_sys), inside this VM.
out=$($P plan $W/req.txt 2>&1)
rc=$?
case "$out" in *"Host: 2 CPUs"*) ok=0 ;; *) ok=1 ;; esac
[ $rc = 0 ] && [ $ok = 0 ]
check detects_the_host $? "plan rc=$rc: $(echo "$out" | head -1)"
exit 0
