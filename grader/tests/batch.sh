#!/bin/sh
# batch.sh: grade --batch on a class of generated lab 01 submissions, -j 2:
#   ref/             the reference                     104 (full marks)
#   handout/         the handout, solutions stripped   low
#   bug-mem.zip      meminfo's kB taken as 1000 bytes  < full (a zip, made
#                    with python3's zipfile, one folder wrapping labs/)
#   bug-net.tar.gz   non-contiguous netmasks accepted  < full (tar)
#   hang/            the meminfo parser sleeps forever: the whole submission
#                    is killed at --timeout, status timed-out, 0
#   nobuild/         a syntax error: build-failed, 0
#   bogus.tar.gz     text, not an archive: not-an-archive, 0
#   evil.tar.gz      an entry named ../escaped: unsafe-archive, 0, and
#                    nothing written outside
# The first batch is killed (SIGKILL) once three students are done; the
# rerun grades only the rest (results.json inodes unchanged, one "graded"
# line per student in batch.log) and leaves no process and no scratch
# folder behind; a third run regrades nothing. Then SIGINT: exit 4.
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d) || exit 1
batch=
trap '[ -n "$batch" ] && kill -KILL "$batch" 2>/dev/null; rm -rf "$work"' EXIT
chmod 711 "$work"                  # tests run as nobody under TMPDIR
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR" "$work/subs"
# The submissions are lab 01 over and over (each run of the batch builds
# every one it grades again): their builds share a compiler cache. What
# is checked here is the batch, not the build.
use_cache "$work/ccache"
subs=$work/subs out=$work/out

echo "== grader: batch grading (lab 01, -j 2)"
lab() {   # lab DIR: DIR/labs/01-server from the reference, no build outputs
	copy_clean "$TOP/labs" "$1/labs" 01-server
}
lab "$subs/ref"
"$GRADE" --handout "$work/h" >/dev/null && mkdir -p "$subs/handout/labs" &&
	cp -r "$work/h/labs/01-server" "$subs/handout/labs/"
lab "$work/bug-mem/submission"
sed -i 's/hi_mul_u64(v, 1024, bytes)/hi_mul_u64(v, 1000, bytes)/' \
	"$work/bug-mem/submission/labs/01-server/src/hi_mem.c"
