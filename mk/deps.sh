#!/bin/sh
# deps.sh: install the Debian packages in mk/packages.txt.
# As root it installs what is missing (apt-get update only when something is);
# otherwise it prints the one command to run, and fails if anything is missing.
set -eu
here=$(dirname "$0")
pkgs=$(sed -e 's/#.*//' "$here/packages.txt" | tr -s ' \t' '\n' | grep -v '^$')
missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "vmlab needs these Debian packages:$missing" >&2
	echo "Run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
