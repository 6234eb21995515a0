# honesty_lib.sh: sourced, after fixture.sh, by honesty.sh and by the
# scripts that compare other ways of grading with its grades
# (honesty_batch.sh, honesty_gradescope.sh, honesty_student.sh): the
# claims are honesty.sh's (its first lines list them).
#
# Why several scripts: the grades take minutes each, one after the other;
# as steps of make test's lanes (mk/lanes.sh) they run beside each other.
# The reference graded in place and its handout graded as a --tree are
# what the others compare against: in the lanes honesty.sh makes them once
# and leaves them in LANES_DIR/honesty for the others (base, below), run
# alone each script makes its own.

# own_work: a folder of the script's own, $work, removed when it ends;
# builds and tests (as nobody) under it. Its compiler cache: in make
# test's lanes honesty.sh's (in LANES_DIR/honesty), else one in $work.
own_work() {
	work=$(mktemp -d) || exit 1
	trap 'rm -rf "$work"' EXIT
	if in_lanes; then
		mkdir -p "$LANES_DIR/honesty" && setup_work "$LANES_DIR/honesty/ccache"
	else
		setup_work "$work/ccache"
	fi
}

# setup_work CACHE: $work ready: reached by nobody, TMPDIR in it, and the
# compiler cache CACHE (made here if it is not there).
setup_work() {
	chmod 711 "$work"               # builds and tests run as nobody under it
	TMPDIR=$work/tmp; export TMPDIR
	mkdir -p "$TMPDIR"
	boot_counter
	use_cache "$1"
}

# The grades build the same two trees (the reference and its handout)
# about eight times, each time in a copy of its own: they share a compiler
# cache (use_cache, fixture.sh), honesty.sh's in the lanes.

