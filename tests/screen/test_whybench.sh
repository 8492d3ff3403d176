#!/bin/sh
# The real program: `whybench FILE.csv` opens the workbench with the file loaded in the Data
# pane, and `load` typed on the command line does the same.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/screen/lib.sh"

WB=$top_builddir/whybench
CSV=$top_srcdir/tests/data/good/semicolon.csv

start -- "$WB" "$CSV"
check_line "whybench opens with the tab line" 1 '^┌ Data │ Graph │ Results │ Segments │ Timeline │ Funnel'
check "the CSV is the active dataset, 3×5" 'dataset: [^ ]+ 3×5 ┐$'
check_line "its header in the Data pane" 2 '│ +name +city +score +joined +member'
check_line "kinds under the names" 3 '│ +cat +cat +num +date +bin'
check_line "first row" 4 '│ +1 +Smith, Ann +Oslo +3\.5 +2023-01-15 +1 '
check_line "missing cells shown as ·" 5 '│ +2 +Bob +· +· +2023-02-01 +0 '
check "the sidebar has statistics of the first column" '│count +3 │$'
keys q
check "q asks first: a loaded dataset is an unsaved workspace" 'Unsaved changes — quit anyway\? \(y/n\)'
keys y
check "y quits whybench" '^\[exited 0\]'

start -- "$WB"
check "whybench opens without a file" '^┌ Data │ Graph'
type_text ':'
type_text "load $CSV"
keys Enter
check "load typed on the command line loads the file" 'dataset: [^ ]+ 3×5 ┐$'
check_line "and the Data pane shows it" 4 '│ +1 +Smith, Ann +Oslo '
keys q
wait_for 'quit anyway|^\[exited' 5
keys y
check "quits" '^\[exited 0\]'
done_testing
