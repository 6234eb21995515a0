#!/bin/sh
# hostile_verdict.sh: verdicts a student's code cannot forge, and a board a
# student can act on. Each case grades a student's copy of the fixture lab 91
# (one file changed) against the instructor's and reads the board and
# results.json:
#   - a constructor forging "passed" lines, an interposed libc function:
#     the lab scores 0 and the board names the file, the section or symbol;
#   - control characters and quotes in names and messages: escaped, and a
#     rerun line pasted into sh runs nothing else;
#   - a hidden test that does not compile against the student's header:
#     the student's board names the function, never the test's source,
#     the instructor's output keeps the whole log;
#   - a warning: feedback with file:line, not a zero;
#   - failure messages: assertions in source order, errno names, long
#     lines cut in the middle.
. "$(dirname "$0")/fixture.sh"
work=$(mktemp -d) || exit 1
trap '[ -n "$KEEP" ] || rm -rf "$work"' EXIT
make_tree "$work/ref" 91-good
fx=labs/91-good/src/fx.c

# student NAME: a fresh copy of the instructor's tree as $work/NAME.
student() {
	rm -rf "${work:?}/$1"
	cp -r "$work/ref" "$work/$1"
}
# grade NAME: grade it; the board in $work/NAME.board, results in NAME.json.
grade() {
	"$GRADE" --ref "$work/ref" --tree "$work/$1" --results "$work/$1.json" \
		>"$work/$1.board" 2>"$work/$1.err"
}
score() { jq -r '[.tests[] | select(.name | startswith("91.")) | .score] | add' "$work/$1.json"; }
board_has() { grep -qF -- "$2" "$work/$1.board"; }

echo "== grader: verdicts and the board"

# A constructor that forges the runner's report before any test runs.
student ctor
cat >>"$work/ctor/$fx" <<'EOF'
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
__attribute__((constructor)) static void forge(void)
{
	const char *rep = getenv("GRADED_REPORT");
	int fd = rep ? open(rep, O_WRONLY | O_CREAT | O_APPEND, 0644) : -1;
	if (fd >= 0)
		(void)!write(fd, "{\"suite\":\"fx\",\"name\":\"adds_small\",\"status\":\"passed\"}\n", 53);
}
EOF
grade ctor
check "a constructor scores the lab 0: $(score ctor)" [ "$(score ctor)" = 0 ]
check "the board names the file and the section" board_has ctor "src/fx.c has a .init_array section"

# An interposed libc function.
student libc
cat >>"$work/libc/$fx" <<'EOF'
#include <string.h>
int strcmp(const char *a, const char *b) { (void)a; (void)b; return 0; }
EOF
grade libc
check "an interposed strcmp scores the lab 0: $(score libc)" [ "$(score libc)" = 0 ]
check "the board names the symbol and what to do" \
	board_has libc "src/fx.c defines strcmp, a name the C library"
check "... and says to rename it or make it static" board_has libc "make it static"

# An honest extra global helper is fine.
student helper
cat >>"$work/helper/$fx" <<'EOF'
long fx_twice(long a);
long fx_twice(long a) { return fx_add(a, a); }
EOF
grade helper
check "an extra global helper of the student's own is fine: $(score helper)/6" \
	[ "$(score helper)" = 6 ]

# A warning in the student's code: feedback on the board, not a zero.
student warn
cat >>"$work/warn/$fx" <<'EOF'
long fx_unused(long a);
long fx_unused(long a) { int spare; return a; }
EOF
grade warn
check "a warning costs nothing: $(score warn)/6" [ "$(score warn)" = 6 ]
check "the board shows it with file:line" board_has warn "    src/fx.c:18:"
check "... in the lab's warnings section" board_has warn "  warnings (1; "

# A hidden test that does not compile against the student's code: the
# instructor's lab grows fx_sub, which the student's copy lacks.
student hidden
ref91=$work/ref/labs/91-good
cp -r "$ref91" "$work/ref91.orig"
sed -i 's|^#endif|long fx_sub(long a, long b);\n#endif|' "$ref91/src/fx.h"
printf 'long fx_sub(long a, long b)\n{\n\treturn a - b;\n}\n' >>"$ref91/src/fx.c"
cat >>"$ref91/tests/hidden/test_fx_hidden.c" <<'EOF'

