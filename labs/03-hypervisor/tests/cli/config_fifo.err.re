^vmm: .*/vms\.conf: not a regular file
