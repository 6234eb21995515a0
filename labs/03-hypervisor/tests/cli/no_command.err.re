^vmm: no command \(probe, run or help\)$
