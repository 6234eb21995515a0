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

[ "$fails" = 0 ] || { echo "hostile_verdict: $fails checks failed"; for f in "$work"/*.board; do echo "--- $f"; cat "$f"; done; }
[ "$fails" = 0 ]
