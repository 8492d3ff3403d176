#!/bin/sh
# The Results pane draws estimates: the compare result as intervals side by side on one axis
# (a forest), the unobserved-confounder grid as a coloured heatmap, refutation verdicts in
# colour.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/screen/lib.sh"

WB=$top_builddir/whybench
cat >"$WORK/study.wb" <<'WB'
set seed 3
generate musicapp n=3000
estimate PersonalizedRecommendation HoursOfContentConsumed method=naive
estimate PersonalizedRecommendation HoursOfContentConsumed adjust=UserEngagementLevel,PreferredContentType
refute placebo n=30
refute unobserved kappa_t=0,0.25,0.5 kappa_y=0,0.25,0.5
compare truth=1
WB

# colour_has PATTERN: the screen with its escape sequences matches the extended regex
colour_has() { tm capture-pane -e -p | grep -Eq -- "$1"; }

start -- "$WB" "$WORK/study.wb"
check "the study ran" 'dataset: musicapp 3000×5 ┐$'
keys Tab Tab
check "the Results pane shows the comparison last" 'compare: estimates of PersonalizedRecommen'
check "the naive interval is drawn as a bar with its estimate" '│ naive \(ATE\) +1\.135 \[1\.056, 1\.214\] +├─*●─*┤'
check "the adjusted one beside it on the same axis" '│ regression \(ATE\) +[0-9.]+ \[[0-9.]+, [0-9.]+\] +├─*●─*┤'
check "under them the common axis" '95% intervals, one axis: └─+┘'
keys '['
check "[ goes to the heatmap of the sensitivity grid" 'refute unobserved: effect of'
check "every cell carries a shade glyph" '│ 0\.5 +[█▓▒░] 1\.[0-9]+ +[█▓▒░] 0\.[0-9]+ +[█▓▒░] 0\.[0-9]+'
check "and the scale is stated" 'scale: ░ [0-9.]+ \(low\) … █ [0-9.]+ \(high\)'
poll 5 colour_has '30m.\[4[1-4]m'
ok $? "heatmap cells are coloured (background colours from the heat palette)"
keys '['
check "[ again: the placebo refutation" 'refute placebo: PersonalizedRecommendation'
check "its verdict" '│ placebo +[0-9.]+ +-?[0-9.e-]+ +[0-9.]+ +[0-9.]+ +passed'
poll 5 colour_has '\[32mpassed'
ok $? "the verdict passed is green"
keys q
wait_for 'quit anyway|^\[exited' 5
keys y
check "quits" '^\[exited 0\]'
done_testing
