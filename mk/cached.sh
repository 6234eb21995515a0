#!/bin/sh
# mk/cached.sh COMMAND [ARG ...]: COMMAND with this tree's compiler cache
# (build/ccache), where Debian's ccache is installed (mk/packages.txt).
#
# The labs' builds in `make test` and the slides' share it (the decks build
# every lab too). Only this tree's own builds use it; the grader's tests
# keep caches of their own, and a student's build never gets one
# (grader/README.md, "Checking the stages").
top=$(cd "$(dirname "$0")/.." && pwd)
if [ -x /usr/lib/ccache/cc ]; then
	PATH=/usr/lib/ccache:$PATH CCACHE_DIR=$top/build/ccache CCACHE_MAXSIZE=2G
	export PATH CCACHE_DIR CCACHE_MAXSIZE
fi
exec "$@"
