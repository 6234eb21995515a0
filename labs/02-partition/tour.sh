#!/bin/sh
# tour.sh: lab 02's step of the tour (`make run`): this machine divided into
# virtual servers, the lesson's 100-CPU server, the picture, and the kernel
# enforcing the division. Run from labs/02-partition.
. ../../mk/narrate.sh
prog=${PROG:-build/partition}

# plan exits 3 when some requests did not fit: that is part of the story.
run() {
	show "$prog" "$@"
	rc=$?
	[ "$rc" -le 3 ] || exit "$rc"
}

step "Lab 02 · One server, many virtual servers"
say "A plot of one acre with one house on it leaves most of the land unused; \
build more houses and rent them out, and the same acre does more. A server is \
the same: one application rarely needs all of it. partition reads this \
machine's capacity (the numbers lab 01's hostinfo reports) and divides it among virtual \
servers, each with its own CPUs, memory and slice of disk. With --cpu-ratio 4, \
four vCPUs share each core, as cloud schedulers allow:"
run plan --cpu-ratio 4 examples/tour.txt
say ""
say "The lesson's server has 100 CPUs and 100 GiB, and its one application \
uses 4 CPUs and 4 GiB: 4% busy. Divided into virtual servers (one CPU and \
1 GiB kept for the host itself), most of it goes to work:"
run plan --host cpus=100,mem=100G,disk=2T --reserve cpus=1,mem=1G examples/lesson.txt
say ""
say "The picture of this machine as a plot of land, one lot per virtual \
server, each lot sized by its share: $(pwd)/build/here.svg (made by \
'partition plan --dot' and Graphviz)."
say ""
say "A plan is only words until the kernel enforces it. partition apply turns \
each virtual server into a cgroup (cpuset.cpus, memory.max, cpu.max, \
pids.max), the same fence a KVM host puts around each VM. That needs root and \
cgroup v2, so here it runs inside labvm:"
if ../../grader/labvm check >/dev/null 2>&1; then
	show ../../grader/labvm run --mem 512M --timeout 120 --in build \
		--in examples -- sh examples/labvm-demo.sh .
else
	say "(labvm is not ready here: 'grader/labvm check' at the top says why.)"
fi
say ""
say "Each virtual server now has isolated resources: its own CPUs, its own \
memory limit. But a cgroup shares one kernel among all of them; a hypervisor \
gives each its own kernel and its own virtual hardware. Lab 03 builds that."
