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

# copy_clean FROM TO NAME...: FROM's NAMEs copied into the folder TO,
# without build outputs (build/, build-*/). Not cp -r: a grade in place may
# be building in the reference's labs at the same time (make test runs in
# two lanes).
copy_clean() {
	from=$1 to=$2; shift 2
	mkdir -p "$to" && tar -C "$from" --exclude=build --exclude='build-*' \
		-cf - "$@" | tar -C "$to" -xf -
}

# cache_stats DIR: "HITS MISSES" of the ccache cache in DIR (a hit found
# directly or through the preprocessor).
cache_stats() {
	CCACHE_DIR=$1 ccache --print-stats 2>/dev/null | awk '
		$1 ~ /^(direct|preprocessed)_cache_hit$/ { hit += $2 }
		$1 == "cache_miss" { miss += $2 }
		END { print hit + 0, miss + 0 }'
}

# use_cache DIR: this script's builds (and the grades' builds, whose make
# gets our environment) share the compiler cache DIR, where ccache is
# installed (mk/packages.txt). The cache is the test scripts': it only ever
# holds the instructor's trees and the fixtures' submissions. The grader
# itself never gives a student's build a cache (grade_stages.c says why).
# Paths under $work count relative to the folder a build runs in
# (CCACHE_BASEDIR), so two copies of a tree share their objects: the
# grades' copies go under $work too (TMPDIR). Root's builds and nobody's
# share it (CCACHE_UMASK).
use_cache() {
	[ -x /usr/lib/ccache/cc ] || return 0
	mkdir -p -m 777 "$1"     # (two scripts may make it at once)
	PATH=/usr/lib/ccache:$PATH CCACHE_DIR=$1 CCACHE_BASEDIR=$work \
		CCACHE_NOHASHDIR=1 CCACHE_UMASK=000 \
		CCACHE_SLOPPINESS=include_file_mtime,include_file_ctime
	export PATH CCACHE_DIR CCACHE_BASEDIR CCACHE_NOHASHDIR CCACHE_UMASK CCACHE_SLOPPINESS
}

# in_lanes: make test's lanes hold honesty.sh (LANES_DIR/steps lists them).
in_lanes() {
	[ -n "${LANES_DIR:-}" ] && grep -qE '(^|/)honesty\.sh$' "$LANES_DIR/steps" 2>/dev/null
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
