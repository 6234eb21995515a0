#!/bin/sh
# watch.sh: grade --watch 01 on a tree of its own (lab 01, mk/, the grader's
# include), bounded by --max-runs 2 and --timeout: it grades once at the
# start, then two sources edited at once make ONE rerun (debounced) that
# names them; a file under build/ and an editor's swap file change nothing;
# it stops after its two runs, well within its bound, leaving no grader.
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d) || exit 1
watch=
trap '[ -n "$watch" ] && kill "$watch" 2>/dev/null; rm -rf "$work"' EXIT
chmod 711 "$work"
tree=$work/tree lab=$work/tree/labs/01-server
mkdir -p "$tree/grader" && copy_clean "$TOP/labs" "$tree/labs" 01-server &&
	cp -r "$TOP/mk" "$tree/" &&
	ln -s "$GRADER/include" "$tree/grader/include" || exit 1

echo "== grader: watch mode (lab 01)"
t0=$(date +%s)
"$GRADE" --watch 01 --ref "$tree" --max-runs 2 --timeout 120 >"$work/log" 2>&1 &
watch=$!
i=0
until grep -q "waiting for changes" "$work/log" || [ $i -ge 600 ]; do
	sleep 0.2; i=$((i + 1))
done
sleep 0.5
mkdir -p "$lab/build" && echo x >"$lab/build/noise.c"      # an output: ignored
echo x >"$lab/src/.hi_mem.c.swp"                           # a swap file: ignored
sleep 1
check "no rerun for build/ outputs or swap files" \
	[ "$(grep -c '=== watch: run' "$work/log")" = 1 ]
echo '/* edited */' >>"$lab/src/hi_mem.c"
echo '/* edited */' >>"$lab/src/hi_net.c"
wait "$watch"; rc=$?; watch=
t1=$(date +%s)
check "watch exits 0 after --max-runs 2: $rc" [ "$rc" = 0 ]
check "it graded twice, the rerun the edited stages first (three scoreboards)" \
	[ "$(grep -c '^lab 01-server' "$work/log")" = 3 ]
check "two edits, one rerun that names them" \
	grep -q '=== watch: run 2: 2 sources changed (src/hi_' "$work/log"
# The stages the two files' contracts name ("Stage 01.N"), as the grader
# lists them; their tests first, fewer points than every test's.
stages=$(grep -ho 'Stage 01\.[0-9]*' "$lab/src/hi_mem.c" "$lab/src/hi_net.c" |
	awk '!seen[$2]++ { printf "%s%s", n++ ? "," : "", $2 }')
check "the rerun runs first the stages the files name ($stages)" \
	grep -q "=== watch: run 2: 2 sources changed (src/hi_.*): first the stages it names, $stages ===" "$work/log"
first=$(awk '/: first the stage/ { on = 1 } on && /^lab 01-server/ { print $3; exit }' "$work/log")
every=$(awk '/=== watch: run 2/ && !/first the stage/ { on = 1 } on && /^lab 01-server/ { print $3; exit }' "$work/log")
check "those tests are worth less than every test: $first < $every points" \
	[ "${first:-0}" -gt 0 -a "${first:-0}" -lt "${every:-0}" ]
check "it says it stopped" grep -q 'watch: stopped after 2 runs' "$work/log"
# A student's loop: the visible tests only (points of those not marked hidden).
vis=$("$GRADE" --list --lab 01 --ref "$tree" 2>/dev/null |
	awk '/ pt / && !/ hidden$/ { for (i = 2; i <= NF; i++) if ($i == "pt") s += $(i - 1) }
	     END { print s + 0 }')
check "only the visible tests ran: $vis points on the board" \
	grep -Eq "^lab 01-server +[0-9]+ / $vis " "$work/log"
check "within its bound ($((t1 - t0)) s < 120 s)" [ $((t1 - t0)) -lt 120 ]
check "no grader left" sh -c "! pgrep -f -- '[-]-ref $tree' >/dev/null"
# Bounded by time alone: no change, it stops at --timeout.
t0=$(date +%s)
"$GRADE" --watch 01 --ref "$tree" --timeout 3 >"$work/log2" 2>&1
rc=$?
t1=$(date +%s)
check "--timeout 3 stops it: exit $rc after $((t1 - t0)) s" \
	[ "$rc" = 0 -a $((t1 - t0)) -le 6 ]
# Stopped mid-grade (a grade of lab 01 takes seconds): the run it killed
# leaves no scratch folder behind.
mkdir -p "$work/tmp"
TMPDIR=$work/tmp "$GRADE" --watch 01 --ref "$tree" --timeout 1 >"$work/log3" 2>&1
check "--timeout 1 stops a run mid-grade, which leaves nothing in TMPDIR: $(ls "$work/tmp" | tr '\n' ' ')" \
	sh -c "grep -q '=== watch: run 1' '$work/log3' && ! grep -q '^lab 01-server' '$work/log3' &&
	       [ -z \"\$(ls -A '$work/tmp')\" ]"
check "bad usage: --watch 1 is exit 2" sh -c "'$GRADE' --watch 1 2>/dev/null; [ \$? = 2 ]"
check "no such lab: exit 2" sh -c "'$GRADE' --watch 77 --ref '$tree' 2>/dev/null; [ \$? = 2 ]"
[ "$fails" = 0 ] || cat "$work/log" "$work/log2"
[ "$fails" = 0 ]
