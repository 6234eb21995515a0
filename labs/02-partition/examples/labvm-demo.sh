#!/bin/sh
# labvm-demo.sh LABDIR: the tour's enforcement step, inside labvm (root,
# cgroup v2): plan two servers, apply, let a memory hog loose in one.
L=$(cd "${1:-.}" && pwd)
P=$L/build/partition
HOG=$L/build/tests/hog
cd /tmp
printf 'a cpus=1 mem=64M\nb cpus=1 mem=64M\n' >req.txt
$P plan --json req.txt >plan.json
echo "# partition apply plan.json"
$P apply plan.json
echo "# cat /sys/fs/cgroup/vmlab/a/{cpuset.cpus,memory.max}"
cat /sys/fs/cgroup/vmlab/a/cpuset.cpus /sys/fs/cgroup/vmlab/a/memory.max
$P exec plan.json b -- $HOG sleep 10 &
echo "# partition exec plan.json a -- hog mem 256    (256 MiB in a 64 MiB server)"
$P exec plan.json a -- $HOG mem 256
echo "exit status $? (137: killed by SIGKILL)"
echo "# grep oom_kill /sys/fs/cgroup/vmlab/*/memory.events"
grep oom_kill /sys/fs/cgroup/vmlab/*/memory.events
echo "# b's process: $(kill -0 $! && echo still running)"
$P destroy plan.json
