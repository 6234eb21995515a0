# narrate.sh: the voice of the tour (`make run`). Source it from a lab's tour.
#   step "Lab 01 · What is a server?"   a heading
#   say  "text ..."                     a paragraph, wrapped to the terminal
#   show CMD ARG...                     print the command, then run it
if [ -t 1 ]; then B=$(printf '\033[1m'); D=$(printf '\033[2m'); N=$(printf '\033[0m'); else B= D= N=; fi
step() { printf '\n%s══ %s ══%s\n' "$B" "$*" "$N"; }
say()  { printf '%s\n' "$*" | fold -s -w "${COLUMNS:-78}"; }
# Each word as a shell would need it typed: quoted when it holds a space or
# any other character the shell reads, so that a printed line can be pasted.
quote() {
	case $1 in
	*[!A-Za-z0-9_./:=@%+,-]* | '') printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*) printf '%s' "$1" ;;
	esac
}
show() {
	line=
	for w; do line="$line${line:+ }$(quote "$w")"; done
	printf '%s$ %s%s\n' "$D" "$line" "$N"
	"$@"
}
