^  Topology          1 socket x 2 cores x 1 thread \(from sysfs\)$
^  Distribution      Debian GNU/Linux 12 \(bookworm\)$
^  /                 ext4 
