#!/bin/sh
# pack.sh OUTDIR [LAB]: the Gradescope autograder zip (make gradescope).
#
# Writes OUTDIR/vmlab-autograder-labNN.zip (or vmlab-autograder.zip, every
# lab, without LAB). At the zip's root: setup.sh and run_autograder (the
# two files Gradescope looks for), VMLAB_LAB (the lab graded), EXECUTABLES
# (the files to keep executable) and the instructor's tree: labs/ with
# their hidden tests, mk/, grader/; no build outputs (build/, build-*/),
# no .git, no core dumps. Exit codes: 0 written, 1 failed, 2 no such lab.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:?usage: pack.sh OUTDIR [LAB]}
lab=${2:-}

if [ -n "$lab" ]; then
	want=$lab
	case $lab in [0-9][0-9]) ;; *) lab=none ;; esac
	set -- "$top"/labs/"$lab"-*/Makefile
	if [ ! -f "$1" ]; then
		echo "gradescope: no lab '$want' in labs/: use a two-digit number, e.g. make gradescope LAB=01" >&2
		exit 2
	fi
fi
name=vmlab-autograder${lab:+-lab$lab}.zip
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-pack.XXXXXX")
trap 'rm -rf "$stage"' EXIT INT TERM

# The tree, without what builds make and without version control.
tar -C "$top" --exclude=.git --exclude=build --exclude='build-*' \
	--exclude=node_modules --exclude='*.o' --exclude='*.d' --exclude='*.a' \
	--exclude=compile_commands.json --exclude=core --exclude='core.[0-9]*' \
	-cf - labs mk grader |
	tar -C "$stage" -xf -
cp "$here/setup.sh" "$here/run_autograder" "$stage/"
[ -z "$lab" ] || echo "$lab" >"$stage/VMLAB_LAB"
# Debian's archive key, so that setup.sh can check labvm's kernel on Ubuntu.
key=/usr/share/keyrings/debian-archive-keyring.gpg
[ ! -f "$key" ] || cp "$key" "$stage/grader/gradescope/"
(cd "$stage" && find . -type f -perm -u+x | sed 's|^\./||' | sort >EXECUTABLES)

rm -f "$out/$name.tmp"
(cd "$stage" && zip -q -r -X "$out/$name.tmp" .)
mv "$out/$name.tmp" "$out/$name"
files=$(find "$stage" -type f | wc -l)
size=$(du -k "$out/$name" | cut -f1)
echo "gradescope: $out/$name ($files files, $size KiB; grades ${lab:+lab }${lab:-every lab})"
