#!/bin/sh
# run.sh — the two commands of the README, each self-sufficient on a fresh Debian machine:
#
#   ./run.sh open [FILE...]   install what is missing, build, open the workbench
#                             (on the bundled sample data when no FILE is given)
#   ./run.sh test             install what is missing, build, run every test;
#                             last line: "N passed, N failed"
#
# Also: ./run.sh test --sanitize (the suite under ASan+UBSan, in build-asan/),
#       ./run.sh valgrind (the golden tests under valgrind), ./run.sh build, ./run.sh bench.
set -eu
top=$(cd "$(dirname "$0")" && pwd)
cd "$top"

# Debian packages the build, the tests and the screen need.
PACKAGES="gcc make autoconf automake pkg-config libncurses-dev libreadline-dev libgsl-dev
libopenblas-dev libcsv-dev libxgboost-dev tmux valgrind"

say() { printf 'run.sh: %s\n' "$*" >&2; }

install_missing() {
	missing=""
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		say "missing Debian packages:$missing — run as root, or: sudo apt-get install$missing"
		exit 1
	fi
	say "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing >&2
}

# build DIR [configure options...]: autoreconf when needed, configure once, make.
build() {
	dir=$1
	shift
	if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
		mkdir -p build-aux
		autoreconf -fi >&2
	fi
	# The TAP driver ships with automake but is not copied by autoreconf.
	if [ ! -f build-aux/tap-driver.sh ]; then
		cp "$(ls -d /usr/share/automake-*/tap-driver.sh | tail -n 1)" build-aux/
	fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ configure -nt "$dir/Makefile" ]; then
		(cd "$dir" && "$top/configure" --quiet "$@" >&2)
	fi
	make -C "$dir" -s -j"$(nproc)" >&2
}

# Prints "N passed, N failed" for the test logs in DIR; returns 1 if any failed.
summary() {
	awk '
		/^# (PASS|XFAIL|SKIP):/ { pass += $3 }
		/^# (FAIL|XPASS|ERROR):/ { fail += $3 }
		END { printf "%d passed, %d failed\n", pass, fail; exit fail ? 1 : 0 }
	' "$1"
}

run_tests() {
	dir=$1
	shift
	build "$dir" "$@"
	status=0
	make -C "$dir" -s -j"$(nproc)" check >&2 || status=$?
	if [ ! -f "$dir/test-suite.log" ]; then
		say "the test suite did not run (make check exited $status)"
		echo "0 passed, 1 failed"
		return 1
	fi
	summary "$dir/test-suite.log" || status=1
	if [ "$status" != 0 ]; then
		say "failures: see $dir/test-suite.log"
		grep -hE '^(not ok|# *got|# *want)' "$dir"/tests/*/*.log 2>/dev/null | head -40 >&2 || true
	fi
	return "$status"
}

cmd=${1:-open}
[ $# -gt 0 ] && shift
case "$cmd" in
open)
	install_missing
	build build
	if [ $# -eq 0 ]; then
		set -- sample-data/start.wb
	fi
	exec ./build/whybench "$@"
	;;
test)
	install_missing
	if [ "${1:-}" = --sanitize ]; then
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
			run_tests build-asan --enable-sanitizers
	else
		run_tests build
	fi
	;;
valgrind)
	install_missing
	build build
	rm -f build/valgrind-suite.log
	make -C build -s check TESTS="$(make -C build -s print-golden-tests)" \
		TEST_SUITE_LOG=valgrind-suite.log WB_VALGRIND=1 >&2 || true
	summary build/valgrind-suite.log
	;;
build)
	install_missing
	build build
	;;
bench)
	install_missing
	build build
	make -C build -s bench
	;;
*)
	say "usage: ./run.sh open [FILE...] | test [--sanitize] | valgrind | build | bench"
	exit 2
	;;
esac
