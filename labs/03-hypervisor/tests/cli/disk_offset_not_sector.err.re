^vmm: --disk: OFFSET and SIZE must be whole 512-byte sectors, not '100:512'$
