#!/bin/sh
# assets.sh DIR: fetch labvm's kernel, KVM modules and busybox from Debian into DIR.
#
# Three packages, fetched with `apt-get download` (apt checks them against the
# signed archive index) and checked again here against the SHA256 and size that
# `apt-cache show` lists, then unpacked with `dpkg-deb -x`:
#   linux-image-<abi>-cloud-amd64  the kernel (vmlinuz, and vmlinux unpacked from it)
#                                  and irqbypass/kvm/kvm-amd/kvm-intel .ko, and
#                                  overlay.ko (the grader's per-test jails)
#   busybox-static                 the guest's userland (one static binary)
# DIR/MANIFEST records the package versions and, for every file labvm boots
# with, its size; labvm compares those sizes before each boot, so that an
# interrupted fetch reads as "incomplete cache", never as a strange boot.
# Running it again with a complete cache does nothing; LABVM_REFETCH=1 forces.
set -eu
dir=${1:?usage: assets.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# A complete cache (every file at its MANIFEST size) is kept as it is.
complete() {
	[ -s "$dir/MANIFEST" ] || return 1
	while read -r kind name size; do
		[ "$kind" = file ] || continue
		[ "$(stat -c %s "$dir/$name" 2>/dev/null)" = "$size" ] || return 1
	done <"$dir/MANIFEST"
	# A cache from before a module was added is fetched again.
	for m in irqbypass kvm kvm-amd kvm-intel overlay virtio virtio_ring \
		virtio_mmio virtio_blk; do
		grep -q "^file modules/$m.ko " "$dir/MANIFEST" || return 1
	done
}
[ "${LABVM_REFETCH:-0}" != 1 ] && complete && exit 0

die() { echo "labvm assets: $*" >&2; exit 1; }
echo "labvm assets: fetching Debian's cloud kernel, its KVM modules and busybox (about 28 MB, once) into $dir" >&2
command -v apt-get >/dev/null || die "apt-get not found: labvm fetches its kernel from Debian's packages (Debian/Ubuntu host needed)"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found: install dpkg"

# The cloud kernel's ABI name, e.g. linux-image-6.1.0-56-cloud-amd64.
kpkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*-cloud-amd64\)$/\1/p' | head -n 1)
[ -n "$kpkg" ] || die "no linux-image-cloud-amd64 in the package index: run 'apt-get update' (or 'make deps')"

tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# fetch PKG: download PKG into $tmp, check it, unpack it into $tmp/root.
fetch() {
	pkg=$1
	ver=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] ||
		die "no candidate version of $pkg: run 'apt-get update' (or 'make deps')"
	(cd "$tmp" && apt-get download "$pkg=$ver" >/dev/null 2>"$tmp/apt.err") ||
		die "apt-get download $pkg=$ver failed: $(tail -n 1 "$tmp/apt.err")"
	deb=$(ls "$tmp"/"$pkg"_*.deb)
	want_sha=$(apt-cache show "$pkg=$ver" | sed -n 's/^SHA256: //p' | head -n 1)
	want_size=$(apt-cache show "$pkg=$ver" | sed -n 's/^Size: //p' | head -n 1)
	got_sha=$(sha256sum "$deb" | cut -d' ' -f1)
	got_size=$(stat -c %s "$deb")
	[ "$got_sha" = "$want_sha" ] && [ "$got_size" = "$want_size" ] ||
		die "$pkg $ver: hash or size differs from the package index (got $got_size bytes, sha256 $got_sha)"
	dpkg-deb -x "$deb" "$tmp/root" || die "dpkg-deb -x $deb failed (disk full?)"
	echo "package $pkg $ver sha256=$got_sha" >>"$tmp/MANIFEST"
}

fetch "$kpkg"
fetch busybox-static

