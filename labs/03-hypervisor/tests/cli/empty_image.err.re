: the image is empty; `vmm run` wants an ELF64 guest
