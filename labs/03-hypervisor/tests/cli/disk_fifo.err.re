^vmm: --disk: the disk must be a regular file \(.*/disk\.img\)$
