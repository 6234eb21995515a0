#!/bin/sh
# hostile.sh: grade a hostile submission (tests/fixture/labs/92-hostile, one
# attack per test) next to an honest lab (91) and one that does not build
# (93), then check that every attack ended at 0 points, the run stayed in
# its bound, the results are valid JSON and XML whatever was printed, the
# results file is the grader's, the tests are intact and nothing is left
# running.
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d) || exit 1
listener=
cleanup() {
	[ -n "$listener" ] && kill "$listener" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
make_tree "$work/ref" 91-good 92-hostile 93-broken
res=/tmp/vmlab-hostile/results.json       # known to test_hostile.c
mkdir -p /tmp/vmlab-hostile && chmod 1777 /tmp/vmlab-hostile
echo '{"stale": true}' > "$res" && chmod 644 "$res"
# A secret only root may read, which lab 93's source #includes.
secret=/tmp/vmlab-hostile/secret.h
printf 'TOPSECRET_%s leaked;\n' $$ >"$secret" && chmod 600 "$secret"
# A listener on the host's loopback: reachable only without a network namespace.
python3 -c 'import socket,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 47123)); s.listen(8); time.sleep(120)' &
listener=$!

echo "== grader: hostile submissions"
start=$(date +%s)
timeout 120 "$GRADE" --ref "$work/ref" --results "$res" --junit "$work/junit.xml" \
	>"$work/board" 2>"$work/err"
rc=$?
secs=$(( $(date +%s) - start ))
sleep 3                                   # the background writer's moment
json() { jq -r "$1" "$res" 2>/dev/null; }
score_of() { json ".tests[] | select(.name | endswith(\"$1\")) | .score"; }

check "grade exits 1 (some tests failed), not a crash: rc=$rc" [ "$rc" = 1 ]
check "the run took ${secs}s, within 60s" [ "$secs" -lt 60 ]
check "results.json is valid JSON" jq -e . "$res" >/dev/null
check "results.json is the grader's (no HACKED)" [ -z "$(grep HACKED "$res")" ]
check "junit.xml is valid XML" xmllint --noout "$work/junit.xml"
check "the board is capped (< 64 KiB): $(wc -c <"$work/board") bytes" \
	[ "$(wc -c <"$work/board")" -lt 65536 ]
for t in fork_bomb endless_loop memory_bomb gigabyte_output deletes_tests \
	 sleeps_forever segfault exit_zero network; do
	check "hostile/$t scores 0" [ "$(score_of "hostile/$t")" = 0 ]
done
if [ "$(id -u)" = 0 ]; then
	check "hostile/writes_results scores 0 (tests run as nobody)" \
		[ "$(score_of hostile/writes_results)" = 0 ]
fi
check "the honest test next to them still passes" [ "$(score_of hostile/honest)" = 1 ]
check "lab 91 scores 6 of 6 next to them" \
	[ "$(json '[.tests[] | select(.name | startswith("91.")) | .score] | add')" = 6 ]
check "the lab that does not build scores 0 with the compiler's message" \
	sh -c "[ \"\$(jq -r '.tests[] | select(.name | startswith(\"93.\")) | .score' '$res')\" = 0 ] &&
	       grep -q \"expected ‘;’\" '$work/board'"
if [ "$(id -u)" = 0 ]; then
	check "the build runs as nobody: a root-only file it includes stays secret" \
		sh -c "! grep -q TOPSECRET '$work/board' '$res' '$work/junit.xml'"
fi
# gcc keeps its temporary files in TMPDIR (else /tmp): a build killed at
# its time limit would leave them there, where other builds as nobody can
# read them. The grader gives each build a TMPDIR of its own, removed after.
built_in=$(sed -n "s/.*the build's TMPDIR: //p" "$work/board" | tail -n 1)
check "the build had a TMPDIR of its own, gone after the grade: ${built_in:-none}" \
	sh -c '[ -n "$1" ] && [ "$1" != "${TMPDIR:-/tmp}" ] && [ ! -e "$1" ]' _ "$built_in"
check "a crash is named: crashed: SIGSEGV" grep -q "crashed: SIGSEGV" "$work/board"
check "a timeout is named: timed out after 1 s (stretched on a busy machine)" \
	grep -qE "timed out after (1 s|[0-9.]+ s \(its 1 s limit)" "$work/board"
check "exit(0) mid-test is caught" grep -q "stopped before its end" "$work/board"
check "each failure shows its rerun command" \
	grep -q "rerun: cd labs/92-hostile && build/tests/test_hostile --filter='hostile/segfault'" "$work/board"
check "the tests are still there" [ -f "$work/ref/labs/92-hostile/tests/test_hostile.c" ]
check "no process of the submission is left" \
	sh -c 'for p in $(pgrep -f test_hostile); do
		readlink /proc/$p/cwd | grep -q 92-hostile && exit 1; done; exit 0'
check "the hidden test shows after the due date" \
	[ "$(json '.tests[] | select(.name | endswith("adds_large")) | .visibility')" = after_due_date ]
# Time limits stretch with the machine's load (GRADE_TIME_SCALE is the
# floor: grader/README.md, "Time limits"): an honest test that takes 2 s of
# its 1 s passes at x4, the grader's limit and Criterion's alike, and a hang
# still ends, its message naming the stretch. Only those two (stage 92.2):
# the attacks' limits stretch too, and an endless loop then burns 4 s.
GRADE_TIME_SCALE=4 timeout 120 "$GRADE" --ref "$work/ref" --lab 92 \
	--only-stages 92.2 --results "$work/slow.json" >"$work/slow.board" 2>&1
slow() { jq -r ".tests[] | select(.name | endswith(\"$1\")) | $2" "$work/slow.json" 2>/dev/null; }
check "at x4 a test that needs 2 s of its 1 s passes" [ "$(slow hostile/waits_2_s .score)" = 1 ]
check "at x4 a hang still scores 0" [ "$(slow hostile/sleeps_forever .score)" = 0 ]
check "  and says why: timed out after 4 s (its 1 s limit, x4.0 ... or more)" \
	grep -qE "timed out after [0-9.]+ s.*its 1 s limit, x[4-8]\." "$work/slow.board"
# mk/clitest (a lab's make test runs its command-line cases with it)
# stretches a case's timeout the same way: at x4 a case that needs 2 s of
# its 1 s passes, and one that hangs still ends, saying why.
mkdir -p "$work/cli"
printf '# points=1 stage=91.1 slow timeout=1\nsleep 2\n' >"$work/cli/slow.run"
printf '# points=1 stage=91.1 hangs timeout=1\nexec sleep 1000\n' >"$work/cli/hangs.run"
echo 0 >"$work/cli/slow.rc" && echo 0 >"$work/cli/hangs.rc"
GRADE_TIME_SCALE=4 timeout 60 "$TOP/mk/clitest" "$work/cli" >"$work/cli.log" 2>&1
check "clitest at x4: the case that needs 2 s of its 1 s passes, the hang fails" \
	grep -qx "cli: 1 passed, 1 failed" "$work/cli.log"
check "  and says why: timed out after 4.0 s or more, its 1 s limit stretched" \
	grep -qE "^FAIL hangs: .*timed out after [4-8]\.[0-9] s: its 1 s limit, stretched" "$work/cli.log"
# --ref as a relative path: graded as the tree it names (on 855cce7 lab 04
# scored 0 in place with --ref ., its test binaries run from elsewhere).
(cd "$work/ref" && timeout 120 "$GRADE" --ref . --lab 91 --results "$work/rel.json") \
	>"$work/rel.board" 2>&1
check "--ref . grades the tree it names: lab 91 scores 6 of 6" \
	[ "$(jq .score "$work/rel.json" 2>/dev/null)" = 6 ]
[ "$fails" = 0 ] || { echo "hostile: $fails checks failed; board:"; cat "$work/board" "$work/err" "$work/cli.log"; }
[ "$fails" = 0 ]
