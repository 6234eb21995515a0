^web1 +2  0-1 +4 GiB +20 GiB +0 B +1024$
^web2 +2  2-3 +4 GiB +20 GiB +20 GiB +1024$
^db +4  4-7 +8 GiB +60 GiB +40 GiB +1024$
