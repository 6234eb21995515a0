broken/proc/cpuinfo:5: expected "key : value"
broken/proc/loadavg:1: expected
broken/sys/devices/system/cpu/cpu0/cache/index2/size:1: expected a size
broken/proc/meminfo:3: 
