"cpu_max":"200000 100000"
"cpu_max":"100000 100000"
"cpu_ratio_milli":2000
