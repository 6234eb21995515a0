"cpuset":"4-7"
"vmm_disk":"disk.img:42949672960:64424509440"
"cpu_max":null
"image_size":107374182400
"rejected":\[
