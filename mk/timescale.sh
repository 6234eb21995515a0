#!/bin/sh
# mk/timescale.sh: how much to stretch a time limit now, printed as "K.KK":
# the 1-minute load average per CPU, between 1 and 8, at least
# GRADE_TIME_SCALE. The same rule as the grader's grade_time_scale()
# (grader/src/grade_run.c; grader/README.md, "Time limits"), for what runs
# tests without it: mk/clitest's command-line cases, lab 03's KVM suite
# inside labvm (whose guest cannot see the host's load).
awk -v cpus="$(nproc)" -v floor="${GRADE_TIME_SCALE:-0}" '
	{ k = $1 / cpus; if (k < 1) k = 1; if (floor + 0 > k) k = floor + 0
	  if (k > 8) k = 8; printf "%.2f\n", k }' /proc/loadavg
