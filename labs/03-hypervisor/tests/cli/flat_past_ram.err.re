does not fit in guest RAM: it needs \[0xfffe0, 0x1
