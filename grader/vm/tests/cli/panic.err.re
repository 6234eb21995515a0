^labvm: the guest kernel panicked: Kernel panic - not syncing: 
^labvm: the machine's console ended with:
