#!/bin/sh
# Discovery on the screen: a long bootstrap runs as a job with a progress bar, Ctrl-C cancels
# it (not the program), and a discovered graph's edge table lands in the Results pane.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/screen/lib.sh"

WB=$top_builddir/whybench

start -- "$WB"
check "whybench opens" '^┌ Data │ Graph'
type_text ':'
type_text 'generate lineardag n=200000 p=40 seed=1'
keys Enter
check "a 200000 × 40 dataset is generated" 'dataset: lineardag 200000×40 ┐$' 20
type_text ':'
type_text 'discover pc bootstrap=1000'
keys Enter
check "the bootstrap runs as a job with a progress bar" \
	'job: discover pc[^█░]* [█░]{10} +[0-9]+% ─┘$' 20
keys C-c
check "Ctrl-C cancels discovery" 'error: discover pc: cancelled' 20
wait_gone 'job: discover'
ok $? "the progress bar goes away"
check_line "the program is still running" 1 '^┌ Data │ Graph'
type_text ':'
type_text 'discover pc alpha=0.01 depth=2'
keys Enter
check "the discovered edges are shown in the Results pane" \
	'discover pc on lineardag: [0-9]+ edges over 40 nodes' 30
check "the Results pane shows the last result: the removed adjacencies with their sepsets" \
	'removed adjacencies \(PC\) +[0-9]+×6' 5
check "a removed pair, its separating set and p-value" '│ X1 +X2 +\{\} +0 +[-0-9.]+ +[0-9.]+ ' 5
keys '['
check "[ goes back to the edge table" 'discover pc on lineardag: [0-9]+ edges over 4… +[0-9]+×4 · result 2 of 3' 5
check "an edge row" '│ X[0-9]+ +(->|--) +X[0-9]+ ' 5
keys q
wait_for 'quit anyway|^\[exited' 5
keys y
check "quits" '^\[exited 0\]'
done_testing
