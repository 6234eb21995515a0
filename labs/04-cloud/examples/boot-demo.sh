#!/bin/sh
# boot-demo.sh: the tour's "real virtual machines" step where /dev/kvm
# works: inside labvm when this machine has none (tour.sh runs it there
# with `grader/labvm run --in build --in examples --in ../03-hypervisor/build`).
# Run from labs/04-cloud. Instances booted by cloud run as real KVM guests of lab
# 03's vmm; the database lives in a scratch folder and goes with the run.
# Plain text: mk/narrate.sh is not brought into labvm.
say()  { printf '%s\n' "$*" | fold -s -w 78; }
show() { printf '$ %s\n' "$*"; "$@"; }
set -e
cloud() { build/cloud "$@"; }
CLOUD_DB=$(mktemp -d)/boot.db
export CLOUD_DB
ids() { sed -n 's/^\(i-[0-9a-f]*\)  booted.*/\1/p'; }
show cloud clock set 2026-01-01T00:00:00Z >/dev/null
show cloud run --type t3.small --region ap-south-1 --count 2 --boot | tee "$CLOUD_DB.boot"
show cloud run --type m5.xlarge --region eu-west-1 --boot | tee -a "$CLOUD_DB.boot"
# shellcheck disable=SC2046 # one word per instance id
set -- $(ids <"$CLOUD_DB.boot")
# Each guest OS reports, writes its reply and powers off: wait for the
# reply line on every console (progress, not a guess), at most 60 s.
for _ in $(seq 600); do
	done=0
	for id; do cloud console "$id" 2>/dev/null | grep -q 'reply written' && done=$((done + 1)); done
	[ "$done" = $# ] && break
	sleep 0.1
done
say "Each VM's console, as the guest OS wrote it: the vCPUs and RAM it finds are the type's."
show cloud console "$1"
show cloud console "$3"
say "This toy OS reports and powers off. describe notices that each VM's process has ended (its pid is gone, or is another process now: the start time tells) and stops the instance, as EC2 does when a guest shuts itself down."
show cloud clock advance 10s >/dev/null
show cloud describe "$@"
