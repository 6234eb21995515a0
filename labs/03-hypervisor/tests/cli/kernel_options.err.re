^vmm: --kernel takes --mem, --cpus, --timeout, --initrd and --cmdline \(no --mode, --entry, --disk\)$
