^vmm: .*/vms\.conf: 2097152 bytes, over vmm's limit of 1 MiB for this file$
