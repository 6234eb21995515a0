#!/bin/sh
# bench/batch.sh [N]: submissions per minute of grade --batch on this
# machine (grader/README.md, "Batch grading"). N copies of the reference
# (default 6) of one lab, graded with -j 1 and -j 2, for lab 01 and for
# lab 03 (on the host's /dev/kvm when usable; then again with
# GRADE_NO_KVM=1, inside labvm). Each copy is graded from scratch: unpacked
# from a .tar.gz, copied, built, every test run in the jail.
# Baseline, measured in the same run: one `grade --tree COPY --lab NN -j 1`
# (what the batch runs per submission), times N: the batch's overhead is
# the ratio.
GRADER=$(cd "$(dirname "$0")/.." && pwd)
TOP=$(cd "$GRADER/.." && pwd)
GRADE=$GRADER/build/grade
n=${1:-6}
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
chmod 711 "$work"
export TMPDIR=$work/tmp
mkdir -p "$TMPDIR"
make -s -C "$GRADER" all || exit 1

now() { date +%s.%N; }
# class LAB: N .tar.gz submissions of the reference lab, in $work/class-LAB
class() {
	name=$(basename "$TOP"/labs/"$1"-*)
	mkdir -p "$work/src-$1/labs" "$work/class-$1"
	cp -r "$TOP/labs/$name" "$work/src-$1/labs/"
	rm -rf "$work/src-$1/labs/$name"/build "$work/src-$1/labs/$name"/build-*
	i=1
	while [ $i -le "$n" ]; do
		tar -C "$work/src-$1" -czf "$work/class-$1/student$i.tar.gz" labs
		i=$((i + 1))
	done
}
# bench LAB JOBS [ENV]: one batch, its rate and its statuses.
bench() {
	rm -rf "$work/out"
	t0=$(now)
	env $3 "$GRADE" --batch "$work/class-$1" -j "$2" --lab "$1" \
		--out "$work/out" >"$work/log" 2>&1
	t=$(echo "$(now) - $t0" | bc)
	ok=$(grep -c ',ok,' "$work/out/gradebook.csv" 2>/dev/null)
	printf '  lab %s  -j %s %-14s %6.1f s  %5.1f submissions/min  (%s of %s ok)\n' \
		"$1" "$2" "$3" "$t" "$(echo "scale=2; $n * 60 / $t" | bc)" "${ok:-0}" "$n"
}
baseline() {
	rm -rf "$work/one" && mkdir -p "$work/one"
	cp -r "$work/src-$1/labs" "$work/one/"
	t0=$(now)
	env $2 "$GRADE" --tree "$work/one" --lab "$1" -j 1 >/dev/null 2>&1
	t=$(echo "$(now) - $t0" | bc)
	printf '  lab %s  one grade --tree %-6s %6.1f s  (x%s = %.1f s serial)\n' \
		"$1" "$2" "$t" "$n" "$(echo "$t * $n" | bc)"
}

echo "grade --batch, $n submissions of the reference, $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
for lab in 01 03; do
	class $lab
	baseline $lab
	bench $lab 1
	bench $lab 2
done
baseline 03 GRADE_NO_KVM=1     # one labvm boot per submission
bench 03 2 GRADE_NO_KVM=1
echo "  load after: $(cut -d' ' -f1 /proc/loadavg)"
