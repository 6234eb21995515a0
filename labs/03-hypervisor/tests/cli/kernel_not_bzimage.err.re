^vmm: build/guest/long/hello.elf: not a bzImage \(no "HdrS" setup header at 0x202\)$
