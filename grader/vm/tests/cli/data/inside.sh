#!/bin/sh
# Runs inside labvm (tests/cli/files_cgroup_status.run): reads a file sent
# with --in, writes results to $LABVM_OUT, makes a cgroup v2 child group with
# a memory limit, and ends with status 7.
set -e
cp tests/cli/data/message.txt "$LABVM_OUT/copy.txt"
mkdir /sys/fs/cgroup/lab
echo 16M >/sys/fs/cgroup/lab/memory.max
echo 20 >/sys/fs/cgroup/lab/pids.max
{
	echo "controllers: $(cat /sys/fs/cgroup/lab/cgroup.controllers)"
	echo "memory.max: $(cat /sys/fs/cgroup/lab/memory.max)"
	echo "pids.max: $(cat /sys/fs/cgroup/lab/pids.max)"
} >"$LABVM_OUT/cgroup.txt"
mkdir "$LABVM_OUT/sub"
echo nested >"$LABVM_OUT/sub/file"
echo "to stderr" >&2
exit 7
