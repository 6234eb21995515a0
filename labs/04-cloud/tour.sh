#!/bin/sh
# tour.sh: lab 04's step of the tour (`make run`). A scratch database in
# build/, a clock set by hand so that an hour passes in a second.
. ../../mk/narrate.sh
set -e
cloud() { build/cloud "$@"; }
export CLOUD_DB=build/tour.db
rm -f "$CLOUD_DB" "$CLOUD_DB-wal" "$CLOUD_DB-shm"

step "Lab 04 · The cloud: many servers, in many places, rented by the second"
say "A provider puts data centres in regions (Mumbai, Ohio, ...), two or more separate buildings (zones) per region, and fills them with servers like the one in lab 01. Which region is best for a user in Delhi? Light in fibre sets a floor no network can beat:"
show cloud clock set 2026-01-01T00:00:00Z >/dev/null
show cloud regions --from Delhi
say "A user asks for three virtual machines near Delhi. The provider picks the closest region with room, then a zone and a server in it with lab 02's placement policy (spread: the emptiest first)."
show cloud run --type m5.large --near Delhi --count 3
show cloud clock advance 10s >/dev/null
say "The user's view: instances, their state (EC2's codes) and zone. Never the server."
show cloud describe
say "The provider's view: which server each instance is carved out of, and how full each one is."
show cloud hosts --region ap-south-1
say "An hour later the user stops one instance; stopped time is free. The bill is per second, at least a minute per start:"
show cloud clock advance 1h >/dev/null
id=$(cloud describe --json | sed -n 's/.*"InstanceId": "\(i-[0-9a-f]*\)".*/\1/p' | head -1)
show cloud stop "$id"
show cloud clock advance 1h >/dev/null
show cloud bill
say "Another customer needs 24 instances in N. Virginia and asks for the pack policy: they land on one server, which is now full. An hour passes."
show cloud run --type m5.large --region us-east-1 --count 24 --policy pack >/dev/null
show cloud clock advance 1h >/dev/null
show cloud hosts --region us-east-1
say "And the provider's books: every server costs money every hour, rented or not. Sharing servers among many tenants is what makes each slice cheap."
show cloud bill --provider

step "Real virtual machines behind the instances"
say "So far an instance was a row in a database. With --boot each one becomes a real virtual machine with the type's vCPUs, 8 MiB of RAM for each GiB of the type (a toy's scale), and a disk whose first sector carries the instance's user data. cloud starts each VM as a daemon and records its pid in the database."
ids() { sed -n 's/^\(i-[0-9a-f]*\)  booted.*/\1/p'; }
here=no
../03-hypervisor/build/vmm probe >/dev/null 2>&1 && here=yes
if [ "$here" = no ] && ../../grader/labvm check >/dev/null 2>&1; then
	say "Lab 03's vmm cannot create a VM here (no usable /dev/kvm), so this part runs inside labvm, a small Linux machine with KVM that QEMU emulates (slow, but real KVM): lab 03's vmm runs lab 03's guest OS there, the whole stack you built."
	show ../../grader/labvm run --mem 1G --timeout 300 --in build --in examples --in ../03-hypervisor/build -- sh examples/boot-demo.sh
	exit 0
fi
if [ "$here" = yes ]; then
	say "Here lab 03's vmm runs lab 03's guest OS on this machine's /dev/kvm: the whole stack you built."
else
	say "Lab 03's vmm cannot create a VM here (no usable /dev/kvm, or lab 03 not built) and labvm is not ready, so cloud boots the instances on QEMU instead, the hypervisor of many clouds, running this lab's instance OS (KVM where it works, else TCG: QEMU translates the guest's instructions itself)."
fi
show cloud run --type t3.small --region ap-south-1 --count 2 --boot | tee build/tour.boot
show cloud run --type m5.xlarge --region eu-west-1 --boot | tee -a build/tour.boot
set -- $(ids <build/tour.boot)
# Until each guest has reported (or 10 s): a VM under TCG takes a second.
for id in "$@"; do
	n=0
	until cloud console "$id" 2>/dev/null | grep -q "reply written" || [ $n -ge 50 ]; do
		sleep 0.2
		n=$((n + 1))
	done
done
say "Each VM's console, as the guest OS wrote it: the vCPUs and RAM it finds are the type's."
show cloud console "$1"
show cloud console "$3"
say "This toy OS reports and powers off. describe notices that each VM's process has ended (its pid is gone, or is another process now: the start time tells) and stops the instance, as EC2 does when a guest shuts itself down."
show cloud clock advance 10s >/dev/null
show cloud describe "$@"
