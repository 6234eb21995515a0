^vmm: .*/vms\.conf: a and b would both write bytes \[65536, 131072\) of .*: give each VM a slice of its own, or add ,ro to all but one$
