# grader/tests/lanes.mk: the grader's make test steps (tests/NAME.sh), by
# lane (mk/lanes.sh). Read by grader/Makefile, for its own make test, and
# by the top Makefile, whose make test runs them in the same lanes as the
# labs' (grader/README.md, "How long make test takes"). Not in a handout
# (grader/tests is not): there both Makefiles do without.
#
# Lane 1: the steps that build in the labs' own folders, one after the
# other (the top Makefile puts lab 03's make test and the slides before
# them): shown.sh, honesty.sh's in-place grade.
# Lane 2: check-stages, on copies of the labs.
# Lane 3: steps that mostly wait (a time limit on purpose, labvm's boots,
# processes to end): beside two busy lanes they cost little CPU.
# Shared: each to whichever lane is free first, the longest first. The
# honesty_*.sh grade at once and wait for honesty.sh's grades only to
# compare (honesty_lib.sh, "own_handout"). (Until they did, gradescope.sh
# went first: a lane free before those grades were made did it meanwhile.)
GRADER_LANE_1 := shown honesty
GRADER_LANE_2 := stages
GRADER_LANE_3 := unit batch vm hostile
GRADER_SHARED := honesty_student honesty_gradescope gradescope honesty_batch \
                 watch hostile_tree docs lanes hostile_secrets hostile_verdict \
                 hostile_jail bonus cpuprof
