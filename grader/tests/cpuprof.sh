#!/bin/sh
# cpuprof.sh: bench/cpuprof (make profile) charges a command's CPU time to
# the right step, passes the command's exit status through, and fails
# clearly without root, for a missing command and for a file that is not
# the kernel's accounting. Driven by progress: the step burns CPU until
# its own clock says 1 s, whatever the machine's load. The kernel keeps
# one accounting file per pid namespace: each run here has a namespace of
# its own, so it neither takes over nor loses to any other accounting on
# the machine (make profile's, another tree's make test).
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
chmod 711 "$work"
echo "== grader: cpuprof (make profile)"
prof=$GRADER/build/bench/cpuprof
[ -x "$prof" ] || make -s -C "$GRADER" cpuprof >"$work/build.log" 2>&1   # make test built it
check "cpuprof builds" [ -x "$prof" ]

# burn.sh CODE: uses 1 s of CPU (100 ticks of its own user time, read
# from /proc), then exits CODE. runner.sh STEP...: runs each step in a
# subshell, as mk/lanes.sh does.
cat >"$work/burn.sh" <<'EOF'
#!/bin/sh
while :; do
	i=0
	while [ $i -lt 2000 ]; do i=$((i + 1)); done
	read -r _ _ _ _ _ _ _ _ _ _ _ _ _ ut _ </proc/self/stat
	[ "$ut" -ge 100 ] && exit "$1"
done
EOF
printf '#!/bin/sh\nfor s; do ($s); r=$?; done; exit $r\n' >"$work/runner.sh"
chmod +x "$work/burn.sh" "$work/runner.sh"

if [ "$(id -u)" != 0 ]; then
	echo "  --   cpuprof not checked: it needs root (the kernel's process accounting)"
	[ "$fails" = 0 ]
	exit
fi
# own COMMAND...: in a pid namespace of its own (and a /proc to match),
# not under any outer cpuprof's accounting.
own() { unshare -m -p -f --mount-proc env -u CPUPROF_OUT "$@"; }
own "$prof" --out "$work/p" --runner runner.sh -- "$work/runner.sh" true \
	"$work/burn.sh 3" >"$work/out" 2>&1
check "the command's exit status passes through (3)" [ $? = 3 ]
# the step's line: start, wall, CPU-s, name, its busiest commands. The
# accounting samples CPU time by ticks, /proc's reading is adjusted to the
# scheduler's exact sum: on a busy machine the two differ (0.7 against
# 1 seen, beside two busy loops), hence the wide band.
cpu=$(awk '$4 == "burn.sh" { print $3 }' "$work/out")
check "the step burn.sh is charged its 1 CPU-s: ${cpu:-none}" \
	awk -v c="${cpu:-0}" 'BEGIN { exit !(c >= 0.4 && c < 5) }'
check "by command: burn.sh, as much" \
	awk -v c="${cpu:-x}" '/^by command/ { on = 1 } on && $3 == "burn.sh" && $1 == c { ok = 1 }
		END { exit !ok }' "$work/out"
check "the machine's CPU time is reported beside the accounted" \
	grep -q "^accounted: .* the machine's: [0-9]* CPU-s" "$work/out"
grep " burn.sh " "$work/out" >"$work/line"
"$prof" --report "$work/p" --runner runner.sh >"$work/again" 2>&1
check "--report reads the file again: the same step line" \
	sh -c '[ $1 = 0 ] && [ -s "$3" ] && grep " burn.sh " "$2" | cmp -s - "$3"' _ $? \
	"$work/again" "$work/line"

own "$prof" --out "$work/q" -- "$work/no-such-command" >"$work/out" 2>&1
check "a missing command: exit 127, named" \
	sh -c '[ $1 = 127 ] && grep -q "no-such-command" "$2"' _ $? "$work/out"
mkdir -m 777 "$work/nobody"
env -u CPUPROF_OUT setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$prof" --out "$work/nobody/r" -- true >"$work/out" 2>&1
check "not root: exit 125, says it needs root, leaves no file" \
	sh -c '[ $1 = 125 ] && grep -q "needs root" "$2" && [ ! -e "$3" ]' _ $? \
	"$work/out" "$work/nobody/r"
head -c 640 /dev/zero >"$work/zeros"
"$prof" --report "$work/zeros" >"$work/out" 2>&1
check "--report of a file that is not accounting: exit 125, says so" \
	sh -c '[ $1 = 125 ] && grep -q "not the kernel.s process accounting" "$2"' _ $? \
	"$work/out"
CPUPROF_OUT=$work/outer "$prof" --out "$work/inner" -- true >"$work/out" 2>&1
check "under an outer cpuprof (CPUPROF_OUT): exit 125, says so, takes nothing over" \
	sh -c '[ $1 = 125 ] && grep -q "an outer cpuprof" "$2" && [ ! -e "$3" ]' _ $? \
	"$work/out" "$work/inner"
"$prof" >"$work/out" 2>&1
check "no command: exit 125, the usage" \
	sh -c '[ $1 = 125 ] && grep -q "^usage: cpuprof" "$2"' _ $? "$work/out"
[ "$fails" = 0 ] || cat "$work/out"
[ "$fails" = 0 ]
