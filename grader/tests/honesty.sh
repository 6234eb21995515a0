#!/bin/sh
# honesty.sh: the grading is honest, for the fixture lab and for every lab
# of this tree (labs/*/Makefile: each new lab is covered when it lands):
#   1. the reference tree scores 100% of every lab, hidden tests included;
#   2. make handout succeeds: no solution left, no hidden test, grader in;
#   3. the handout builds without a warning (none in its build's log);
#   4. the handout, graded with the instructor's tests, scores <= 10%;
#   5. the labs that need /dev/kvm grade the same inside labvm, and every
#      lab scores 100% on a host without a usable /dev/kvm, and (as root)
#      without namespaces (the Gradescope zip's run, as on Gradescope);
#   6. one score everywhere (issue 20): the reference and the handout get
#      the same scores, test for test, whichever way they are graded: in
#      place, --tree, inside labvm, without namespaces, in a --batch, by
#      the Gradescope zip's run_autograder, and (the reference's files put
#      into the handout, as a student who finished would have it) by
#      grader/grade in the student's own tree, for its visible tests, and
#      each lab's make test passes there.
# The grades of 1-5 are the ones 6 compares: each way of grading is run
# once, not once per claim (on a host without a usable /dev/kvm, 1's grades
# are 5's labvm ones too).
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
chmod 711 "$work"               # builds and tests run as nobody under it

# The grades below build the same two trees (the reference and its
# handout) about eight times, each time in a copy of its own: here they
# share a compiler cache, where ccache is installed (mk/packages.txt). The
# cache is this script's: it only ever holds the instructor's trees. The
# grader itself never gives a student's build a cache (grade_stages.c
# says why). Paths under $work count relative to the folder a build runs
# in (CCACHE_BASEDIR), so two copies of a tree share their objects: the
# grades' copies go under $work too (TMPDIR). Root's builds and nobody's
# share it (CCACHE_UMASK).
TMPDIR=$work/tmp; export TMPDIR
mkdir "$TMPDIR"
if [ -x /usr/lib/ccache/cc ]; then
	mkdir -m 777 "$work/ccache"
	PATH=/usr/lib/ccache:$PATH CCACHE_DIR=$work/ccache CCACHE_BASEDIR=$work \
		CCACHE_NOHASHDIR=1 CCACHE_UMASK=000 \
		CCACHE_SLOPPINESS=include_file_mtime,include_file_ctime
	export PATH CCACHE_DIR CCACHE_BASEDIR CCACHE_NOHASHDIR CCACHE_UMASK CCACHE_SLOPPINESS
fi

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
printf '#!/bin/sh\nread -r pid _ </proc/self/stat\necho $pid >>"%s"\nexec qemu-system-x86_64 "$@"\n' \
	"$work/boots" >"$work/qemu" && chmod +x "$work/qemu"
: >"$work/pids"

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

# inlabvm BOARD: the board sent a lab that needs /dev/kvm to labvm (not
# only its Linux boot, as on kvm_pvm): /dev/kvm did not work there.
inlabvm() {
	grep "^lab [0-9]*-[^ ]* (in labvm" "$1" | grep -qv "the Linux boot only"
}

# grade_var LABDIR NAME: what the lab's Makefile tells the grader as NAME
# (grade_vars.mk: KVM_TESTS, HW_TESTS, ...).
grade_var() {
	make -s -C "$1" -f Makefile -f "$TOP/grader/src/grade_vars.mk" \
		BUILD=/proc/vmlab-no-build grade-vars | sed -n "s/^$2=//p"
}

# reruns_split LABDIR BOARD [LIST]: each unit test's rerun line boots
# labvm exactly when its binary is one of the lab's GRADE_KVM_TESTS (all
# of them when it names none); at least one line of each kind when it
# names some. LIST HW_TESTS: its GRADE_HW_TESTS instead.
reruns_split() {
	kvm=$(grade_var "$1" "${3:-KVM_TESTS}")
	grep "^  rerun: cd labs/$(basename "$1") .* --filter=" "$2" | awk -v kvm=" $kvm " '
		{ bin = $0; sub(/ --filter=.*/, "", bin); sub(/.* /, "", bin)
		  n = split(bin, p, "/"); name = p[n]
		  named = kvm == "  " || index(kvm, " " name " ") > 0
		  inside = index($0, "labvm run") > 0
		  if (named != inside) { print "wrong: " $0; bad = 1 }
		  if (inside) vm++; else host++ }
		END { exit bad || !vm || (kvm != "  " && !host) }'
}

