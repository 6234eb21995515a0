#!/bin/sh
# vm.sh: labvm's own tests (make -C vm test), when vm/ is there, as a step
# of make test's lanes (../mk/lanes.sh).
vm=$(dirname "$0")/../vm
[ ! -f "$vm/Makefile" ] || exec ${MAKE:-make} --no-print-directory -C "$vm" test
