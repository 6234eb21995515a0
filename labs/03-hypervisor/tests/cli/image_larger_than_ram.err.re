^vmm: build[-a-z]*/guest/bad/huge.elf: the image does not fit in guest RAM: it needs \[0x10[0-9a-f]{4}, 0x410[0-9a-f]{4}\) but the VM has 16 MiB of RAM; give it more with --mem
