#!/bin/sh
# Golden tests: every tests/golden/NAME.wb is run in batch by the real binary, in a fresh
# directory holding links to sample-data/ and tests/data/, and compared with
#   NAME.out   expected standard output (plain text); numbers in it and in NAME.json agree
#              when they agree to 6 significant digits (tests/golden/numdiff.c)
#   NAME.json  expected standard output with --json (optional)
#   NAME.err   expected standard error; its presence means the run must exit with status 1
# Emits TAP. With WB_VALGRIND=1 every run is under valgrind, and leaks or memory errors fail.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir/build}
bin=$top_builddir/whybench
numdiff=$top_builddir/tests/golden/numdiff
golden=$top_srcdir/tests/golden
run_prefix=""
if [ "${WB_VALGRIND:-0}" = 1 ]; then
	run_prefix="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
fi
n=0
fail=0
point() { # status description
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for script in "$golden"/*.wb; do
	[ -f "$script" ] || continue
	name=$(basename "$script" .wb)
	dir=$work/$name
	mkdir -p "$dir"
	ln -s "$top_srcdir/sample-data" "$dir/sample-data"
	ln -s "$top_srcdir/tests/data" "$dir/data"
	cp "$script" "$dir/$name.wb"
	for mode in text json; do
		want=$golden/$name.out
		flag=""
		if [ $mode = json ]; then
			want=$golden/$name.json
			flag=--json
			[ -f "$want" ] || continue
		fi
		# shellcheck disable=SC2086
		(cd "$dir" && $run_prefix "$bin" $flag -b "$name.wb" >"$dir/stdout" 2>"$dir/stderr")
		status=$?
		if [ -f "$golden/$name.err" ]; then
			[ $status = 1 ]
			point $? "$name ($mode): exits with status 1 (got $status)"
			diff -u "$golden/$name.err" "$dir/stderr" >"$dir/diff" 2>&1
			s=$?
			point $s "$name ($mode): standard error as expected"
			[ $s = 0 ] || sed 's/^/# /' "$dir/diff"
		else
			[ $status = 0 ]
			s=$?
			point $s "$name ($mode): exits with status 0 (got $status)"
			[ $s = 0 ] || sed 's/^/# /' "$dir/stderr" | head -20
		fi
		# the text as it is, numbers to 6 significant digits (see numdiff.c)
		"$numdiff" "$want" "$dir/stdout" >"$dir/diff" 2>&1
		s=$?
		[ $s = 0 ] || diff -u "$want" "$dir/stdout" >>"$dir/diff" 2>&1
		point $s "$name ($mode): output as expected"
		[ $s = 0 ] || sed 's/^/# /' "$dir/diff" | head -40
	done
done
echo "1..$n"
exit $fail
