#!/bin/sh
# The committed man page must be what `whybench --man` generates from the command table.
# To refresh it: build/whybench --man > whybench.1
if "$top_builddir/whybench" --man | diff -u "$top_srcdir/whybench.1" - >/tmp/man-sync.$$ 2>&1; then
	echo "ok 1 - whybench.1 matches whybench --man"
else
	echo "not ok 1 - whybench.1 is out of date: run build/whybench --man > whybench.1"
	sed 's/^/# /' /tmp/man-sync.$$ | head -20
fi
rm -f /tmp/man-sync.$$
echo "1..1"
