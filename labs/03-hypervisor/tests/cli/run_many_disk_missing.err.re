^vmm: a: open /.*/none\.img: No such file or directory$