# honest_in_labvm REF LAB: lab LAB (one that needs /dev/kvm) graded the
# way a host without a usable /dev/kvm grades it: inside labvm, one boot
# for the lab, the reference at 100%, the handout (from honest above) at
# <= 10%, and no QEMU left behind (counted: the boots). The reference's
# grade is every lab's with /dev/null over /dev/kvm (the one
# honest_without_kvm checks), the handout's GRADE_NO_KVM=1's.
honest_in_labvm() {
	ref=$1 out=$work/out-vmlab lab=$2
	dir=$(echo "$ref"/labs/$lab-*)
	[ -f "$dir/Makefile" ] || return 0
	echo "== grader: honesty of lab $lab graded inside labvm"
	# Where /dev/kvm does not work here (or /dev/null stands over it),
	# honest's grades above sent this lab to labvm already: they are the
	# grades of this case, checked here rather than made again.
	here=; inlabvm "$out/ref.board" && here=1
	[ -n "$here" ] &&
		echo "  (no usable /dev/kvm here: the grades above were made in labvm)"
	for who in ref handout; do
		tree=$ref; [ $who = handout ] && tree=$out/handout
		if [ -n "$here" ]; then
			cp "$out/$who.board" "$out/vm-$who.board"
			cp "$out/$who.json" "$out/vm-$who.json"
			cp "$out/boots-$who" "$out/boots-vm-$who"
		elif [ $who = ref ]; then
			# Every lab with /dev/null over /dev/kvm: the grade
			# honest_without_kvm checks too, made once, here.
			nokvm=$work/out-nokvm
			mkdir -p "$nokvm"
			[ -s "$nokvm/ref.json" ] ||     # another lab's made it
			counted vm-ref no_kvm "$GRADE" --ref "$ref" \
				--results "$nokvm/ref.json" >"$nokvm/ref.board" 2>&1
			cp "$nokvm/ref.board" "$out/vm-ref.board"
			cp "$nokvm/ref.json" "$out/vm-ref.json"
		else
			counted vm-$who env GRADE_NO_KVM=1 "$GRADE" --ref "$ref" \
				--tree "$tree" --lab $lab --results "$out/vm-$who.json" \
				>"$out/vm-$who.board" 2>&1
		fi
		check "labvm: the $who's lab $lab graded in labvm" \
			grep -q "^lab $(basename "$dir") (in labvm" "$out/vm-$who.board"
		check "labvm: one boot for the whole lab $lab, one for each lab in labvm ($who)" \
			[ "$(wc -l <"$out/boots-vm-$who")" = "$(grep -c '^lab [0-9]*-[^ ]* (in labvm' "$out/vm-$who.board")" ]
		[ $who = handout ] && check "labvm: only lab $lab's KVM test binaries ran (and rerun) in labvm" \
			reruns_split "$dir" "$out/vm-$who.board"
		lab_scores "$out/vm-$who.json" | grep "^$lab " >"$out/vm-$who.scores"
		read -r _ got max _ <"$out/vm-$who.scores"
		got=${got:-0} max=${max:-0}
		if [ $who = ref ]; then host=$work/out-vmlab/ref.json; else host=$work/out-vmlab/handout.json; fi
		[ -n "$here" ] ||
			same "labvm: the $who's lab $lab" "$host" "$out/vm-$who.json" "$lab"
		if [ $who = ref ]; then
			check "labvm: lab $lab reference scores 100%: $got/$max" \
				sh -c '[ "$2" -gt 0 ] && [ "$1" = "$2" ]' _ "$got" "$max"
		else
			check "labvm: lab $lab handout scores <= 10%: $got/$max" \
				sh -c '[ "$2" -gt 0 ] && [ $(($1 * 10)) -le "$2" ]' _ "$got" "$max"
		fi
	done
	# labvm not made yet (no kernel in its cache): no boot, every test
	# that needed labvm at 0 in valid results (the lab's tests that run on
	# the host are graded as ever), and the board says once what to run.
	: >"$work/boots"
	mkdir -p "$work/no-assets"
	GRADE_NO_KVM=1 LABVM_QEMU=$work/qemu LABVM_ASSETS=$work/no-assets \
		"$GRADE" --ref "$ref" --tree "$ref" --lab $lab \
		--results "$out/vm-none.json" >"$out/vm-none.board" 2>&1
	check "labvm not made (lab $lab): grade exits 1 (a lab failed)" [ $? = 1 ]
	check "labvm not made (lab $lab): no boot" [ ! -s "$work/boots" ]
	check "labvm not made (lab $lab): every test labvm was to run at 0, saying to make labvm, in valid results" \
		jq_true '(.tests | length) > 0 and any(.tests[]; .status == "failed") and
			all(.tests[]; .status == "passed" or
			    (.score == 0 and (.output | test("make labvm"))))' \
		"$out/vm-none.json"
	check "labvm not made (lab $lab): the board says to run make labvm" \
		grep -q "run 'make labvm'" "$out/vm-none.board"
	check "labvm not made (lab $lab): one failure message for the lab, not one per test" \
		sh -c '[ "$(grep -c "^FAIL" "$1")" = 0 ] &&
		       [ "$(grep -c "^  rerun: grader/grade --lab $2$" "$1")" = 1 ]' \
		_ "$out/vm-none.board" $lab
	check "labvm: no QEMU left behind" \
		sh -c 'for p in $(cat "$1"); do kill -0 "$p" 2>/dev/null && exit 1; done; exit 0' \
		_ "$work/pids"
	[ "$fails" = 0 ] || cat "$out"/vm-*.board
}

