#!/bin/sh
# judge.sh TEST KERNEL LABVM...: how the bonus test
# (tests/test_linux_boot.c) judges boots that go right, wrong or are lost,
# inside labvm, where it runs under QEMU's emulation. A fake vmm stands in for the real one: a boot the
# platform spoils (a panic, a stall, a wrong answer) cannot be had on
# demand, so this script's vmm plays each outcome in the order a case
# lists, and the test must give the verdict README "Challenge · boot
# Linux" promises. The instructor's (grader/handout-exclude): it tests the
# test, not a student's vmm. TEST is the built test_linux_boot, KERNEL the
# kernel path it was built with (it only checks that the file is there),
# LABVM... the command that runs labvm (the Makefile's LABVM).
# Exit 0 when every case gives its verdict; 120 if labvm is not ready.
set -u
here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" = --inside ]; then
	test=$2 fake=$3
	fails=0
	# case SEQUENCE VERDICT BOOTS [TEXT]: the fake vmm plays SEQUENCE (its
	# last word again and again); the test must end in VERDICT (PASS, FAIL
	# or SKIP) after BOOTS boots, its output holding TEXT.
	case_() {
		echo "$1" >"$fake/seq"
		: >"$fake/boots"
		VMM_BUILD=$fake GRADE_TIME_SCALE=1 "$test" -j1 --verbose >"$fake/out" 2>&1
		n=$(wc -l <"$fake/boots")
		if grep -q "^\[$2\] lx::boots_on_2_vcpus" "$fake/out" &&
		   [ "$n" = "$3" ] && { [ -z "${4:-}" ] || grep -qF "$4" "$fake/out"; }; then
			# (the verdict in lower case: a log reader's FAIL is a check's)
			echo "  ok   $1: $(echo "$2" | tr A-Z a-z) after $n boot(s)"
		else
			echo "  FAIL $1: wanted $2 after $3 boot(s)${4:+ saying \"$4\"}, got $n boot(s):"
			sed 's/^/       /' "$fake/out"
			fails=$((fails + 1))
		fi
	}
	echo "== lab 03: the bonus test's verdicts, under QEMU's emulation (a fake vmm)"
	case_ "right" PASS 1
	case_ "panic right" PASS 2 "boot 1 lost to a kernel panic"
	case_ "wrong right" PASS 2 "boot 1 answered wrong"
	case_ "wrong" FAIL 2 "got cpus 1"
	case_ "wrong panic" FAIL 5 "got cpus 1"
	case_ "panic wrong" FAIL 3 "got cpus 1"
	case_ "panic" SKIP 5 "all 5 boots were lost"
	# A boot silent from the start (the stalls seen came before init) is
	# stopped once init's first line is 10 s late, not after its whole 20.
	: >"$fake/silent"
	case_ "silent right" PASS 2 "boot 1 lost to a stall"
	s=$(head -n 1 "$fake/silent")
	if [ -n "$s" ] && [ "$s" -ge 9 ] && [ "$s" -le 15 ]; then
		echo "  ok   silent: stopped after ${s} s without init's first line"
	else
		echo "  FAIL silent: wanted it stopped after about 10 s, not ${s:-?}"
		fails=$((fails + 1))
	fi
	[ "$fails" = 0 ]
	exit
fi

test=$(realpath "$1") kernel=$2
shift 2
fake=$(mktemp -d) || exit 2
trap 'rm -rf "$fake"' EXIT
mkdir "$fake/linux"
echo | gzip >"$fake/linux/initrd.gz"      # the test checks the gzip magic only
# The fake vmm: the Nth run plays the Nth word of seq (the last one after).
# right: init's lines for a 2-vCPU, 192 MiB guest, the disk's sector 1
# echoed and sector 2 written, exit 0; wrong: the same with "init: cpus 1"
# (an SMP start that failed); panic: a kernel panic before init ran;
# silent: nothing, until stopped (a stall before init), its seconds
# noted in silent.
cat >"$fake/vmm" <<'EOF'
#!/bin/sh
dir=$(dirname "$0")
echo "$*" >>"$dir/boots"
n=$(wc -l <"$dir/boots")
seq=$(cat "$dir/seq")
play=$(echo "$seq" | awk -v n="$n" '{ print (n <= NF) ? $n : $NF }')
disk=$(echo "$*" | sed -n 's/.*--disk \([^ ]*\).*/\1/p')
case $play in
silent)
	t0=$(date +%s)
	trap 'echo $(($(date +%s) - t0)) >>"$dir/silent"; exit 143' TERM
	sleep 100 &
	wait $!
	exit 0 ;;
panic)
	echo "Kernel panic - not syncing: played by judge.sh's fake vmm"
	exit 0 ;;
right) cpus=2 ;;
wrong) cpus=1; echo "fake vmm: a wrong answer" >&2 ;;
esac
echo "init: cpus $cpus"
echo "init: MemTotal: 150000 kB"
echo "init: disk vda 2048 sectors"
echo "init: sector 1 says '$(dd if="$disk" bs=512 skip=1 count=1 2>/dev/null | head -n 1)'"
printf 'written by the guest\n' | dd of="$disk" bs=512 seek=2 conv=notrunc 2>/dev/null
echo "init: uptime 1.00"
EOF
chmod +x "$fake/vmm"
chmod 755 "$fake"
"$@" run \
	--in "$here/judge.sh" --in "$test" --in "$fake" --in "$kernel" \
	-- sh "$here/judge.sh" --inside "$test" "$fake"
rc=$?
[ "$rc" = 120 ] && echo "judge.sh: SKIPPED, labvm is not ready (run 'make labvm' at the top)"
exit "$rc"
