^vmm: build[-a-z]*/guest/real/hello.bin: not an ELF file
