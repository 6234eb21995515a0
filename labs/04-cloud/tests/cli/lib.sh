# lib.sh: sourced by the command-line cases. A fresh database in a temporary
# directory (removed on exit), the clock at 2026-01-01T00:00:00Z.
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export CLOUD_DB="$tmp/cloud.db"
$PROG ${FLEET:+--fleet "$FLEET"} clock set 2026-01-01T00:00:00Z >/dev/null || exit 98
