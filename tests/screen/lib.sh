# lib.sh — helpers for the tmux screen tests (sourced by tests/screen/test_*.sh).
#
# Each test starts the program in a detached tmux server on its own socket, types with
# send-keys and asserts on capture-pane text, polling with a deadline instead of sleeping.
# The server is always killed on exit. Output is TAP.

top_builddir=${top_builddir:-$(pwd)}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
FIXTURE=$top_builddir/tests/screen/ui_fixture
TAP_N=0
TAP_FAILED=0

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..1"
	echo "not ok 1 - tmux is not installed: the screen tests need it (apt-get install tmux;" \
		"./run.sh test installs it)"
	exit 1
fi

SOCK_BASE="wbscreen-$$-$(basename "$0" .sh)"
SOCK_N=0
SOCK=$SOCK_BASE-0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wbscreen.XXXXXX")
tm() { tmux -u -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
	tm kill-server >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ok STATUS NAME: one TAP point; on failure the last screen is shown as comments.
ok() {
	TAP_N=$((TAP_N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $TAP_N - $2"
	else
		echo "not ok $TAP_N - $2"
		TAP_FAILED=$((TAP_FAILED + 1))
		if [ -f "$WORK/last" ]; then
			echo "#   screen was:"
			sed 's/^/#   /' "$WORK/last"
		fi
	fi
}

done_testing() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" = 0 ]
}

# start [VAR=value...] -- PROGRAM [ARGS...]: runs it in a fresh 120x36 session (COLS/ROWS
# override). When the program exits the pane shows "[exited N]". Never inherits NO_COLOR.
start() {
	envs=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs '$1'"
		shift
	done
	shift
	cmd=""
	for a in "$@"; do
		cmd="$cmd '$a'"
	done
	mkdir -p "$WORK/home" "$WORK/state"
	# a fresh server on a fresh socket: a dying one could still hold the old socket
	tm kill-server >/dev/null 2>&1
	SOCK_N=$((SOCK_N + 1))
	SOCK=$SOCK_BASE-$SOCK_N
	tm new-session -d -x "${COLS:-120}" -y "${ROWS:-36}" \
		"env -u NO_COLOR LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME='$WORK/home' XDG_STATE_HOME='$WORK/state' $envs $cmd; echo \"[exited \$?]\"; sleep 600"
}

keys() { tm send-keys "$@"; }
# literal text (no key-name lookup)
type_text() { tm send-keys -l "$1"; }

screen() { tm capture-pane -p > "$WORK/last" 2>/dev/null; cat "$WORK/last"; }

# poll SECONDS COMMAND...: reruns COMMAND until it succeeds or SECONDS have passed.
poll() {
	deadline=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}
screen_has() { screen | grep -Eq -- "$1"; }
screen_lacks() { ! screen_has "$1"; }
line_has() { screen | sed -n "${1}p" | grep -Eq -- "$2"; }

# wait_for PATTERN [SECONDS]: until an extended regex matches somewhere on the screen.
wait_for() { poll "${2:-10}" screen_has "$1"; }
# wait_line N PATTERN [SECONDS]: until screen line N matches.
wait_line() { poll "${3:-10}" line_has "$1" "$2"; }
# wait_gone PATTERN [SECONDS]: until nothing on the screen matches.
wait_gone() { poll "${2:-10}" screen_lacks "$1"; }

# check NAME PATTERN [SECONDS] / check_line NAME N PATTERN [SECONDS]: a TAP point each.
check() {
	wait_for "$2" "${3:-10}"
	ok $? "$1"
}
check_line() {
	wait_line "$2" "$3" "${4:-10}"
	ok $? "$1"
}
