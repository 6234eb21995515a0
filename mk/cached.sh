#!/bin/sh
# mk/cached.sh COMMAND [ARG ...]: COMMAND with this tree's compiler cache
# (build/ccache), where Debian's ccache is installed (mk/packages.txt).
#
# The labs' builds in `make test` and the slides' share it (the decks build
# every lab too). Only this tree's own builds use it; the grader's tests
# keep caches of their own, and a student's build never gets one
# (grader/README.md, "Checking the stages").
#
# Paths count relative to the tree (CCACHE_BASEDIR), and the folder a file
# is compiled in does not (CCACHE_NOHASHDIR: -g would put it in): a copy of
# these labs elsewhere, built with CCACHE_BASEDIR at its own top, finds the
# same objects (grader/tests/honesty_student.sh's finished student tree).
top=$(cd "$(dirname "$0")/.." && pwd)
if [ -x /usr/lib/ccache/cc ]; then
	PATH=/usr/lib/ccache:$PATH CCACHE_DIR=$top/build/ccache CCACHE_MAXSIZE=2G
	CCACHE_BASEDIR=$top CCACHE_NOHASHDIR=1
	export PATH CCACHE_DIR CCACHE_MAXSIZE CCACHE_BASEDIR CCACHE_NOHASHDIR
fi
exec "$@"
