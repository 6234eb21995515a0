#!/bin/sh
# tour.sh: lab 03's step of the tour (`make run`): what a hypervisor is, the
# KVM probe, a real-mode guest, a 64-bit C guest with its exit statistics.
# Run from labs/03-hypervisor after `make`. Without a usable /dev/kvm here,
# each guest runs inside labvm (a Linux machine with KVM, emulated by QEMU).
. ../../mk/narrate.sh
b=${BUILD:-build}
unset MAKEFLAGS MFLAGS MAKELEVEL # labvm's own build must not inherit ours

# On this machine, or through labvm (one boot per command, ~5 s each).
if [ "${VMM_KVM:-auto}" != labvm ] && "$b/tests/kvmcheck"; then
	here=yes
	vmm() { show "$b/vmm" "$@"; }
else
	here=no
	vmm() { show ../../grader/labvm run --in "$b" -- "$b/vmm" "$@"; }
fi

step "Lab 03 · What is a hypervisor?"
say "Lab 02 split this server's CPUs, memory and disk on paper. A \
hypervisor makes each share a machine of its own: a virtual machine with its \
own CPU, RAM, storage and operating system, all logical, none physical. On \
Linux the CPU-switching part lives in the kernel (KVM, /dev/kvm); the rest, \
the virtual machine monitor, is an ordinary program. This lab writes one: vmm."
say ""
say "First, ask the kernel what its KVM can do:"
vmm probe
say ""
say "Now a virtual machine with 1 MiB of RAM and one vCPU, started the way a \
PC starts: in 16-bit real mode. Its program is a few lines of assembly \
that print through a simulated serial port. Each byte it sends stops the \
guest, hands the byte to vmm (a VM exit), and vmm resumes it:"
vmm run --mem 1M --mode real --flat "$b/guest/real/hello.bin@0x7c00"
say ""
say "A 64-bit C program next. vmm builds its page tables and segment \
descriptors, switches the vCPU to long mode and loads the ELF file. The guest \
asks vmm (by hypercalls over an I/O port) how big its machine is. --stats \
counts the exits and what each cost:"
vmm run --mem 32M --stats "$b/guest/long/hello.elf"
say ""
say "The guest saw 32 MiB of RAM and nothing else: its addresses are \
translated by tables that only KVM controls, so the host's memory does not \
exist for it."
say ""
say "Last, a tiny guest operating system on 2 vCPUs, 64 MiB of RAM and an \
8 MiB disk that is just a file here. It finds out what it runs on the way \
an OS does (CPUID, the memory map, the disk device), answers the message on \
its disk, and the host reads the answer afterwards:"
disk=$b/tour-disk.img     # in build/: what a person would name, and --in build brings it
truncate -s 8M "$disk"
printf 'hello, guest: which machine are you?' | dd of="$disk" conv=notrunc 2>/dev/null
os="$b/guest/os/os.elf"
if [ "$here" = yes ]; then
	vmm run --cpus 2 --mem 64M --disk "$disk" "$os"
	show strings -n 8 "$disk"
else	# the disk lives inside labvm: read it back there
	show ../../grader/labvm run --in "$b" -- sh -c \
		"$b/vmm run --cpus 2 --mem 64M --disk $disk $os && strings -n 8 $disk"
fi
rm -f "$disk"
say ""
say "Own CPU, RAM, storage and operating system, all logical: one process \
on the host. Lab 04 runs many such machines and calls it a cloud."
