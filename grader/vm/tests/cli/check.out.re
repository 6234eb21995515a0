^  accelerator +(tcg|kvm)
^  kernel cache +/.*: Debian kernel 
^labvm is ready
^  guest /dev/kvm +present \(modules: irqbypass kvm kvm_(amd|intel)\)$
^  guest cgroup v2 +subtree_control: cpuset cpu memory pids$
