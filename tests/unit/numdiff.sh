#!/bin/sh
# The golden comparer: equal text with numbers equal to 6 significant digits passes; a number
# off in the 4th digit, a changed word, or an extra line fails.
nd=$top_builddir/tests/golden/numdiff
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
printf '{"a": [1.0000000001, "X12", -0.5, 2.5e-244]}\n' >"$w/want"
n=0
case_() { # expected-status text name
	n=$((n + 1))
	printf '%s\n' "$2" >"$w/got"
	"$nd" "$w/want" "$w/got" 2>/dev/null
	if [ $? = "$1" ]; then echo "ok $n - $3"; else echo "not ok $n - $3"; fi
}
case_ 0 '{"a": [1.0000000001, "X12", -0.5, 2.5e-244]}' "the same text"
case_ 0 '{"a": [1.00000000010000002, "X12", -0.50000000000000011, 2.5000000000000003e-244]}' \
	"numbers that differ in the last bits"
case_ 1 '{"a": [1.0001, "X12", -0.5, 2.5e-244]}' "a number off in the 4th digit"
case_ 1 '{"a": [1.0000000001, "X13", -0.5, 2.5e-244]}' "a digit inside a word"
case_ 1 '{"a": [1.0000000001, "X12", 0.5, 2.5e-244]}' "a sign"
case_ 1 '{"a": [1.0000000001, "X12", -0.5, 2.5e-244]}
extra' "an extra line"
echo "1..$n"