(cd "$work/bug-mem" && python3 -c 'import os, zipfile
z = zipfile.ZipFile("../subs/bug-mem.zip", "w")
for d, _, fs in os.walk("submission"):
    for f in fs: z.write(os.path.join(d, f))')
lab "$work/bug-net"
sed -i 's/zero_seen = 1;/zero_seen = 0;/' "$work/bug-net/labs/01-server/src/hi_net.c"
tar -C "$work/bug-net" -czf "$subs/bug-net.tar.gz" labs
lab "$subs/hang"
sed -i -e '1i #include <unistd.h>' \
	-e '/^int hi_mem_parse(/,/^{$/s|^{$|{\n\tfor (;;) pause();|' \
	"$subs/hang/labs/01-server/src/hi_mem.c"
check "the hang submission's parser sleeps forever (the edit took)" \
	grep -q 'for (;;) pause();' "$subs/hang/labs/01-server/src/hi_mem.c"
lab "$subs/nobuild"
echo 'this is not C;' >>"$subs/nobuild/labs/01-server/src/hi_net.c"
echo "my homework" >"$subs/bogus.tar.gz"
python3 -c 'import io, sys, tarfile
t = tarfile.open(sys.argv[1], "w:gz"); i = tarfile.TarInfo("../escaped")
i.size = 3; t.addfile(i, io.BytesIO(b"hi\n")); t.close()' "$subs/evil.tar.gz"

# --timeout T: the hang submission waits it out, and every honest one must
# finish within it while another grades beside it. So T is measured, not
# guessed: 8 times what grading the reference alone takes now (on this
# machine, at its present load), 30 s at least. The hang's own tests would
# end it only after minutes (269 s here, quiet), so it is still timed-out.
t0=$(date +%s.%N)
"$GRADE" --tree "$subs/ref" --lab 01 >"$work/solo.log" 2>&1
solo=$(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
T=$(echo "$solo" | awk '{ t = int(8 * $1 + 1); print (t < 30 ? 30 : t) }')
echo "  (--timeout $T: 8 times the $solo s one grade of the reference takes here now, 30 at least)"
args="--batch $subs -j 2 --lab 01 --out $out --timeout $T"
run() { "$GRADE" $args; }
stamp() { stat -c '%i %Y' "$out/$1/results.json" 2>/dev/null; }

# 1. Killed once three students are done.
"$GRADE" $args >"$work/run1.log" 2>&1 &      # not run(): $! is grade's pid
batch=$!
i=0
while [ "$(ls "$out"/*/results.json 2>/dev/null | wc -l)" -lt 3 ] && [ $i -lt 600 ]; do
	sleep 0.2; i=$((i + 1))
done
kill -KILL "$batch"; wait "$batch" 2>/dev/null; batch=
done1=$(cd "$out" && ls -d */results.json | cut -d/ -f1)
scratch=$(cat "$out/.scratch" 2>/dev/null)
for s in $done1; do eval "before_$(echo "$s" | tr -c 'a-z0-9\n' _)=\"$(stamp "$s")\""; done
check "killed batch: three done ($(echo $done1))" [ "$(echo "$done1" | wc -w)" -ge 3 ]
# Killed graders go in milliseconds; one that outlived the batch grades
# on for a minute. 20 s covers a busy host (the race itself: test_grade_proc).
graders_gone() {
	i=0
	while pgrep -f -- "[-]-results $out/" >/dev/null; do
		[ $i -ge 100 ] && return 1
		sleep 0.2; i=$((i + 1))
	done
}
check "killed batch: no grader left running" graders_gone
check "killed batch: no gradebook half-written" [ ! -e "$out/gradebook.csv" ]

# 2. Resumed: the rest is graded, nothing done is regraded.
t0=$(date +%s)
run >"$work/run2.log" 2>&1
rc=$?
t1=$(date +%s)
check "resume: exit 1 (some could not be graded): $rc" [ "$rc" = 1 ]
for s in $done1; do
	v=$(eval "echo \"\$before_$(echo "$s" | tr -c 'a-z0-9\n' _)\"")
	check "resume: $s not regraded (inode, mtime)" [ "$(stamp "$s")" = "$v" ]
done
for s in ref handout bug-mem bug-net hang nobuild bogus evil; do
	check "resume: $s graded exactly once" \
		[ "$(grep -c " graded $s " "$out/batch.log")" = 1 ]
done
check "resume: the killed batch's scratch folder is gone" [ ! -e "$scratch" ]
check "resume: within its bound ($((t1 - t0)) s)" [ $((t1 - t0)) -lt $((T * 3)) ]

# The gradebook: one row each, expected scores and statuses.
csv=$out/gradebook.csv
field() { awk -F, -v s="$1" -v c="$2" '$1 == s { print $c }' "$csv"; }
check "gradebook: a header and 8 rows" [ "$(wc -l <"$csv")" = 9 ]
max=$(field ref 4)
check "gradebook: ref scores the max ($(field ref 3)/$max), ok" \
	[ "$(field ref 3)" = "$max" -a "$(field ref 2)" = ok -a "$max" -gt 0 ]
check "gradebook: handout <= 10% ($(field handout 3))" [ $(($(field handout 3) * 10)) -le "$max" ]
for s in bug-mem bug-net; do
	check "gradebook: $s below the max, above the handout ($(field $s 3))" \
		[ "$(field $s 3)" -lt "$max" -a "$(field $s 3)" -gt "$(field handout 3)" \
		  -a "$(field $s 2)" = ok ]
done
for row in hang:timed-out nobuild:build-failed bogus:not-an-archive evil:unsafe-archive; do
	s=${row%%:*} want=${row#*:}
	check "gradebook: $s is $want, scores 0 ($(field $s 2), $(field $s 3))" \
		[ "$(field $s 2)" = "$want" -a "$(field $s 3)" = 0 ]
done
check "evil: nothing written outside its folder" [ ! -e "$TMPDIR/escaped" ]
for s in ref handout bug-mem bug-net hang nobuild bogus evil; do
	check "results: $s/results.json is valid, score $(jq .score "$out/$s/results.json")" \
		jq -e '.tests | length > 0' "$out/$s/results.json" >/dev/null
done

# 3. Everything done: nothing regraded, the same gradebook.
cp "$csv" "$work/csv1"
run >"$work/run3.log" 2>&1
check "rerun: exit 1 again, nothing regraded" \
	[ $? = 1 -a "$(grep -c ' graded ' "$out/batch.log")" = 8 ]
check "rerun: the same gradebook" cmp -s "$csv" "$work/csv1"

# The class view (class.html, one lab here): it renders in a real browser, and its
# numbers are the gradebook's.
html=$out/class.html
dom=$work/class.dom
check "class view: written beside the gradebook" [ -s "$html" ]
check "class view: offline (no http, no script)" sh -c "! grep -Eiq 'https?:|<script' '$html'"
chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$html" >"$dom" 2>/dev/null
check "class view: Chromium renders it" grep -q 'id="summary"' "$dom"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1800 \
	--screenshot="$work/class.png" "file://$html" >/dev/null 2>&1
check "class view: a screenshot of it" [ -s "$work/class.png" ]
while IFS=, read -r who status score _; do
	[ "$who" = student ] && continue
	check "class view: $who's row says $score, as the CSV does" \
		grep -q "data-student=\"$who\" data-score=\"$score\"" "$dom"
done <"$csv"
graded=$(awk -F, 'NR > 1 && ($2 == "ok" || $2 == "build-failed")' "$csv" | wc -l)
counts=$(grep -o 'data-count="[0-9]*"' "$dom" | tr -dc '0-9\n' | paste -sd+ | bc)
check "class view: lab 01's histogram counts the $graded graded submissions ($counts)" \
	[ "$counts" = "$graded" ]
check "class view: the $((8 - graded)) ungraded ones listed apart" \
	[ "$(grep -c 'class="ungraded"' "$dom")" = $((8 - graded)) ]
check "class view: the hardest test first passed by the fewest" sh -c \
	"grep -o 'data-passed=\"[0-9]*\"' '$dom' | tr -dc '0-9\\n' | sort -c -n"

# 4. SIGINT: the running submission is stopped, nothing of it kept.
mkdir -p "$work/one" && mv "$subs/hang" "$work/one/"
"$GRADE" --batch "$work/one" --lab 01 --out "$work/one-out" >"$work/int.log" 2>&1 &
batch=$!
sleep 3
kill -INT "$batch"; wait "$batch"; rc=$?; batch=
check "SIGINT: exit 4, says how to resume: $rc" \
	sh -c "[ $rc = 4 ] && grep -q 'rerun the same command' '$work/int.log'"
check "SIGINT: no results for the unfinished one" [ ! -e "$work/one-out/hang/results.json" ]
check "SIGINT: no grader left" sh -c "! pgrep -f -- '[o]ne-out/' >/dev/null"
check "SIGINT: no scratch folder left in TMPDIR" [ -z "$(ls "$TMPDIR")" ]
if [ "$fails" != 0 ]; then
	cat "$work"/run*.log "$work/int.log" "$csv"
	grep -h '"why"' "$out"/*/results.json
fi
[ "$fails" = 0 ]
