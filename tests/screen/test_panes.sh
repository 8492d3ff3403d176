#!/bin/sh
# Panes, help overlay, results, errors in colour, resize and NO_COLOR.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/screen/lib.sh"

ESC=$(printf '\033')
# An SGR sequence that sets a foreground or background colour (30-37, 38;…, 40-47, 90-97 …).
COLOUR_SGR="$ESC\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m"

start -- "$FIXTURE"
check "starts in the Data pane" 'dataset: fixture 1000×6'
keys Tab
check "Tab shows the Graph pane and names its commands" \
	'No graph yet: n adds a node, or `graph load PATH`, or `discover pc`'
keys 4
check "4 shows the Segments pane" '`segment kmeans` will fill it'
keys BTab
check "Shift-Tab goes back (Results, empty)" 'No results yet'
keys 5
check "Timeline names the bandit commands" 'No simulation yet: `bandit new`'
keys 6
check "Funnel names funnel build" '`funnel build` will fill it'
keys 1

keys '?'
check "? opens the help overlay for the Data pane" 'Help: Data pane'
check "help lists the pane's keys" 'sort by the current column ascending / descending'
check "help shows the host's command help below" 'fixture commands:'
keys q
wait_gone 'Help: Data pane'
ok $? "q closes the help overlay"
keys F1
check "F1 opens it too" 'Help: Data pane'
keys Escape
wait_gone 'Help: Data pane'
ok $? "Esc closes it"

type_text ':'
type_text 'table'
keys Enter
check "a result with rows switches to the Results pane" '│ fixture table  3×2 · result 1 of 1 · \[ \] earlier/later'
check "its command is shown" 'wb> table'
check "headers and numbers are aligned" 'name +value'
check "cells" 'alpha +1\.5 '
check "cells (wider number right-aligned)" 'beta +22\.25 '
check "notes below the table" 'a note under the table'
check "the log has the result in short" '→ fixture table  \(3×2\)'

type_text ':'
type_text 'note hello-note'
keys Enter
check "a note-only result stays in the log" '→ hello-note'
check "…and the Results pane keeps the table" 'alpha +1\.5'
keys '['
check "[ shows an earlier result" '│ sort|│ note|result 1 of'
keys ']' ']' ']'
check "] comes back to the latest" 'hello-note'

type_text ':'
type_text 'wide'
keys Enter
check "a wide result shows its first columns" 'column_00 +column_01'
check "first row" '│ +0 +1 +2 +3 '
keys j j
check "j scrolls the rows" '│ +200 +201 +202 '
keys l
check "l scrolls the columns" '│ column_01 +column_02'
keys G
check "G shows the last rows" '│ +9901 +9902 '
keys '['
check "[ goes back to the earlier result" 'hello-note'

type_text ':'
type_text 'fail'
keys Enter
check "errors are logged" 'error: fail: this command always fails'
tm capture-pane -p -e > "$WORK/esc"
grep 'error: fail' "$WORK/esc" | grep -Eq "$ESC\\[([0-9;]*;)?31(;[0-9;]*)?m"
ok $? "errors are red"

type_text ':'
type_text 'unknown-thing'
keys Enter
check "unknown commands report the host's message" 'error: unknown command: unknown-thing'

type_text ':'
type_text 'ta'
keys Tab
check "Tab completes through host->complete" '│ wb> table +│$'
keys Escape
check "Esc leaves the command line and clears it" '│ wb> +│$'
type_text ':'
keys Up
check "Up recalls the previous command" '│ wb> unknown-thing +│$'
keys Up
check "Up again goes further back" '│ wb> fail +│$'
keys C-u Escape

keys 1
tm resize-window -x 72 -y 20
check_line "resize: the tab line is redrawn at the new width" 1 '^┌ Data │ Graph │ Results │ .*┐$'
check_line "resize: the bottom line is at row 20" 20 '^└.*┘$'
wait_gone '│numeric +│'
ok $? "resize: the sidebar hides on a narrow terminal"
tm resize-window -x 120 -y 36
check_line "resize back: sidebar again" 3 '│numeric +│$'
keys q
check "q quits" '^\[exited 0\]'

# NO_COLOR: no colour escape anywhere, but the cursor stays visible (reverse video).
start NO_COLOR=1 -- "$FIXTURE"
check "NO_COLOR run starts" 'dataset: fixture 1000×6'
type_text ':'
type_text 'fail'
keys Enter
check "NO_COLOR run logs the error" 'error: fail'
tm capture-pane -p -e > "$WORK/esc"
[ -s "$WORK/esc" ] && ! grep -Eq "$COLOUR_SGR" "$WORK/esc"
ok $? "NO_COLOR: no colour sequences on screen"
grep -q "${ESC}\\[7m" "$WORK/esc"
ok $? "NO_COLOR: the cursor cell is in reverse video"
keys q

# with colour, the same screen has colours
start -- "$FIXTURE"
check "colour run starts" 'dataset: fixture 1000×6'
tm capture-pane -p -e > "$WORK/esc"
grep -Eq "$COLOUR_SGR" "$WORK/esc"
ok $? "without NO_COLOR the kinds and borders are coloured"
done_testing
