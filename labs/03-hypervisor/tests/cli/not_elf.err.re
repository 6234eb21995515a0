^vmm: build/guest/real/hello.bin: not an ELF file
