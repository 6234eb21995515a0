#!/bin/sh
# mk/lanes.sh: run two lists of steps at once, each list in its order.
#
#   mk/lanes.sh [--make TARGET] "A1 A2 ..." "B1 B2 ..." ["C1 C2 ..."]
#
# A step is a program to run, or with --make a folder to run
# `$MAKE -C folder TARGET` in (after an "== folder: make TARGET" line).
# The third list's steps go to whichever lane is free first, in their
# order, once that lane's own list is done: how long a step takes depends
# on the machine (a /dev/kvm or none, its load), so a fixed split leaves
# one lane idle while the other works (grader/README.md, "How long make
# test takes").
#
# Why: much of `make test` waits on one CPU. A test inside labvm is one
# QEMU thread emulating a whole machine, and a grade builds, then runs its
# tests one binary at a time. Two lanes keep a 2-CPU machine's both CPUs
# busy (grader/README.md, "How long make test takes").
#
# The first lane prints as it goes; each step ends with a line of its
# time. The second's output waits in a file and is printed, whole, once
# both lanes are done: no line of one lands in the middle of the other's. Every step runs, whatever the others did;
# the exit status is 1 when any failed, and the last line names them
# (added, one a line, to the file $LANES_FAILED names, if it does).
target=
if [ "$1" = --make ]; then
	target=$2
	shift 2
fi
if [ $# != 2 ] && [ $# != 3 ]; then
	echo "usage: mk/lanes.sh [--make TARGET] \"A1 A2 ...\" \"B1 B2 ...\" [\"C1 C2 ...\"]" >&2
	exit 2
fi
shared=${3:-}
held=$(mktemp "${TMPDIR:-/tmp}/vmlab-lane.XXXXXX") || exit 2
failed=$(mktemp "${TMPDIR:-/tmp}/vmlab-lane.XXXXXX") || exit 2
claims=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-lane.XXXXXX") || exit 2
trap 'rm -rf "$held" "$failed" "$failed.1" "$failed.2" "$claims"' EXIT

# cpu: the CPU time (user + system) of what a subshell ran, from its
# `times` (second line: its children's, as "0m1.50s 0m0.25s").
cpu() {
	awk 'NR == 2 { split($0, t, /[ms]+/); print int(t[1] * 60 + t[2] + t[3] * 60 + t[4] + 0.5) }'
}

step() {   # step STEP N: run it in lane N; a failed one is noted
	t0=$(date +%s)
	(if [ -n "$target" ]; then
		echo "== $1: make $target"
		${MAKE:-make} -C "$1" "$target"
	else
		"$1"
	fi; r=$?; times >"$failed.$2"; exit $r) || echo "$1" >>"$failed"
	echo "-- $1: $(($(date +%s) - t0)) s, $(cpu <"$failed.$2") CPU-s"
}

lane() {   # lane "STEPS" N: each step, in order, then the shared ones
	for s in $1; do
		step "$s" "$2"
	done
	i=0
	for s in $shared; do
		i=$((i + 1))
		# mkdir is atomic: of two lanes that reach step i, one takes it.
		mkdir "$claims/$i" 2>/dev/null && step "$s" "$2"
	done
}

echo "(at once, in a second lane: $2; its output follows this lane's)"
[ -z "$shared" ] || echo "(then, in whichever lane is free first: $shared)"
lane "$2" 2 >"$held" 2>&1 &
second=$!
lane "$1" 1
wait "$second"
cat "$held"
if [ -s "$failed" ]; then
	echo "FAILED:" $(cat "$failed")
	[ -z "$LANES_FAILED" ] || cat "$failed" >>"$LANES_FAILED"
	exit 1
fi
