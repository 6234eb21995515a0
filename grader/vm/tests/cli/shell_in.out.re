^/.*/grader/vm$
^tests/cli/check.run$
