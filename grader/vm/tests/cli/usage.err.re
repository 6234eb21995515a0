^labvm: --cpus: expected 1..16, got '0'$
^usage: labvm run