GRADED_HIDDEN(fx_hidden, subtracts, 1, "91.1 adding", 5)
{
	cr_assert_eq(fx_sub(5, 3), 2 /* SECRET_ANSWER */);
}
EOF
grade hidden
jq -r '.output' "$work/hidden.json" >"$work/hidden.student"
check "the student reads that a hidden test did not compile, naming fx_sub" \
	grep -qF 'a hidden test did not compile against your code (functions involved: fx_sub)' \
	"$work/hidden.student"
check "... and never the hidden test's source" \
	sh -c "! grep -q SECRET_ANSWER '$work/hidden.student'"
check "no visible entry of results.json shows it" \
	sh -c "! jq -r '.tests[] | select(.visibility != \"hidden\") | .output' '$work/hidden.json' | grep -q SECRET_ANSWER"
# Only the student's files cross (fx.h is the instructor's), so the hidden
# test compiles and fails to link: the instructor still reads the log.
check "the instructor's board keeps the whole log" board_has hidden "undefined reference to \`fx_sub'"
check "... and so does an instructors-only entry of results.json" \
	sh -c "jq -r '.tests[] | select(.visibility == \"hidden\") | .output' '$work/hidden.json' | grep -q 'undefined reference to .fx_sub'"
rm -rf "$ref91" && mv "$work/ref91.orig" "$ref91"

# A command-line case named to inject a command into its rerun line, and a
# program that prints a terminal escape: the board escapes it, the line is
# quoted (pasted into sh, it runs that case and nothing else).
student names
case="$work/ref/labs/91-good/tests/cli/x;touch pwned;y"
printf '# points=1 stage=91.3 command line\n"$PROG" 1 1\n' >"$case.run"
echo 2 >"$case.out"
echo 0 >"$case.rc"
# The escape comes from the student's own file (main.c is the instructor's).
sed -i -e 's|^#include <errno.h>|#include <errno.h>\n#include <stdio.h>|' \
	-e 's|^\treturn a + b;|\tprintf("\\033[2J");\n\treturn a + b;|' "$work/names/labs/91-good/src/fx.c"
grade names
check "no raw ESC on the board" sh -c "! grep -q \"$(printf '\033')\" '$work/names.board'"
check "the program's escape shows as ?" board_has names 'got "?[2J2"'
line=$(sed -n "s/^  rerun: \(.*touch pwned.*\)$/\1/p" "$work/names.board")
check "the case's rerun line is quoted: $line" [ -n "$line" ]
(cd "$work/names" && make -s -C labs/91-good all >/dev/null 2>&1 && sh -c "$line" >/dev/null 2>&1)
check "pasted into sh, it runs no injected command" \
	sh -c "[ -z \"\$(find '$work/names' -name pwned)\" ]"
rm -f "$case".*

# Failure messages: assertions in source order, a stub's -ENOSYS by name.
student stub
ref91=$work/ref/labs/91-good
cp -r "$ref91" "$work/ref91.orig"
cat >>"$ref91/tests/test_fx.c" <<'EOF'

GRADED(fx, in_order, 1, "91.1 adding", 5)
{
	cr_expect_eq(fx_add(1, 1), 2, "first");
	cr_expect_eq(fx_add(2, 2), 4, "second");
}
EOF
cp "$ref91/tests/test_fx.c" "$work/stub/labs/91-good/tests/"
sed -i '/^\treturn a + b;$/d; /STUB/d; /^\t\*\/$/d' "$work/stub/$fx"
grade stub
check "a stub's return is named: -ENOSYS: not written yet" \
	board_has stub "fx_add(-2, -3): got -38 (-ENOSYS: not written yet), expected -5"
check "failed assertions in source order" \
	sh -c "grep -A2 'fx/in_order' '$work/stub.board' | tr '\n' ' ' | grep -q 'first.*second'"
rm -rf "$ref91" && mv "$work/ref91.orig" "$ref91"

[ "$fails" = 0 ] || { echo "hostile_verdict: $fails checks failed"; for f in "$work"/*.board; do echo "--- $f"; cat "$f"; done; }
[ "$fails" = 0 ]
