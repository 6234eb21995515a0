^usage: vmm probe \[--json\]$
