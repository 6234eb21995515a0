Usage: hostinfo \[--json\]
Exit status: 0 complete report; 1 report printed
