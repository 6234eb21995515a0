^vmm: open /nonexistent/guest.elf: No such file or directory$
