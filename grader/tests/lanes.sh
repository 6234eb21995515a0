#!/bin/sh
# lanes.sh: mk/lanes.sh, which runs make test's steps in lanes. A shared
# step goes to whichever lane is free first, runs once, and a failed step,
# own or shared, is named and makes the exit status 1; after:NAME waits
# for another lane's mark:NAME, and only for it; the steps share a folder,
# which lists them, and which is gone at the end. Driven
# by progress: a step that waits for another waits for its file, never a
# set time (60 s at most, so that a broken lanes.sh fails rather than
# hangs).
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
echo "== mk/lanes.sh: lanes, shared steps to the free one, marks"

# step NAME [WAIT]: a step that notes its name in ran, waits for the file
# WAIT (60 s at most), then leaves the file NAME.done.
step() {
	cat >"$work/$1" <<EOF
#!/bin/sh
echo $1 >>"$work/ran"
n=0
while [ -n "${2:-}" ] && [ ! -e "$work/${2:-}" ] && [ \$n -lt 600 ]; do
	sleep 0.1; n=\$((n + 1))
done
[ -z "${2:-}" ] || [ -e "$work/${2:-}" ] || exit 1
touch "$work/$1.done"
EOF
	chmod +x "$work/$1"
}
# (make test's own LANES_FAILED is not these lanes': their failures are
# this script's to check, in a file of its own.)
lanes() { LANES_FAILED=$work/failed "$TOP/mk/lanes.sh" "$@" >"$work/out" 2>&1; }
ran() { [ "$(sort "$work/ran" | tr '\n' ' ')" = "$1" ]; }

# Lane 1's own step waits for shared c1: only lane 2, idle, can run it.
step a1 c1.done; step c1; step c2
lanes --shared "$work/c1 $work/c2" "$work/a1" ""
rc=$?
check "a shared step runs in the free lane while the other is busy: exit $rc" \
	[ "$rc" = 0 ]
check "each step ran once" ran "a1 c1 c2 "

# Lane 2's own step waits for lane 1's: both lanes' own steps first.
rm -f "$work"/*.done "$work/ran"
step a1; step b1 a1.done; step c1 b1.done
lanes --shared "$work/c1" "$work/a1" "$work/b1"
rc=$?
check "own steps first, then the shared ones: exit $rc" [ "$rc" = 0 ]
check "  each step ran once" ran "a1 b1 c1 "

# A shared step that fails is named, the others still run.
rm -f "$work"/*.done "$work/ran"
step a1; step c1; printf '#!/bin/sh\nexit 3\n' >"$work/bad" && chmod +x "$work/bad"
lanes --shared "$work/bad $work/c1" "$work/a1" ""
rc=$?
check "a failed shared step: exit 1: $rc" [ "$rc" = 1 ]
check "  named on the last line" sh -c 'tail -n 1 "$1" | grep -q "^FAILED: .*/bad$"' _ "$work/out"
check "  the others ran" ran "a1 c1 "
check "  added to the file LANES_FAILED names" grep -qx "$work/bad" "$work/failed"

# Two lists, no shared steps.
rm -f "$work"/*.done "$work/ran"
step a1 b1.done; step b1
lanes "$work/a1" "$work/b1"
rc=$?
check "two lists without shared steps: exit $rc" [ "$rc" = 0 ]

# Three lanes at once: each lane's first step waits for the next lane's.
rm -f "$work"/*.done "$work/ran"
step a1 b1.done; step b1 c1.done; step c1
lanes "$work/a1" "$work/b1" "$work/c1"
rc=$?
check "three lanes at once: exit $rc" [ "$rc" = 0 ]
check "  each step ran once" ran "a1 b1 c1 "

# after:m waits for mark:m: a2 runs only once b1 is done, however long b1
# takes (b1 waits for a1, so a2 waiting for nothing would run before b1
# is done, and fail, seeing no b1.done).
rm -f "$work"/*.done "$work/ran"
step a1; step b1 a1.done
printf '#!/bin/sh\necho a2 >>"%s/ran"; [ -e "%s/b1.done" ]\n' "$work" "$work" >"$work/a2"
chmod +x "$work/a2"
lanes "$work/a1 after:m $work/a2" "$work/b1 mark:m"
rc=$?
check "after:m waits for the lane that marks m: exit $rc" [ "$rc" = 0 ]
check "  each step ran once" ran "a1 a2 b1 "
# ... and does not wait for ever when no running lane can mark it.
rm -f "$work"/*.done "$work/ran"
step a1
lanes "after:nobody $work/a1" ""
rc=$?
check "after: a mark no lane has: no wait, exit $rc" [ "$rc" = 0 ]

# The steps' folder: LANES_DIR lists every step, and is gone at the end.
printf '#!/bin/sh\ncp "$LANES_DIR/steps" "%s/steps"; echo "$LANES_DIR" >"%s/dir"\n' \
	"$work" "$work" >"$work/d1"
chmod +x "$work/d1"
rm -f "$work/ran"; step c1
lanes --shared "$work/c1" "$work/d1" "mark:x"
check "LANES_DIR lists every step, in order" \
	sh -c '[ "$(tr "\n" " " <"$1")" = "$2/d1 mark:x $2/c1 " ]' _ "$work/steps" "$work"
check "  and is gone at the end" sh -c '[ -s "$1" ] && [ ! -e "$(cat "$1")" ]' _ "$work/dir"
[ "$fails" = 0 ] || cat "$work/out"
[ "$fails" = 0 ]
