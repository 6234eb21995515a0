^vmm: open /nonexistent/a\\x1b\[2Jb\.elf: No such file or directory$
