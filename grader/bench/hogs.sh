# bench/hogs.sh: busy processes for the flake hunts (sourced by
# bench/flake.sh and labs/02-partition/tests/enforce/flake.sh).
#   hogs_start K   K busy loops, each in a session of its own so that the
#                  scheduler's autogroup gives each a full share, as a busy
#                  grading machine would
#   hogs_stop      kill them (the scripts call it from their EXIT trap)
hogs=""
hogs_start() {
	_i=0
	while [ $_i -lt "$1" ]; do
		setsid sh -c 'while :; do :; done' </dev/null >/dev/null 2>&1 &
		hogs="$hogs $!"
		_i=$((_i + 1))
	done
}
hogs_stop() {
	for _p in $hogs; do kill "$_p" 2>/dev/null; done
	hogs=""
}
