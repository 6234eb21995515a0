^vmm: open /nonexistent/disk.img: No such file or directory$
