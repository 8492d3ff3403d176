#!/bin/sh
# The Timeline pane on the real program: a campaign simulation started from the command line
# is drawn live (the day counter and the chart change while it runs on the worker thread),
# p pauses it, . steps one day, + changes the speed, and the legend shows value and regret.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/screen/lib.sh"

WB=$top_builddir/whybench

start -- "$WB"
check "whybench opens" '^┌ Data │ Graph'
keys 5
check "the Timeline pane says how to fill it" 'No simulation yet: `bandit new`'
type_text ':bandit new customers=20000; bandit policy add thompson; bandit policy add random; bandit speed 20'
keys Enter
check "a new simulation is ready in the pane" 'day 0 of 365 · ready: p runs · 20 days/s'
check "with a legend line per policy" '━━ thompson'
keys p
check "p runs it: the pane follows while the job runs" 'day [0-9]+ of 365 · running · 20 days/s' 5
check "the status line shows the job" 'job: bandit run'
wait_for 'day [1-9][0-9] of 365 · running' 10
first=$(screen | sed -n '3,30p')
day1=$(screen | sed -n 2p | sed 's/.*day \([0-9]*\) of.*/\1/')
sleep 1
wait_for 'running' 2
second=$(screen | sed -n '3,30p')
day2=$(screen | sed -n 2p | sed 's/.*day \([0-9]*\) of.*/\1/')
[ "$first" != "$second" ]
ok $? "the chart changes while the simulation runs (day $day1, then day $day2)"
[ "${day2:-0}" -gt "${day1:-0}" ]
ok $? "the day counter moves on"
screen | grep -Eq '⣀|⠤|⠒|⠉|⡠|⠔|⠊|⢀|⡀|⠁|⠈|⠑|⠢|⢄'
ok $? "the lines are drawn in braille dots"
check "the legend has value and regret" 'value -?[0-9,]+  regret [0-9,]+'
keys +
check "+ speeds the running simulation up" 'speed: 30 days/s'
keys p
check "p pauses it at the end of a day" 'paused: p goes on' 5
check "the final table of the run lands in the log" '→ bandit campaign: day [0-9]+ of 365'
paused=$(screen | sed -n 2p | sed 's/.*day \([0-9]*\) of.*/\1/')
keys .
check "a step is one more day" "day $((paused + 1)) of 365 · paused" 5
check "and reports each policy's value" "→ day $((paused + 1)): thompson"
keys '?'
check "? shows the pane's keys" 'p / Space +run'
keys q
type_text ':bandit speed max; bandit run'
keys Enter
check "at full speed the year ends soon" 'day 365 of 365 · horizon reached' 20
keys q
check "q asks first: the simulation is unsaved work" 'quit anyway'
keys y
check "quits" '^\[exited 0\]'
done_testing
