^vmm: --kernel takes --mem, --cpus, --timeout, --initrd and --cmdline only$
