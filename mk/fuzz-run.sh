#!/bin/sh
# fuzz-run.sh BUILD SECONDS MAX_LEN TARGET=SEEDS...: run each libFuzzer
# target of mk/fuzz.mk for SECONDS, one after another, and print a table:
# target, executions, seconds, new corpus entries, findings. The table is
# also kept in BUILD/summary.tsv (SECURITY.md's figures come from it).
# Exit status: 1 when any target found something (its input is saved as
# BUILD/crashes/TARGET-*), 0 otherwise.
set -u
build=$1 secs=$2 maxlen=$3
shift 3
mkdir -p "$build/crashes" "$build/log"
summary=$build/summary.tsv
printf 'target\texecs\tseconds\tcorpus\tfindings\n' >"$summary"
fail=0
# UBSan stops at its first report (as a crash would), except the known
# ones mk/fuzz-known.supp lists; ASan reports leaks too.
here=$(cd "$(dirname "$0")" && pwd)
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$here/fuzz-known.supp"
for arg; do
	t=${arg%%=*} seeds=${arg#*=}
	mkdir -p "$build/corpus/$t"
	log=$build/log/$t.log
	# Past findings first: every input in the lab's fuzz/crashes/ must now
	# pass every target of that lab (the bugs they found stay fixed).
	crashes=$(dirname "$(dirname "$seeds")")/crashes
	if [ -d "$crashes" ] && ! "$build/bin/$t" "$crashes"/* \
		>"$build/log/$t.replay.log" 2>&1; then
		echo "fuzz: $t fails on an old finding in $crashes: see $build/log/$t.replay.log" >&2
		fail=1
	fi
	# The fuzzer writes new inputs to the first folder only: the committed
	# seeds are read, never changed.
	"$build/bin/$t" -max_total_time="$secs" -max_len="$maxlen" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$build/crashes/$t-" \
		"$build/corpus/$t" "$seeds" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	time=$(sed -n 's/^stat::.*//;s/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
	corpus=$(ls "$build/corpus/$t" | wc -l)
	found=0
	if [ "$rc" -ne 0 ]; then
		found=1 fail=1
		echo "fuzz: $t FOUND A PROBLEM (exit $rc): see $log" >&2
		grep -m3 -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" >&2
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$t" "${execs:-?}" "${time:-$secs}" \
		"$corpus" "$found" >>"$summary"
done
column -t -s "$(printf '\t')" "$summary"
exit $fail
