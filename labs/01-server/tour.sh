#!/bin/sh
# tour.sh: lab 01's step of the tour (`make run`): what a server is, what
# this one has, and how much of it sits idle. Run from labs/01-server.
. ../../mk/narrate.sh
prog=${PROG:-build/hostinfo}

# hostinfo exits 1 when some file could not be read: the report still
# stands, so the tour goes on; anything worse stops it.
run() {
	show "$prog" "$@"
	rc=$?
	[ "$rc" -le 1 ] || exit "$rc"
}

step "Lab 01 · What is a server?"
say "A server is a computer whose job is to answer other computers: it runs \
programs that wait for requests and reply, around the clock. It has the parts \
of any computer (processors, memory, disks, network cards), usually more of \
them. Before a server can be shared, you need to know what it has. hostinfo \
asks the Linux kernel, through /proc, /sys and a few system calls:"
run
say ""
say "Look at Virtualization: the machine you are on may itself be a virtual \
machine, a slice of a bigger physical server that a hypervisor handed out."
say ""
say "Now the question virtualization answers: how much of this server is \
really in use? hostinfo reads the kernel's CPU time counters twice, two \
seconds apart, and compares:"
run --sample 2 --section util
say ""
say "Picture a server with 100 CPUs and 100 GiB of memory whose one \
application needs 4 of each: 96% of what was bought sits idle. Split the \
machine into virtual machines and the idle part can serve other tenants. \
Lab 02 plans that split."
