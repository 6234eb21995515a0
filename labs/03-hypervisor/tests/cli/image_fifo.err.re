^vmm: .*/guest\.elf: not a regular file
