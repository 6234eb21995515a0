#!/bin/sh
# mk/lanes.sh: run two lists of steps at once, each list in its order.
#
#   mk/lanes.sh [--make TARGET] "A1 A2 ..." "B1 B2 ..."
#
# A step is a program to run, or with --make a folder to run
# `$MAKE -C folder TARGET` in (after an "== folder: make TARGET" line).
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
if [ $# != 2 ]; then
	echo "usage: mk/lanes.sh [--make TARGET] \"A1 A2 ...\" \"B1 B2 ...\"" >&2
	exit 2
fi
held=$(mktemp "${TMPDIR:-/tmp}/vmlab-lane.XXXXXX") || exit 2
failed=$(mktemp "${TMPDIR:-/tmp}/vmlab-lane.XXXXXX") || exit 2
trap 'rm -f "$held" "$failed" "$failed.1" "$failed.2"' EXIT

# cpu: the CPU time (user + system) of what a subshell ran, from its
# `times` (second line: its children's, as "0m1.50s 0m0.25s").
cpu() {
	awk 'NR == 2 { split($0, t, /[ms]+/); print int(t[1] * 60 + t[2] + t[3] * 60 + t[4] + 0.5) }'
}

lane() {   # lane "STEPS" N: each step, in order; a failed one is noted
	for step in $1; do
		t0=$(date +%s)
		(if [ -n "$target" ]; then
			echo "== $step: make $target"
			${MAKE:-make} -C "$step" "$target"
		else
			"$step"
		fi; r=$?; times >"$failed.$2"; exit $r) || echo "$step" >>"$failed"
		echo "-- $step: $(($(date +%s) - t0)) s, $(cpu <"$failed.$2") CPU-s"
	done
}

echo "(at once, in a second lane: $2; its output follows this lane's)"
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
