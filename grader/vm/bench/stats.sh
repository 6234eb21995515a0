# stats.sh: sourced by boot.sh and warm.sh. stats FILE: "median min max"
# of the numbers in $tmp/FILE, one a line.
stats() {
	sort -n "$tmp/$1" | awk '{a[NR] = $1} END {
		m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf "%.2f %.2f %.2f\n", m, a[1], a[NR] }'
}