# lab_scores FILE: "NN got max bgot bmax" per lab, from a results.json: the
# ordinary tests' points, then the optional bonus tests' (tagged "bonus",
# max_score 0, worth extra_data.bonus_points; grader/README "Bonus tests").
# A bonus test that skipped (not judged: lab 03's Linux boot when labvm lost
# every boot) is worth 0 here.
lab_scores() {
	jq -r '[.tests[] | select(.number | type == "string")
	        | {lab: (.number | split(".")[0]), score, max_score,
	           bonus: ((.tags // []) | index("bonus") != null),
	           worth: (if (.output // "" | startswith("skipped, which scores 0"))
	                   then 0 else (.extra_data.bonus_points // 0) end)}]
	       | group_by(.lab)[]
	       | "\(.[0].lab) \(map(select(.bonus | not) | .score) | add // 0)" +
	         " \(map(.max_score) | add)" +
	         " \(map(select(.bonus) | .score) | add // 0)" +
	         " \(map(.worth) | add)"' "$1"
}

# tests_of FILE [LAB] [visible]: one line per test of a results.json (of lab
# LAB only, of its visible tests only), "name max score", sorted.
tests_of() {
	jq -r --arg lab "${2:-}" --arg vis "${3:-}" '.tests[]
	       | select(.number | type == "string")
	       | select($lab == "" or (.number | split(".")[0]) == $lab)
	       | select($vis == "" or .visibility != "after_due_date")
	       | "\(.name)\t\(.max_score)\t\(.score)"' "$1" 2>/dev/null | sort
}

# skipped_of FILE: the names of the bonus tests a results.json says were
# skipped (not judged: lab 03's Linux boot when every boot was lost).
skipped_of() {
	jq -r '.tests[] | select((.tags // []) | index("bonus"))
	       | select(.output // "" | startswith("skipped, which scores 0"))
	       | .name' "$1" 2>/dev/null
}

# same WHAT A B [LAB] [visible]: A and B agree test for test (names, points,
# scores), and there is something to agree on; the first differences shown.
# A bonus test skipped on either side was not judged there, so it is left
# out of both (grader/README, "Bonus tests").
same() {
	{ skipped_of "$2"; skipped_of "$3"; } >"$work/same.skip"
	tests_of "$2" "${4:-}" "${5:-}" | awk -F '\t' 'FILENAME == ARGV[1] { s[$0]; next }
		!($1 in s)' "$work/same.skip" - >"$work/same.a"
	tests_of "$3" "${4:-}" "${5:-}" | awk -F '\t' 'FILENAME == ARGV[1] { s[$0]; next }
		!($1 in s)' "$work/same.skip" - >"$work/same.b"
	check "$1: $(wc -l <"$work/same.a") tests, the same scores" \
		sh -c '[ -s "$1" ] && cmp -s "$1" "$2"' _ "$work/same.a" "$work/same.b"
	cmp -s "$work/same.a" "$work/same.b" && return
	diff "$work/same.a" "$work/same.b" | head -10 | sed 's/^/       /'
	# The first test that differs, as each side saw it: a flake is read
	# from its output (CI keeps little more than the lines around a FAIL).
	t=$(diff "$work/same.a" "$work/same.b" | sed -n 's/^[<>] //p' | head -1 | cut -f1)
	for f in "$2" "$3"; do
		echo "       $t, in $f:"
		jq -r --arg t "$t" '.tests[] | select(.name == $t) | .output // ""' "$f" \
			2>/dev/null | tail -20 | sed 's/^/         /'
	done
}

# A wrapper around QEMU (LABVM_QEMU) counts labvm's boots: each line of
# $work/boots is the pid of one QEMU, as this host sees it (labvm runs in a
# pid namespace of its own, where $$ is another number; /proc/self/stat,
# read through the host's /proc, says the host's). exec keeps the pid.
boot_counter() {
	printf '#!/bin/sh\nread -r pid _ </proc/self/stat\necho $pid >>"%s"\nexec qemu-system-x86_64 "$@"\n' \
		"$work/boots" >"$work/qemu" && chmod +x "$work/qemu"
	: >"$work/pids"
}

# no_kvm COMMAND...: COMMAND with /dev/null over /dev/kvm, in a mount
# namespace of its own (its KVM ioctls fail, as on a host without one).
no_kvm() {
	unshare -m sh -c 'mount --bind /dev/null /dev/kvm && exec "$@"' _ "$@"
}

# counted NAME COMMAND...: COMMAND with labvm's boots counted (cold boots:
# the first restore of a saved machine boots one more QEMU to save it, and
# the wrapper is a new QEMU to labvm), their pids kept in $out/boots-NAME.
counted() {
	n=$1; shift
	: >"$work/boots"
	LABVM_SNAPSHOT=off LABVM_QEMU=$work/qemu "$@"
	r=$?
	cp "$work/boots" "$out/boots-$n"
	cat "$work/boots" >>"$work/pids"
	return $r
}

honest() {   # honest NAME REF
	name=$1 ref=$2 out=$work/out-$1
	mkdir -p "$out"
	echo "== grader: honesty of $name"
	counted ref "$GRADE" --ref "$ref" --results "$out/ref.json" >"$out/ref.board" 2>&1
	lab_scores "$out/ref.json" >"$out/ref.scores"
	check "$name: the reference grades (results.json written)" [ -s "$out/ref.scores" ]
	while read -r lab got max bgot bmax; do
		check "$name: lab $lab reference scores 100%: $got/$max" [ "$got" = "$max" ]
		[ "$bmax" = 0 ] ||
			check "$name: lab $lab reference earns all its bonus: +$bgot of $bmax" \
				[ "$bgot" = "$bmax" ]
	done <"$out/ref.scores"
	"$GRADE" --ref "$ref" --handout "$out/handout" >"$out/handout.log" 2>&1
	check "$name: make handout succeeds" [ -d "$out/handout/labs" ]
	check "$name: no solution left in the handout" \
		sh -c "! grep -rqE '>>> SOLUTION|=== STUB' '$out/handout/labs'"
	check "$name: no hidden test in the handout" \
		sh -c "! find '$out/handout/labs' -path '*/tests/hidden*' | grep -q ."
	check "$name: the grader is in the handout" [ -d "$out/handout/grader/include" ]
	# Built as the grader builds it (WERROR=0), so that the --tree grade
	# below finds these objects in the cache; a warning still fails the
	# check, read from the log (a cache hit replays the compiler's output).
	for mk in "$out"/handout/labs/*/Makefile; do
		lab=$(basename "$(dirname "$mk")")
		make -s -C "$(dirname "$mk")" WERROR=0 $make_args all tests \
			>"$out/build-$lab.log" 2>&1
		check "$name: handout lab $lab builds" [ $? = 0 ]
		check "$name: handout lab $lab builds without a warning" \
			sh -c "! grep -q 'warning:' '$out/build-$lab.log'"
	done
	counted handout "$GRADE" --ref "$ref" --tree "$out/handout" \
		--results "$out/handout.json" >"$out/handout.board" 2>&1
	lab_scores "$out/handout.json" >"$out/handout.scores"
	check "$name: the handout grades (results.json written)" [ -s "$out/handout.scores" ]
	while read -r lab got max bgot bmax; do
		check "$name: lab $lab handout scores <= 10%: $got/$max" \
			[ $((got * 10)) -le "$max" ]
		[ "$bmax" = 0 ] ||
			check "$name: lab $lab handout earns no bonus: +$bgot of $bmax" \
				[ "$bgot" = 0 ]
	done <"$out/handout.scores"
	# results.json's top-level output (always shown) names no hidden test.
	check "$name: the output students see names no hidden test" \
		jq_true '[.tests[] | select(.visibility == "after_due_date")
		        | .name | sub("^[^:]*: "; "")] as $h | .output as $o
		       | ($h | length) > 0 and ([$h[] | select(. as $n | $o | contains($n))] | length) == 0' \
		"$out/handout.json"
	# A submission without any lab: each lab's whole rubric, at 0.
	mkdir -p "$out/empty/labs"
	"$GRADE" --ref "$ref" --tree "$out/empty" --results "$out/empty.json" \
		>"$out/empty.board" 2>&1
	lab_scores "$out/empty.json" >"$out/empty.scores"
	# (lab, score, max, bonus score: the bonus worth is left out, as a
	# reference's bonus skipped under emulation is worth 0 there)
	awk '{ print $1, 0, $3, 0 }' "$out/ref.scores" >"$out/zero.scores"
	check "$name: a tree without the labs scores 0 of the full rubric" \
		sh -c '[ -s "$1" ] && awk "{ print \$1, \$2, \$3, \$4 }" "$1" |
		       cmp -s - "$2"' _ "$out/empty.scores" "$out/zero.scores"
	if [ "$fails" != 0 ]; then
		cat "$out/ref.board" "$out/handout.log" "$out/handout.board"
		cat "$out"/build-*.log 2>/dev/null | head -40
	fi
}



# own_handout: this tree's handout, made here ($handout, a second's work):
# the scripts that compare with base's grades grade it before those are
# ready, beside honesty.sh in make test's lanes, and wait only to compare.
own_handout() {
	handout=$work/handout
	"$GRADE" --ref "$TOP" --handout "$handout" >"$work/handout.log" 2>&1
	check "the handout, made here (grade --handout)" [ -d "$handout/labs" ]
}

# base: the reference graded in place and its handout graded as a --tree
# (honest vmlab), to compare with: their results as $placed and $treed. In
# make test's lanes, honesty.sh's, waited for (by progress: its file
# base.done, or honesty.sh gone without it); alone, made here.
base() {
	if in_lanes; then
		hw=$LANES_DIR/honesty
		echo "  (the grades to compare with: honesty.sh's, in another lane)"
		until [ -e "$hw/base.done" ]; do
			[ -s "$hw/pid" ] && ! kill -0 "$(cat "$hw/pid")" 2>/dev/null && break
			sleep 0.5
		done
		check "honesty.sh graded the reference and the handout, to compare with" \
			[ "$(cat "$hw/base.done" 2>/dev/null)" = 0 ]
		vm=$hw/out-vmlab
	else
		keep=$out       # honest sets out (and makes a handout of its own)
		make_args= honest vmlab "$TOP"
		out=$keep vm=$work/out-vmlab
	fi
	placed=$vm/ref.json treed=$vm/handout.json
}
