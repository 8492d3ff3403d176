#!/bin/sh
# Jobs on the worker thread (progress bar, Ctrl-C cancels the job and not the program),
# startup lines, quitting (unsaved-changes question, `quit`), history, an empty workspace and
# a 1,000,000-row frame.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/screen/lib.sh"

start -- "$FIXTURE" "table" "note started-up"
check "startup lines run first, as if typed" '│ wb> note started-up +│$'
check "a startup result with rows shows in the Results pane" 'alpha +1\.5'

type_text ':'
type_text 'slow 100'
keys Enter
check "a running job shows a progress bar in the status line" \
	'job: slow 100 [█░]{10} +[0-9]+% ─┘$'
wait_for 'job: slow 100 █+░* +([1-9][0-9]?)% '
ok $? "the bar fills as the job reports progress"
keys j k q
check "other keys wait while a job runs (q did not quit)" 'job: slow 100'
keys C-c
check "Ctrl-C cancels the job" 'error: slow: cancelled' 5
wait_gone 'job: slow'
ok $? "the progress bar goes away"
check_line "the program is still running" 1 '^┌ Data │ Graph'
type_text ':'
type_text 'slow 3'
keys Enter
check "a short job completes" '→ slow 3 finished'
type_text ':'
type_text 'slow 8'
keys Enter
type_text ':'
type_text 'note typed-ahead'
keys Enter
check "keys typed while a job runs are handled once it ends, in order" '→ typed-ahead' 5

type_text ':'
type_text 'dirty'
keys Enter
check "dirty ran" '│ wb> dirty +│$'
keys q
check "q asks first when there are unsaved changes" 'Unsaved changes — quit anyway\? \(y/n\)'
keys n
wait_gone 'Unsaved changes'
ok $? "n keeps the workbench open"
check_line "…still running" 1 '^┌ Data │ Graph'
keys q
check "asks again" 'Unsaved changes — quit anyway\?'
keys y
check "y quits" '^\[exited 0\]'
grep -qx 'dirty' "$WORK/state/whybench/history"
ok $? "commands are saved in \$XDG_STATE_HOME/whybench/history"
! grep -q 'note started-up' "$WORK/state/whybench/history"
ok $? "startup lines are not history"

start -- "$FIXTURE"
check "second session starts" 'dataset: fixture'
type_text ':'
keys Up
check "history comes back in a new session" '│ wb> dirty +│$'
keys C-u
type_text 'quit'
keys Enter
check "the quit command ends the program" '^\[exited 0\]'

# History that cannot be written is not an error.
start XDG_STATE_HOME=/proc/no-such-dir -- "$FIXTURE"
check "unwritable history: starts" 'dataset: fixture'
type_text ':'
type_text 'note fine'
keys Enter
check "unwritable history: commands still run" '→ fine'
keys q
check "unwritable history: quits cleanly" '^\[exited 0\]'

start -- "$FIXTURE" --empty
check "no dataset: the Data pane says how to get one" '`load PATH`'
check "…or generate one" '`generate musicapp`'
check "title says there is no dataset" 'no dataset ┐$'
type_text ':'
type_text 'rows 5'
keys Enter
check "a new dataset appears in the Data pane" 'dataset: fixture 5×6'
keys Tab Tab
type_text ':'
type_text 'rows 7'
keys Enter
check_line "a changed dataset brings the Data pane back" 2 '│ +id  score  genre'
keys q

start -- "$FIXTURE" --rows 1000000
check "a 1,000,000-row frame opens" 'dataset: fixture 1000000×6' 20
keys G
check "G reaches row 1,000,000 at once" 'row 1000000 of 1000000' 3
keys PageUp PageUp PageUp k k k
check "paging up from the bottom" 'row 999919 of 1000000' 3
keys g
check "g back to the top" 'row 1 of 1000000' 3
i=0
while [ $i -lt 30 ]; do
	keys PageDown
	i=$((i + 1))
done
check "30 page-downs scroll without lag" 'row 781 of 1000000' 3
keys q
check "quits" '^\[exited 0\]'

# SIGTERM: the program leaves cleanly and gives the terminal back.
start WB_FIXTURE_PIDFILE="$WORK/pid" -- "$FIXTURE"
check "signal test: starts" 'dataset: fixture'
kill -TERM "$(cat "$WORK/pid")"
check "SIGTERM ends the program with status 0" '^\[exited 0\]'
wait_gone '^┌ Data'
ok $? "…and the terminal is restored (the screen is gone)"
done_testing
