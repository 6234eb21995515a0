#!/bin/sh
# mk/lanes.sh: run lists of steps at once, a lane each, each list in its
# order; then shared steps, each in whichever lane is free first.
#
#   mk/lanes.sh [--make TARGET [--cached]] [--shared "S1 S2 ..."]
#               "A1 A2 ..." "B1 B2 ..." ["C1 C2 ..." ...]
#
# A step is a program to run, or, with --make, a folder to run
# `$MAKE -C folder TARGET` in (after an "== folder: make TARGET" line;
# with --cached under this tree's compiler cache, mk/cached.sh). Two more
# kinds of step order the lanes without a set time:
#   mark:NAME    this lane got here (its steps before are done);
#   after:NAME   wait until a lane got to mark:NAME (or, if no lane
#                still running can, until they have all ended).
# The shared steps go to whichever lane is free first, in their order, once
# that lane's own list is done: how long a step takes depends on the
# machine (a /dev/kvm or none, its load), so a fixed split leaves one lane
# idle while another works (grader/README.md, "How long make test takes").
#
# Why: much of `make test` waits. A test inside labvm is one QEMU thread
# emulating a whole machine, a grade builds, then runs its tests one
# binary at a time, and some steps wait out a time limit on purpose. Lanes
# keep a 2-CPU machine's both CPUs busy (grader/README.md, "How long make
# test takes").
#
# The steps of one run share a folder, LANES_DIR (removed at the end), and
# its file `steps` lists every step of the run, one a line: a step can
# tell whether the run holds another whose files it would use.
#
# The first lane prints as it goes; each step ends with a line of its
# time. The other lanes' output waits in files and is printed, whole, in
# lane order once all are done: no line of one lands in the middle of
# another's. Every step runs, whatever the others did; the exit status is
# 1 when any failed, and the last line names them (added, one a line, to
# the file $LANES_FAILED names, if it does).
target= cached= shared=
while :; do
	case $1 in
	--make) target=$2; shift 2 ;;
	--cached) cached=$(dirname "$0")/cached.sh; shift ;;
	--shared) shared=$2; shift 2 ;;
	*) break ;;
	esac
done
if [ $# -lt 2 ] || { [ -n "$cached" ] && [ -z "$target" ]; }; then
	echo "usage: mk/lanes.sh [--make TARGET [--cached]] [--shared \"S1 S2 ...\"] \"A1 A2 ...\" \"B1 B2 ...\" [\"C1 ...\" ...]" >&2
	exit 2
fi
LANES_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-lanes.XXXXXX") || exit 2
export LANES_DIR
chmod 711 "$LANES_DIR"          # steps' files, reached by tests run as nobody
run=$LANES_DIR/.run             # this script's own: claims, marks, times
mkdir "$run" || exit 2
trap 'rm -rf "$LANES_DIR"' EXIT
lanes=$#

# cpu: the CPU time (user + system) of what a subshell ran, from its
# `times` (second line: its children's, as "0m1.50s 0m0.25s").
cpu() {
	awk 'NR == 2 { split($0, t, /[ms]+/); print int(t[1] * 60 + t[2] + t[3] * 60 + t[4] + 0.5) }'
}

# waiting NAME: no lane has got to mark:NAME, and one that has it in its
# own list is still running its list.
waiting() {
	[ -e "$run/mark.$1" ] && return 1
	n=1
	while [ $n -le $lanes ]; do
		[ ! -e "$run/ended.$n" ] && grep -qx "mark:$1" "$run/list.$n" && return 0
		n=$((n + 1))
	done
	return 1
}

step() {   # step STEP N: run it in lane N; a failed one is noted
	case $1 in
	mark:*) touch "$run/mark.${1#mark:}"; return ;;
	after:*)
		while waiting "${1#after:}"; do sleep 0.2; done
		return ;;
	esac
	t0=$(date +%s)
	(if [ -n "$target" ] && [ -d "$1" ]; then
		echo "== $1: make $target"
		$cached ${MAKE:-make} -C "$1" "$target"
	else
		"$1"
	fi; r=$?; times >"$run/times.$2"; exit $r) || echo "$1" >>"$run/failed"
	echo "-- $1: $(($(date +%s) - t0)) s, $(cpu <"$run/times.$2") CPU-s"
}

lane() {   # lane N: its own steps, in order, then the shared ones
	for s in $(cat "$run/list.$1"); do
		step "$s" "$1"
	done
	touch "$run/ended.$1"
	i=0
	for s in $shared; do
		i=$((i + 1))
		# mkdir is atomic: of two lanes that reach step i, one takes it.
		mkdir "$run/claim.$i" 2>/dev/null && step "$s" "$1"
	done
}

n=0
for l in "$@"; do
	n=$((n + 1))
	echo $l | tr ' ' '\n' | grep . | tee -a "$LANES_DIR/steps" >"$run/list.$n"
	[ $n = 1 ] || echo "(at once, in lane $n: $l; its output follows lane 1's)"
done
echo $shared | tr ' ' '\n' | grep . >>"$LANES_DIR/steps"
[ -z "$shared" ] || echo "(then, in whichever lane is free first: $shared)"
pids=
n=2
while [ $n -le $lanes ]; do
	lane $n >"$run/held.$n" 2>&1 &
	pids="$pids $!"
	n=$((n + 1))
done
lane 1
wait $pids
n=2
while [ $n -le $lanes ]; do
	cat "$run/held.$n"
	n=$((n + 1))
done
if [ -s "$run/failed" ]; then
	echo "FAILED:" $(cat "$run/failed")
	[ -z "$LANES_FAILED" ] || cat "$run/failed" >>"$LANES_FAILED"
	exit 1
fi
