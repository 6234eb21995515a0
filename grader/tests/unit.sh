#!/bin/sh
# unit.sh: the grader's unit tests (make unit), as a step of make test's
# lanes (../mk/lanes.sh).
exec ${MAKE:-make} -s --no-print-directory -C "$(dirname "$0")/.." unit
