#!/bin/sh
# capture.sh DEST: copy the files hostinfo reads from this machine into DEST,
# a tree that `hostinfo --root DEST` (and the tests) can read later, anywhere.
# Only small text files are copied: /proc, /sys and /etc facts, no secrets
# (no /etc/shadow, no machine-id). Run it on a server you want to study.
set -eu
dest=${1:?usage: capture.sh DEST}
mkdir -p "$dest"

# copy FILE...: each readable file, its content only (sysfs files are not
# regular files, so cp -a would not do). One process per file (cat), and
# mkdir only for a new folder: the tests run this on busy machines.
copy() {
	for f in "$@"; do
		[ -r "$f" ] || continue
		[ -d "$dest${f%/*}" ] || mkdir -p "$dest${f%/*}"
		cat "$f" >"$dest$f" 2>/dev/null || rm -f "$dest$f"
	done
}

copy /proc/cpuinfo /proc/meminfo /proc/stat /proc/mounts /proc/filesystems \
	/proc/uptime /proc/loadavg /proc/sys/kernel/osrelease \
	/proc/sys/kernel/ostype /proc/sys/kernel/hostname /etc/os-release \
	/sys/devices/system/cpu/online /sys/firmware/devicetree/base/model
for c in /sys/devices/system/cpu/cpu[0-9]*; do
	copy "$c/topology/physical_package_id" "$c/topology/core_id"
done
copy /sys/devices/system/cpu/cpu0/cache/index*/level \
	/sys/devices/system/cpu/cpu0/cache/index*/type \
	/sys/devices/system/cpu/cpu0/cache/index*/size \
	/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq
for b in /sys/block/*; do
	copy "$b/size" "$b/removable" "$b/queue/rotational" "$b/device/model"
done
copy /sys/class/dmi/id/sys_vendor /sys/class/dmi/id/product_name \
	/sys/hypervisor/type
# The PCI vendor ids say whose (virtual) hardware this is; the NUMA nodes,
# which CPUs and memory sit together.
for p in /sys/bus/pci/devices/*; do
	copy "$p/vendor"
done
for n in /sys/devices/system/node/node[0-9]*; do
	copy "$n/cpulist" "$n/meminfo"
done
for n in /sys/class/net/*; do
	copy "$n/address"
done
echo "captured $(find "$dest" -type f | wc -l) files into $dest"
