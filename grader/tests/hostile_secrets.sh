#!/bin/sh
# hostile_secrets.sh: nothing secret reaches a student's code (issue 19).
# The reference tree's secrets, each holding the word S3CR3T: a hidden
# test's source (a comment) and binary (a string), the instructor's
# solution and answers.txt of lab 91, and the other lab's (90) solution and
# answers.txt, which a copy for lab 91 used to hold. Two submissions of lab
# 91, both solved (not with the reference's file) plus an attack:
#   peek     its code, run by every test, prints every line holding
#            S3CR3T of the files it can open: the hidden tests' sources
#            and binaries by relative paths, the reference by its absolute
#            path, the other lab's files by relative paths
#   include  its source compiles those files into its object (.incbin,
#            where __has_include finds them) and prints them the same way
#   include-ref  the same with the reference's absolute paths only
# Each graded with --tree and in a --batch: results.json and the board hold
# no S3CR3T, and the score is the honest one (full marks: the hidden tests
# are still built and run). Both again with --tree and GRADE_NO_NAMESPACES=1
# (a container that forbids namespaces: file modes alone, grade_secret.h),
# where the reference's folders must also be as they were after grading.
# peek again in lab 94, lab 91 with GRADE_NEEDS
# := kvm: graded inside labvm (lab 03's path) where /dev/kvm is not usable
# (skipped, and said, when labvm cannot run at all). HOSTILE_GRADE=path grades
# with another grader (an older one: every case must fail there).
. "$(dirname "$0")/fixture.sh"
GRADE=${HOSTILE_GRADE:-$GRADE}
work=$(mktemp -d) || exit 1
trap '[ -n "$KEEP" ] && echo "kept $work" || rm -rf "$work"' EXIT
chmod 711 "$work"                      # tests run as nobody under TMPDIR
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"
ref=$work/ref
make_tree "$ref" 90-plant 91-good
chmod -R a+rX "$ref"                   # as an instructor's clone usually is
cat >>"$ref/labs/91-good/tests/hidden/test_fx_hidden.c" <<'EOF'
/* S3CR3T-hidden-source: the expected answer is 42 */
__attribute__((used)) static const char answer[] = "S3CR3T-hidden-binary";
EOF
sed -i 's|return a + b;|return a + b; /* S3CR3T-reference-solution */|' \
	"$ref/labs/91-good/src/fx.c"
sed -i 's|return 1;|return 1; /* S3CR3T-other-lab-solution */|' \
	"$ref/labs/90-plant/src/plant.c"
for lab in 90-plant 91-good; do
	printf '/* >>> SOLUTION %s.1: Q1 (a word) */\nQ1: S3CR3T-answer-%s\n/* === STUB\nQ1:\n*/\n/* <<< SOLUTION */\n' \
		"${lab%%-*}" "$lab" >"$ref/labs/$lab/answers.txt"
done
# Lab 94: lab 91 again, but GRADE_NEEDS := kvm: on a host without a
# usable /dev/kvm its tests run inside labvm (grade_vm.c), as lab 03's do.
cp -r "$ref/labs/91-good" "$ref/labs/94-kvm"
# Its unit tests get 60 s, not 5: emulated (TCG), on a loaded machine.
find "$ref/labs/94-kvm" -type f -exec sed -i 's/91\.\([123]\)/94.\1/g; s/^LAB      := 91/LAB      := 94/; s/", 5)$/", 60)/' {} +
sed -i 's|^include ../../mk/lab.mk|GRADE_NEEDS := kvm\ninclude ../../mk/lab.mk|' \
	"$ref/labs/94-kvm/Makefile"
"$GRADE" --handout "$work/h" --ref "$ref" >/dev/null || exit 1

