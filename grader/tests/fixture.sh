# fixture.sh: sourced by the grader's test scripts. make_tree DIR LAB...
# builds a reference tree in DIR from the fixture labs named (mk/ copied,
# grader/include linked) for build/grade --ref DIR.
GRADER=$(cd "$(dirname "$0")/.." && pwd)
TOP=$(cd "$GRADER/.." && pwd)
GRADE=$GRADER/build/grade
fails=0

make_tree() {
	dir=$1; shift
	mkdir -p "$dir/labs" "$dir/grader" || exit 1
	for lab in "$@"; do
		cp -r "$GRADER/tests/fixture/labs/$lab" "$dir/labs/" || exit 1
	done
	cp -r "$TOP/mk" "$dir/" && ln -s "$GRADER/include" "$dir/grader/include" || exit 1
}

# check WHAT CONDITION...: one line per claim, counted.
check() {
	what=$1; shift
	if "$@"; then
		echo "  ok   $what"
	else
		echo "  FAIL $what"
		fails=$((fails + 1))
	fi
}

jq_true() { jq -e "$@" >/dev/null; }   # jq_true FILTER FILE: FILTER is true
