^vmm: --initrd and --cmdline go with --kernel$