abi=${kpkg#linux-image-}
mods="$tmp/root/lib/modules/$abi/kernel"
mkdir -p "$tmp/out/modules"
cp "$tmp/root/boot/vmlinuz-$abi" "$tmp/out/vmlinuz"
cp "$tmp/root/bin/busybox" "$tmp/out/busybox"
# Load order matters: kvm needs irqbypass; kvm-amd/kvm-intel need kvm.
# overlay: the grader's jails show each test the lab through an overlay.
# virtio*: lab 03's Linux challenge gives its guest a virtio-mmio disk
# (virtio_ring and virtio first, then virtio_mmio, then virtio_blk).
for m in virt/lib/irqbypass arch/x86/kvm/kvm arch/x86/kvm/kvm-amd arch/x86/kvm/kvm-intel \
	fs/overlayfs/overlay drivers/virtio/virtio_ring drivers/virtio/virtio \
	drivers/virtio/virtio_mmio drivers/block/virtio_blk; do
	base=$(basename "$m")
	# Debian 12 ships them uncompressed; later releases use .ko.xz or .ko.zst.
	if [ -f "$mods/$m.ko" ]; then cp "$mods/$m.ko" "$tmp/out/modules/$base.ko"
	elif [ -f "$mods/$m.ko.xz" ]; then xz -dc "$mods/$m.ko.xz" >"$tmp/out/modules/$base.ko"
	elif [ -f "$mods/$m.ko.zst" ]; then zstd -qdc "$mods/$m.ko.zst" >"$tmp/out/modules/$base.ko"
	else die "$kpkg has no $m.ko"
	fi
done
# The kernel without its LZ4 wrapper: QEMU loads this ELF file itself and
# enters it through its PVH note, so the emulated CPU neither decompresses
# nor relocates 50 MB at boot. Optional: without lz4, labvm boots vmlinuz.
extract_vmlinux() {
	command -v lz4 >/dev/null || return 1
	off=$(grep -obUaP '\x02\x21\x4c\x18' "$tmp/out/vmlinuz" | head -n 1 | cut -d: -f1)
	[ -n "$off" ] || return 1
	# lz4 complains about the bytes after the stream (exit 1): the checks below decide.
	tail -c +$((off + 1)) "$tmp/out/vmlinuz" | lz4 -dc >"$tmp/out/vmlinux" 2>/dev/null
	[ "$(head -c 4 "$tmp/out/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] || return 1
	# Complete when the section headers, at the end of the file, are all there.
	shoff=$(readelf -h "$tmp/out/vmlinux" | sed -n 's/.*Start of section headers: *\([0-9]*\).*/\1/p')
	shnum=$(readelf -h "$tmp/out/vmlinux" | sed -n 's/.*Number of section headers: *\([0-9]*\).*/\1/p')
	[ -n "$shoff" ] && [ -n "$shnum" ] || return 1
	[ "$(stat -c %s "$tmp/out/vmlinux")" -ge $((shoff + 64 * shnum)) ] || return 1
	# XEN_ELFNOTE_PHYS32_ENTRY (18): the PVH entry point QEMU jumps to.
	readelf -n "$tmp/out/vmlinux" | grep -q 'Unknown note type: (0x00000012)'
}
extract_vmlinux || rm -f "$tmp/out/vmlinux"

# The applets busybox provides, one name a line: labvm links each into /bin.
"$tmp/out/busybox" --list >"$tmp/out/applets"

echo "kernel $abi" >>"$tmp/MANIFEST"
(cd "$tmp/out" && find . -type f | sort | while read -r f; do
	echo "file ${f#./} $(stat -c %s "$f")"
done) >>"$tmp/MANIFEST"

# Swap in atomically: a concurrent labvm sees the old cache or the new one.
rm -rf "$dir/vmlinuz" "$dir/vmlinux" "$dir/busybox" "$dir/modules" "$dir/applets"
mv "$tmp/out/"* "$dir/"
mv "$tmp/MANIFEST" "$dir/MANIFEST"
echo "labvm assets: $abi and busybox in $dir"
