^  accelerator +(tcg|kvm)
^  kernel cache +/.*: Debian kernel 
^labvm is ready