# honest_hw_split REF LAB: lab LAB graded the way a host whose /dev/kvm
# has no hardware virtualization (kvm_pvm) grades it (GRADE_NO_HWVIRT=1):
# only its GRADE_HW_TESTS (the Linux boot) in labvm, one boot, the
# reference at 100% with its bonus. Needs a usable /dev/kvm here, which
# labvm cannot stand in for (the grade would start labvm inside labvm).
honest_hw_split() {
	ref=$1 out=$work/out-vmlab lab=$2
	dir=$(echo "$ref"/labs/$lab-*)
	hw=$(grade_var "$dir" HW_TESTS)
	[ -n "$hw" ] || return 0
	echo "== grader: honesty of lab $lab on a /dev/kvm without hardware virtualization"
	if ! "$dir/build/tests/kvmcheck"; then
		echo "  not checked: no usable /dev/kvm on this machine (the path needs one)"
		return 0
	fi
	# This /dev/kvm has no hardware virtualization (kvm_pvm) when honest's
	# in-place grade sent only the Linux boot to labvm: its grades are this
	# case, checked here rather than made again (GRADE_NO_HWVIRT=1 stands
	# in for such a /dev/kvm on one that has it).
	split="^lab $(basename "$dir") (in labvm, the Linux boot only)"
	if grep -q "$split" "$out/ref.board"; then
		echo "  (this /dev/kvm is one: the grades above are this case)"
		cp "$out/ref.json" "$out/hw-ref.json"
		cp "$out/ref.board" "$out/hw-ref.board"
		cp "$out/boots-ref" "$out/boots-hw-ref"
		cp "$out/handout.board" "$out/hw-handout.board"
	else
		counted hw-ref env GRADE_NO_HWVIRT=1 "$GRADE" --ref "$ref" \
			--lab $lab --results "$out/hw-ref.json" >"$out/hw-ref.board" 2>&1
		GRADE_NO_HWVIRT=1 "$GRADE" --ref "$ref" --tree "$out/handout" \
			--lab $lab --results "$out/hw-handout.json" \
			>"$out/hw-handout.board" 2>&1
		same "kvm_pvm: the reference's lab $lab" "$work/out-vmlab/ref.json" \
			"$out/hw-ref.json" "$lab"
	fi
	check "kvm_pvm: lab $lab graded, the Linux boot only in labvm" \
		grep -q "$split" "$out/hw-ref.board"
	check "kvm_pvm: one boot for lab $lab's $hw, one for each other lab in labvm" \
		[ "$(wc -l <"$out/boots-hw-ref")" = "$(grep -c '^lab [0-9]*-[^ ]* (in labvm' "$out/hw-ref.board")" ]
	# the handout's board has rerun lines: its tests fail
	check "kvm_pvm: only lab $lab's $hw ran (and rerun) in labvm (handout)" \
		reruns_split "$dir" "$out/hw-handout.board" HW_TESTS
	lab_scores "$out/hw-ref.json" | grep "^$lab " >"$out/hw-ref.scores"
	read -r _ got max bgot bmax <"$out/hw-ref.scores"
	check "kvm_pvm: lab $lab reference scores 100% and all its bonus: $got/$max +$bgot of $bmax" \
		sh -c '[ "$2" -gt 0 ] && [ "$1" = "$2" ] && [ "$3" = "$4" ]' _ \
		"${got:-0}" "${max:-0}" "${bgot:-x}" "${bmax:-y}"
	[ "$fails" = 0 ] || cat "$out/hw-ref.board" "$out/hw-handout.board"
}

