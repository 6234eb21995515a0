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
# are 5's labvm ones too). 6 is three scripts of its own, which compare
# against this one's grades of 1 and 4 (honesty_lib.sh, "base"):
# honesty_batch.sh, honesty_gradescope.sh and honesty_student.sh.
. "$(dirname "$0")/fixture.sh"
. "$(dirname "$0")/honesty_lib.sh"
if in_lanes; then
	# Its grades stay for the others until the lanes end (LANES_DIR):
	# base.done says they are made, and how many of their checks failed.
	work=$LANES_DIR/honesty
	mkdir -p "$work" && echo $$ >"$work/pid"
	trap '[ -e "$work/base.done" ] || echo "honesty.sh ended first" >"$work/base.done"' EXIT
	setup_work "$work/ccache"
else
	own_work
fi

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

make_tree "$work/fixture" 91-good
# The fixture tree borrows this grader (no grader/Makefile of its own).
make_args="GRADED_LIB=$GRADER/build/libgraded.a" honest fixture "$work/fixture"
if ls "$TOP"/labs/*/Makefile >/dev/null 2>&1; then
	f0=$fails
	make_args= honest vmlab "$TOP"
	echo $((fails - f0)) >"$work/base.tmp" && mv "$work/base.tmp" "$work/base.done"
	for lab in $(grep -l "^GRADE_NEEDS *:= *kvm" "$TOP"/labs/*/Makefile |
		     sed 's|.*/labs/\([0-9]*\)-.*|\1|'); do
		honest_in_labvm "$TOP" "$lab"
		honest_hw_split "$TOP" "$lab"
	done
	honest_without_kvm "$TOP"
fi
[ -d "$work/ccache" ] && cache_stats "$work/ccache" | awk '{ printf \
	"  (the builds: %d of %d compiles from the compiler cache)\n", $1, $1 + $2 }'
[ "$fails" = 0 ]
