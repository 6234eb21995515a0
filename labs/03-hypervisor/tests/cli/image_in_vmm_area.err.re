overlaps the VMM's own structures .* link the guest at 0x100000 or above
