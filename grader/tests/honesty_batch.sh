#!/bin/sh
# honesty_batch.sh: one score everywhere (honesty.sh's claim 6), by
# --batch: the reference and its handout, two submissions of one --batch,
# get the scores they get graded in place and as a --tree (honesty_lib.sh,
# "base"), test for test, every lab.
. "$(dirname "$0")/fixture.sh"
. "$(dirname "$0")/honesty_lib.sh"
own_work
echo "== grader: one score everywhere: --batch (every lab; reference and handout)"
own_handout
out=$work/out-same
mkdir -p "$out/subs"
copy_clean "$TOP" "$out/subs/ref" labs mk grader
copy_clean "$handout" "$out/subs/handout" labs mk grader
"$GRADE" --ref "$TOP" --batch "$out/subs" --out "$out/batch" --timeout 900 \
	>"$out/batch.log" 2>&1
base
same "--batch: the reference = in place" "$placed" "$out/batch/ref/results.json"
same "--batch: the handout = --tree" "$treed" "$out/batch/handout/results.json"
[ "$fails" = 0 ] || tail -n 20 "$out/batch.log"
[ "$fails" = 0 ]
