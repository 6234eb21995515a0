^web1 +2  0-1 
^web2 +2  0-1 
^  db: needs 4 vCPUs on different cores, 2 cores have room for one more after 2 servers$
