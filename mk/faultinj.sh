#!/bin/sh
# faultinj.sh FN MAX -- PROG ARGS: run PROG once per N in 1..MAX with the
# Nth call of FN failing (mk/faultinj.c), and check each run: no crash
# (exit status below 128), and a failure is never silent: when the fault
# changed the output, the exit status is not 0. N runs to
# MAX (all: every call a clean run makes). Prints one line per run; exit 1
# on any violation.
set -u
fn=$1 max=$2
shift 3
here=$(cd "$(dirname "$0")" && pwd)
so=${FAULTINJ_SO:-$here/../build/faultinj.so}
ref=$(mktemp) out=$(mktemp)
trap 'rm -f "$ref" "$out"' EXIT
"$@" >"$ref" 2>/dev/null
if [ "$max" = all ]; then # every call the clean run makes
	VMLAB_FAIL=$fn:0 VMLAB_FAIL_REPORT=$out LD_PRELOAD=$so "$@" >/dev/null 2>&1
	max=$(cut -d' ' -f1 "$out")
fi
bad=0 n=1
while [ "$n" -le "$max" ]; do
	VMLAB_FAIL=$fn:$n LD_PRELOAD=$so "$@" >"$out" 2>/dev/null
	rc=$?
	verdict=ok
	if [ "$rc" -ge 128 ]; then verdict="CRASH"; bad=1
	elif [ "$rc" -eq 0 ] && ! cmp -s "$ref" "$out"; then verdict="SILENT (exit 0, output differs)"; bad=1
	fi
	echo "$fn:$n exit $rc $verdict"
	n=$((n + 1))
done
exit $bad
