^vmm: --kernel takes --mem, --cpus, --timeout, --initrd, --cmdline and --disk only$