sub() {   # sub DIR: lab 91 solved by hand (not the reference's file)
	mkdir -p "$1/labs" && cp -r "$work/h/labs/91-good" "$1/labs/" &&
		sed -i 's|return -ENOSYS;|return a + b;|' "$1/labs/91-good/src/fx.c"
}
sum() {   # sum RESULTS [LAB]: lab 91's (LAB's) score in a results.json
	jq "[.tests[] | select(.name | startswith(\"${2:-91}.\")) | .score] | add" "$1" 2>/dev/null
}
grade_tree() {   # grade_tree NAME [OUT]: grade $work/NAME's lab 91 into OUT.json
	"$GRADE" --tree "$work/$1" --ref "$ref" --lab 91 --results "$work/${2:-$1}.json" \
		>"$work/${2:-$1}.board" 2>&1
}
modes() { find "$ref" -printf '%m %u %p\n' | sort; }
# The printing part of both attacks: every line holding S3CR3T of text.
printer='#include <stdio.h>
#include <string.h>
static void show(const char *name, const char *text, size_t n)
{
	for (size_t i = 0; i + 6 <= n; i++)
		if (!memcmp(text + i, "S3CR3T", 6)) {
			size_t k = i;
			while (k < n && text[k] >= 32 && text[k] < 127)
				k++;
			fprintf(stderr, "leak %s: %.*s\n", name, (int)(k - i), text + i);
			i = k;
		}
}'
# lab-relative (as the tests run) and absolute paths of every secret.
files="tests/hidden/test_fx_hidden.c build/tests/hidden/test_fx_hidden
$ref/labs/91-good/src/fx.c $ref/labs/91-good/answers.txt
$ref/labs/91-good/tests/hidden/test_fx_hidden.c
../90-plant/src/plant.c ../90-plant/answers.txt"

sub "$work/peek"
sed -i 's|^long fx_add(long a, long b)$|static void peek(void);\nlong fx_add(long a, long b)|; s|^{$|{\n\tpeek();|' \
	"$work/peek/labs/91-good/src/fx.c"
{
	printf '%s\n' "$printer"
	echo '#include <stdlib.h>'
	echo 'static void peek(void) {'
	echo '	static const char *const files[] = {'
	for f in $files; do echo "		\"$f\","; done
	echo '	};'
	echo '	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {'
	echo '		FILE *f = fopen(files[i], "r");'
	echo '		static char buf[1 << 22];'
	echo '		size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;'
	echo '		if (f) fclose(f);'
	echo '		show(files[i], buf, n);'
	echo '	}'
	printf '%s\n' '	fprintf(stderr, "peek ran\n");'
	echo '}'
} >>"$work/peek/labs/91-good/src/fx.c"