# honest_without_kvm REF: every lab of REF at 100% on a host without a
# usable /dev/kvm, as on the project's machines, and each lab that needs it
# graded inside labvm. Where there is a /dev/kvm, /dev/null stands over it
# in a mount namespace of the grader's own (its KVM ioctls then fail).
honest_without_kvm() {
	ref=$1 out=$work/out-nokvm
	mkdir -p "$out"
	echo "== grader: honesty of every lab on a host without /dev/kvm"
	set -- "$GRADE" --ref "$ref" --results "$out/ref.json"
	# The in-place grade sent a lab that needs /dev/kvm to labvm (not only
	# its Linux boot, as on kvm_pvm): this host has none that works (or
	# /dev/null stands over it), so that grade is this case.
	if [ -s "$out/ref.json" ]; then
		echo "  (graded above, for labvm's claims: /dev/null over /dev/kvm)"
	elif ! inlabvm "$work/out-vmlab/ref.board" && [ -e /dev/kvm ]; then
		no_kvm "$@" >"$out/ref.board" 2>&1
	else    # this host is one: honest() graded it so already
		echo "  (no usable /dev/kvm here: the in-place grade above is this case)"
		cp "$work/out-vmlab/ref.json" "$out/ref.json"
		cp "$work/out-vmlab/ref.board" "$out/ref.board"
	fi
	lab_scores "$out/ref.json" >"$out/ref.scores"
	check "no /dev/kvm: the reference grades" [ -s "$out/ref.scores" ]
	same "no /dev/kvm: the reference = in place" "$work/out-vmlab/ref.json" "$out/ref.json"
	while read -r lab got max _; do
		check "no /dev/kvm: lab $lab reference scores 100%: $got/$max" [ "$got" = "$max" ]
	done <"$out/ref.scores"
	for mk in $(grep -l "^GRADE_NEEDS *:= *kvm" "$ref"/labs/*/Makefile); do
		name=$(basename "$(dirname "$mk")")
		check "no /dev/kvm: lab $name graded in labvm" \
			grep -q "^lab $name (in labvm" "$out/ref.board"
	done
	[ "$fails" = 0 ] || cat "$out/ref.board"
}

# without_namespaces BOARD RESULTS: the claims of a grade made where the
# grader may not make namespaces (GRADE_NO_NAMESPACES=1; a container like
# Gradescope's), as root: tests still run as nobody, every lab still scores
# 100%, and it is the in-place grade test for test. one_score's run of the
# Gradescope zip on the reference is that grade (it runs as root there, as
# on Gradescope), so this costs no grade of its own.
without_namespaces() {
	echo "== grader: honesty of every lab without namespaces, as root (Gradescope's run)"
	check "no namespaces: tests run as nobody" \
		grep -q "^vmlab grade: .*own process group, as nobody" "$1"
	lab_scores "$2" >"$work/nons.scores"
	check "no namespaces: the reference grades" [ -s "$work/nons.scores" ]
	while read -r lab got max _; do
		check "no namespaces: lab $lab reference scores 100%: $got/$max" \
			[ "$got" = "$max" ]
	done <"$work/nons.scores"
	[ "$fails" = 0 ] || cat "$1"
}

# one_score REF: 6. above. The reference in place and the handout as a
# --tree (honest, above) against: both in one --batch; both through
# run_autograder of the Gradescope zip that grades every lab (a lab's own
# zip only adds VMLAB_LAB: gradescope.sh grades through one); and the
# handout with the reference's student files put in, graded in place by
# its own grader, as the student who finished runs it (visible tests only:
# the hidden ones are not in a handout).
one_score() {
	ref=$1 out=$work/out-same
	mkdir -p "$out/subs" "$out/tmp"
	chmod 711 "$out"              # tests run as nobody under TMPDIR
	TMPDIR=$out/tmp; export TMPDIR
	echo "== grader: one score everywhere (every lab; reference and handout)"
	placed=$work/out-vmlab/ref.json treed=$work/out-vmlab/handout.json
	copy_clean "$ref" "$out/subs/ref" labs mk grader
	copy_clean "$work/out-vmlab/handout" "$out/subs/handout" labs mk grader
	"$GRADE" --ref "$ref" --batch "$out/subs" --out "$out/batch" --timeout 900 \
		>"$out/batch.log" 2>&1
	same "--batch: the reference = in place" "$placed" "$out/batch/ref/results.json"
	same "--batch: the handout = --tree" "$treed" "$out/batch/handout/results.json"

	make -s -C "$GRADER" gradescope GRADESCOPE_DIR="$out/zip" >"$out/pack.log" 2>&1
	ag=$out/ag
	mkdir -p "$ag/source" && unzip -qq "$out/zip/vmlab-autograder.zip" -d "$ag/source"
	cp "$ag/source/run_autograder" "$ag/"
	make -s -C "$ag/source/grader" >/dev/null 2>&1     # what setup.sh does
	[ -d "$TOP/build/labvm" ] && mkdir -p "$ag/source/build" &&
		cp -a "$TOP/build/labvm" "$ag/source/build/"   # setup.sh fetches it
	# As root, Gradescope's way: no namespaces (its container may not make
	# them), the jail then a process group as nobody.
	nons=; [ "$(id -u)" = 0 ] && nons=1
	for who in ref handout; do
		rm -rf "$ag/submission" "$ag/results"
		mkdir -p "$ag/submission"
		copy_clean "$out/subs/$who" "$ag/submission/vmlab" labs mk grader
		AUTOGRADER_ROOT=$ag env ${nons:+GRADE_NO_NAMESPACES=1} "$ag/run_autograder" \
			>"$out/ag-$who.log" 2>&1
		cp "$ag/results/results.json" "$out/ag-$who.json" 2>/dev/null
	done
	same "Gradescope: the reference = in place" "$placed" "$out/ag-ref.json"
	same "Gradescope: the handout = --tree" "$treed" "$out/ag-handout.json"

	done_tree=$out/finished
	copy_clean "$work/out-vmlab/handout" "$done_tree" labs mk grader
	[ -d "$TOP/build/labvm" ] && mkdir -p "$done_tree/build" &&
		cp -a "$TOP/build/labvm" "$done_tree/build/"   # make labvm, as a student
	"$GRADE" --ref "$ref" --list-files >"$out/files" 2>&1
	while IFS= read -r f; do
		[ -f "$ref/$f" ] && cp "$ref/$f" "$done_tree/$f"
	done <"$out/files"
	(cd "$done_tree" && make -s -C grader >/dev/null 2>&1 &&
		grader/grade --results "$out/finished.json") >"$out/finished.board" 2>&1
	same "the student's own tree, finished: grader/grade = the reference's visible tests" \
		"$placed" "$out/finished.json" "" visible
	# Every visible point, and every bonus point: a bonus test's max_score
	# is 0 and its worth extra_data.bonus_points; a skipped one (lab 03's
	# boot when labvm lost every boot) was not judged.
	check "the student's own tree, finished: every visible point" \
		jq_true '(.tests | length) > 0 and all(.tests[];
			if (.tags // []) | index("bonus")
			then .score == .extra_data.bonus_points or
			     (.output // "" | startswith("skipped, which scores 0"))
			else .score == .max_score end)' \
		"$out/finished.json"
	for mk in "$done_tree"/labs/*/Makefile; do
		d=$(dirname "$mk")
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$d" test \
			>"$out/finished-test-$(basename "$d").log" 2>&1
		check "the student's own tree, finished: make test in $(basename "$d") passes" [ $? = 0 ]
	done
	[ "$fails" = 0 ] || tail -n 20 "$out/batch.log" "$out"/ag-*.log "$out/finished.board"
	[ -z "$nons" ] || without_namespaces "$out/ag-ref.log" "$out/ag-ref.json"
}

make_tree "$work/fixture" 91-good
# The fixture tree borrows this grader (no grader/Makefile of its own).
make_args="GRADED_LIB=$GRADER/build/libgraded.a" honest fixture "$work/fixture"
if ls "$TOP"/labs/*/Makefile >/dev/null 2>&1; then
	make_args= honest vmlab "$TOP"
	for lab in $(grep -l "^GRADE_NEEDS *:= *kvm" "$TOP"/labs/*/Makefile |
		     sed 's|.*/labs/\([0-9]*\)-.*|\1|'); do
		honest_in_labvm "$TOP" "$lab"
		honest_hw_split "$TOP" "$lab"
	done
	honest_without_kvm "$TOP"
	one_score "$TOP"
fi
[ -d "$work/ccache" ] && cache_stats "$work/ccache" | awk '{ printf \
	"  (the builds: %d of %d compiles from the compiler cache)\n", $1, $1 + $2 }'
[ "$fails" = 0 ]
