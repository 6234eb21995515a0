^Utilization \(sampled over 0.3 s\)$
^  => Over 0.3 s, [0-9]+% of [0-9]+ CPUs? sat idle and [0-9.]+ of [0-9.]+ GiB were free: (room for other tenants|some room left|this server is busy)\.$