# include DIR FILES: a submission whose fx.c compiles FILES into its object.
include() {
	sub "$1"
	sed -i 's|^long fx_add(long a, long b)$|static void peek(void);\nlong fx_add(long a, long b)|; s|^{$|{\n\tpeek();|' \
		"$1/labs/91-good/src/fx.c"
	{
		printf '%s\n' "$printer"
		i=0
		for f in $2; do
			i=$((i + 1))
			case $f in /*) inc=$f ;; *) inc=../$f ;; esac   # from src/
			echo "#if __has_include(\"$inc\")"
			printf '__asm__(".section .rodata\\nleak%s: .incbin \\"%s\\"\\nleak%s_end:\\n.previous");\n' "$i" "$f" "$i"
			echo "extern const char leak$i[], leak${i}_end[];"
			echo "#define LEAK$i show(\"$f\", leak$i, (size_t)(leak${i}_end - leak$i));"
			echo "#else"
			echo "#define LEAK$i"
			echo "#endif"
		done
		printf 'static void peek(void) {'
		for k in $(seq 1 $i); do printf ' LEAK%s' "$k"; done
		printf '%s\n' ' fprintf(stderr, "peek ran\n"); }'
	} >>"$1/labs/91-good/src/fx.c"
}
include "$work/include" "$files"
# Without namespaces a file nobody may not read is found by __has_include
# (EACCES, not ENOENT) and fails the build: the copy's tests/hidden always
# did, so the attacker there includes only the reference's absolute paths.
include "$work/include-ref" "$(echo "$files" | grep "^$ref")"

echo "== grader: secrets (hidden tests, the reference, answers) never reach a student"
sub "$work/solved" && grade_tree solved
honest=$(sum "$work/solved.json")
check "a solved lab 91 scores full marks: $honest of 6" [ "$honest" = 6 ]
for s in peek include; do
	grade_tree $s
	check "$s (--tree): the score is the honest one: $(sum "$work/$s.json") = $honest" \
		[ "$(sum "$work/$s.json")" = "$honest" ]
	check "$s (--tree): results.json and the board hold no secret ($(cat "$work/$s.json" "$work/$s.board" | grep -c S3CR3T) lines)" \
		sh -c "! grep -q S3CR3T '$work/$s.json' '$work/$s.board'"
	check "$s (--tree): the attack ran (its output is in results.json)" \
		grep -q 'peek ran' "$work/$s.json"
done

# Without namespaces: only modes keep nobody out (grade_secret.h).
modes >"$work/modes.before"
for s in peek include-ref; do
	GRADE_NO_NAMESPACES=1 grade_tree $s $s-nons
	got=$(sum "$work/$s-nons.json")
	refused=$(grep -c 'fatal error: /.*: Permission denied' "$work/$s-nons.board")
	check "$s (no namespaces): the score is the honest one ($got = $honest), or its build was refused reading a secret ($refused)" \
		[ "$got" = "$honest" -o "$refused" -gt 0 ]
	check "$s (no namespaces): results.json and the board hold no secret ($(cat "$work/$s-nons.json" "$work/$s-nons.board" | grep -c S3CR3T) lines)" \
		sh -c "! grep -q S3CR3T '$work/$s-nons.json' '$work/$s-nons.board'"
	check "$s (no namespaces): the attack ran (its output is in results.json), or its build was refused" \
		sh -c "grep -q 'peek ran' '$work/$s-nons.json' || [ $refused -gt 0 ]"
done
modes >"$work/modes.after"
check "no namespaces: the reference's modes are as they were after grading" \
	cmp -s "$work/modes.before" "$work/modes.after"

subs=$work/subs
mkdir -p "$subs" && cp -r "$work/peek" "$subs/peek" && cp -r "$work/include" "$subs/include"
"$GRADE" --batch "$subs" --ref "$ref" --lab 91 -j 2 --timeout 120 \
	--out "$work/out" >"$work/batch.log" 2>&1
for s in peek include; do
	r=$work/out/$s/results.json
	check "$s (--batch): the score is the honest one: $(sum "$r") = $honest" \
		[ "$(sum "$r")" = "$honest" ]
	check "$s (--batch): its results hold no secret" \
		sh -c "! grep -rq S3CR3T '$work/out/$s' '$work/batch.log'"
done

# peek again, in lab 94: inside labvm where this host has no usable /dev/kvm.
mkdir -p "$work/vm/labs" && cp -r "$work/h/labs/94-kvm" "$work/vm/labs/" &&
	cp "$work/peek/labs/91-good/src/fx.c" "$work/vm/labs/94-kvm/src/fx.c"
"$GRADE" --tree "$work/vm" --ref "$ref" --lab 94 --results "$work/vm.json" \
	>"$work/vm.board" 2>&1
where=$(grep -q 'lab 94-kvm (in labvm)' "$work/vm.board" && echo labvm || echo host)
if grep -q 'labvm gave no results\|cannot start' "$work/vm.board"; then
	echo "  skip peek (lab 94): labvm did not run here:"
	grep -A3 'labvm gave no results\|cannot start' "$work/vm.board" | head -4
else
	check "peek (lab 94, tests on the $where): the score is the honest one: $(sum "$work/vm.json" 94) = 6" \
		[ "$(sum "$work/vm.json" 94)" = 6 ]
	check "peek (lab 94, tests on the $where): results.json and the board hold no secret" \
		sh -c "! grep -q S3CR3T '$work/vm.json' '$work/vm.board'"
	check "peek (lab 94, tests on the $where): the attack ran" grep -q 'peek ran' "$work/vm.json"
fi
[ "$fails" = 0 ] || { echo "hostile_secrets: $fails failed"; exit 1; }
