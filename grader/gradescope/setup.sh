#!/usr/bin/env bash
# setup.sh: Gradescope runs this once, as root, when it builds the
# autograder's image (an Ubuntu container); it sits at the zip's root, which
# Gradescope unpacks into /autograder/source (grader/README.md, "Gradescope").
#
#   setup.sh                   install, build, prepare labvm when needed
#   setup.sh --print-packages  print the packages it installs, one a line
#
# The packages are mk/packages.txt minus grader/gradescope/packages.skip,
# read from this zip, so the list is never written twice. When a graded lab
# declares GRADE_NEEDS (lab 02: labvm, lab 03: kvm), labvm's Debian kernel
# is fetched from Debian's archive through a private APT configuration that
# leaves Ubuntu's own sources alone. Any failure stops the image build, so
# Gradescope shows the instructor the log instead of grading with half a kit.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)

die() { echo "setup.sh: $*" >&2; exit 1; }

# One name a line from a package list: comments and blanks dropped.
names() { sed -e 's/#.*//' "$1" | tr -s ' \t' '\n' | grep -v '^$' || true; }

# The packages: mk/packages.txt minus packages.skip, in the list's order.
packages() {
	names "$src/mk/packages.txt" |
		grep -vxF -f <(names "$src/grader/gradescope/packages.skip") || true
}

# Zip tools on the way may drop the execute bits: put back those recorded.
restore_modes() {
	[ -f "$src/EXECUTABLES" ] || return 0
	while IFS= read -r f; do
		chmod +x "$src/$f"
	done <"$src/EXECUTABLES"
}

# Install everything in one go; on failure, one by one, to name the missing.
install_packages() {
	local pkgs missing="" p
	mapfile -t pkgs < <(packages)
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${pkgs[@]}" && return 0
	for p in "${pkgs[@]}"; do
		apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 ||
			missing="$missing $p"
	done
	[ -z "$missing" ] ||
		die "no such package on this image:$missing (pick Gradescope's Ubuntu 24.04 base image, or add them to grader/gradescope/packages.skip if grading does not need them)"
}

# The grader relies on Criterion 2.4.1's output providers (Debian 12, Ubuntu 24.04).
check_criterion() {
	local v
	v=$(dpkg-query -W -f='${Version}' libcriterion-dev 2>/dev/null || echo none)
	case $v in
	2.4.[1-9]* | 2.[5-9]* | [3-9]*) echo "setup.sh: Criterion $v" ;;
	*) echo "setup.sh: warning: Criterion $v; vmlab is tested with 2.4.1 (Ubuntu 24.04 ships it)" >&2 ;;
	esac
}

# Do the labs this zip grades declare GRADE_NEEDS (kvm or labvm)?
needs_labvm() {
	local lab
	lab=$(cat "$src/VMLAB_LAB" 2>/dev/null || true)
	grep -qsE '^GRADE_NEEDS[[:space:]]*:?=[[:space:]]*[a-z]' \
		"$src"/labs/"${lab}"*/Makefile
}

# An APT configuration of its own that sees only Debian 12's archive:
# labvm's kernel, KVM modules and busybox are Debian's (grader/vm/assets.sh).
debian_apt() {
	local d=$src/build/debian-apt key=$src/grader/gradescope/debian-archive-keyring.gpg
	[ -f "$key" ] || key=/usr/share/keyrings/debian-archive-keyring.gpg
	if [ ! -f "$key" ]; then
		apt-get install -y -qq --no-install-recommends debian-archive-keyring >&2 ||
			die "no Debian archive key to check labvm's kernel with"
	fi
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts" "$d/prefs"
	: >"$d/status"
	cat >"$d/sources.list" <<-EOF
		deb [signed-by=$key] http://deb.debian.org/debian bookworm main
		deb [signed-by=$key] http://security.debian.org/debian-security bookworm-security main
	EOF
	cat >"$d/apt.conf" <<-EOF
		Dir::Etc::SourceList "$d/sources.list";
		Dir::Etc::SourceParts "$d/parts";
		Dir::Etc::PreferencesParts "$d/prefs";
		Dir::State::Lists "$d/lists";
		Dir::State::status "$d/status";
		Dir::Cache "$d/cache";
	EOF
	APT_CONFIG=$d/apt.conf apt-get update -qq >&2 ||
		die "apt-get update of Debian's archive failed"
	echo "$d/apt.conf"     # the only line on stdout: the caller reads it
}

prepare_labvm() {
	local conf
	conf=$(debian_apt)
	APT_CONFIG=$conf "$src/grader/vm/assets.sh" "$src/build/labvm" ||
		die "fetching labvm's kernel failed: labs that need /dev/kvm cannot be graded"
	make -s -C "$src/grader/vm" || die "building labvm failed"
	"$src/grader/labvm" check || die "labvm cannot boot on this image"
}

main() {
	if [ "${1:-}" = --print-packages ]; then
		packages
		return
	fi
	[ "$(id -u)" = 0 ] || die "run as root (Gradescope does)"
	restore_modes
	install_packages
	check_criterion
	make -s -C "$src/grader" -j2 || die "building the grader failed"
	if needs_labvm; then
		prepare_labvm
	else
		echo "setup.sh: the labs graded need no labvm"
	fi
	echo "setup.sh: ready ($(cat "$src/VMLAB_LAB" 2>/dev/null || echo 'all labs'))"
}

main "$@"
