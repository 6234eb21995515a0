#!/bin/sh
# shown.sh: what a lab's README shows a program printing is what it prints
# (issue 22). The blocks of a README that begin with "$ COMMAND" make one
# session per README: their commands run in the order the README shows
# them, in a copy of the lab's folder (built; its build/ first on PATH, a
# HOME of its own), and the lines under each command must be exactly what
# it printed, standard output and error together. What cannot match is
# marked in the README, on the line before the block (an HTML comment: the
# rendered page does not show it):
#   <!-- shown: varies (WHY) -->    run (later blocks may need what it
#                                   made), its output not compared
#   <!-- shown: not run (WHY) -->   not run at all: interactive, minutes
#                                   long, or this machine's own numbers
# and inside a block a line "..." (indented or not) stands for any number
# of lines. A lab
# that needs /dev/kvm (GRADE_NEEDS := kvm) runs its session inside labvm
# where this host has no usable /dev/kvm, as the lab's own tests do.
#   tests/shown.sh [LAB...]     (default: every lab)
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

# blocks README DIR: DIR/N.cmd, N.exp, N.mode (check, varies, skip) and
# N.line (the README's line) for the Nth command shown; prints N.
blocks() {
	awk -v dir="$2" '
	function done_cmd() { if (n) { close(dir "/" n ".cmd"); close(dir "/" n ".exp") } }
	/^```/ {
		if (!fence) { fence = 1; first = 1; mode = marker; marker = "check" }
		else { fence = 0; run = 0; cont = 0 }
		next
	}
	!fence {
		if ($0 ~ /^<!-- shown: varies/) marker = "varies"
		else if ($0 ~ /^<!-- shown: not run/) marker = "skip"
		else if ($0 !~ /^[ \t]*$/) marker = "check"
		next
	}
	first { first = 0; run = ($0 ~ /^\$ /) }
	!run { next }
	/^\$ / {
		done_cmd(); n++
		f = dir "/" n
		print substr($0, 3) > (f ".cmd")
		printf "" > (f ".exp")
		print mode > (f ".mode"); close(f ".mode")
		print FNR > (f ".line"); close(f ".line")
		cont = ($0 ~ /\\$/)
		next
	}
	cont { print > (f ".cmd"); cont = ($0 ~ /\\$/); next }
	{ print > (f ".exp") }
	END { done_cmd(); print n + 0 }' "$1"
}

# session DIR N OUT: a script that runs the commands of DIR in order, each
# one's output into OUT/K.
session() {
	echo 'export PATH="$PWD/build:$PATH" HOME="$PWD/.home" LC_ALL=C.UTF-8'
	echo 'mkdir -p "$HOME"'
	k=1
	while [ "$k" -le "$2" ]; do
		if [ "$(cat "$1/$k.mode")" != skip ]; then
			echo '{'
			cat "$1/$k.cmd"
			echo "} >\"$3/$k\" 2>&1 </dev/null"
		fi
		k=$((k + 1))
	done
}

# matches EXPECTED ACTUAL: line for line, "..." any number of lines;
# trailing blanks and trailing empty lines do not count.
matches() {
	awk 'function m(i, j,   k) {
		if (i > ne) return j > na
		if (e[i] ~ /^[ \t]*\.\.\.$/) {
			for (k = j; k <= na + 1; k++) if (m(i + 1, k)) return 1
			return 0
		}
		return j <= na && e[i] == a[j] && m(i + 1, j + 1)
	}
	{ sub(/[ \t]+$/, "") }
	NR == FNR { e[++ne] = $0; next }
	{ a[++na] = $0 }
	END {
		while (ne && e[ne] == "") ne--
		while (na && a[na] == "") na--
		exit !m(1, 1)
	}' "$1" "$2"
}

[ $# -gt 0 ] || set -- $(cd "$TOP/labs" && ls -d [0-9][0-9]-* | cut -c1-2)
for id in "$@"; do
	src=$(echo "$TOP"/labs/"$id"-*)
	lab=$(basename "$src")
	[ -f "$src/README.md" ] || continue
	echo "== grader: what $lab's README shows is what its commands print"
	d=$work/$lab
	mkdir -p "$d/blocks" "$d/out"
	n=$(blocks "$src/README.md" "$d/blocks")
	make -s -C "$src" all >"$d/build.log" 2>&1 ||
		{ check "$lab: builds" false; cat "$d/build.log"; continue; }
	# A copy to run in (the commands make files), beside the real labs and
	# grader for the paths that lead out of the lab.
	mkdir -p "$d/tree/labs"
	cp -a "$src" "$d/tree/labs/"
	for other in "$TOP"/labs/*; do
		[ -e "$d/tree/labs/$(basename "$other")" ] || ln -s "$other" "$d/tree/labs/"
	done
	ln -s "$TOP/grader" "$d/tree/grader"
	ln -s "$TOP/mk" "$d/tree/mk"
	here=$d/tree/labs/$lab
	if grep -q '^GRADE_NEEDS *:= *kvm' "$src/Makefile" &&
	   ! "$src/build/tests/kvmcheck" >/dev/null 2>&1; then
		session "$d/blocks" "$n" /out >"$here/shown-session.sh"
		(cd "$here" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
			"$TOP/grader/labvm" run --timeout 900 --in build \
			--in shown-session.sh --out "$d/out" -- sh shown-session.sh) \
			>"$d/run.log" 2>&1
		where="inside labvm"
	else
		session "$d/blocks" "$n" "$d/out" >"$here/shown-session.sh"
		(cd "$here" && timeout 900 sh shown-session.sh) >"$d/run.log" 2>&1
		where="on this host"
	fi
	k=1 checked=0 varies=0 skipped=0 bad=
	while [ "$k" -le "$n" ]; do
		line=$(cat "$d/blocks/$k.line")
		case $(cat "$d/blocks/$k.mode") in
		skip) skipped=$((skipped + 1)) ;;
		varies) varies=$((varies + 1)) ;;
		*)
			checked=$((checked + 1))
			if ! matches "$d/blocks/$k.exp" "$d/out/$k" 2>/dev/null; then
				bad="$bad $line"
				echo "       README.md:$line: \$ $(head -1 "$d/blocks/$k.cmd")"
				diff "$d/blocks/$k.exp" "$d/out/$k" 2>&1 | head -12 |
					sed 's/^/         /'
			fi ;;
		esac
		k=$((k + 1))
	done
	check "$lab: $checked commands' output as shown ($where; $varies vary, $skipped not run)${bad:+ (differs at line$bad)}" \
		[ -z "$bad" ]
	[ -z "$bad" ] || tail -5 "$d/run.log" | sed 's/^/       /'
done
[ "$fails" = 0 ]
