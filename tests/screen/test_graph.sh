#!/bin/sh
# The Graph pane on the real whybench: a small graph built by keys (and a few commands) is
# drawn with arrows, the minimal adjustment set for the marked exposure and outcome is shown
# beside it and follows every edit, and z undoes the last edit. Every key lands in the log as
# the graph command it ran.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/screen/lib.sh"

WB=$top_builddir/whybench

# row_of PATTERN: the first screen row (1-based) matching an extended regex, or 0.
row_of() { screen | grep -En -m1 -- "$1" | cut -d: -f1 || echo 0; }
# above A B: the first row matching A is above the first row matching B, with a ▼ between.
above() {
	a=$(row_of "$1")
	b=$(row_of "$2")
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -gt 0 ] && [ "$a" -lt "$b" ] &&
		screen | sed -n "$((a + 1)),$((b - 1))p" | grep -q '▼'
}
# beside A B: A and B on one screen row, A left of B (not_beside: nowhere).
beside() { screen | grep -Eq -- "$1.*$2"; }
not_beside() { ! beside "$1" "$2"; }
# add_node NAME: n, the name, Enter.
add_node() {
	keys n
	wait_for '│ wb> graph node +│' 5
	type_text "$1"
	keys Enter
	wait_for "wb> graph node $1" 5
}
# run CMD: types a command line.
run() {
	type_text ':'
	type_text "$1"
	keys Enter
}

start -- "$WB"
check_line "whybench opens" 1 '^┌ Data │ Graph'
run 'graph new shop'
check "graph new brings up the Graph pane, empty" 'Empty graph: n adds a node'
check "the side panel names the graph" '│ shop · dag'

add_node Z
check "n then a name adds the node: drawn as [Z]" '\[Z\]'
add_node X
add_node Y
check "three nodes" '3 nodes · 0 edges'
check "the cursor is on the node added last" 'node Y · '

# Z X Y sit in one layer; [ and ] step through them in the graph's order
keys '[' '['
check "[ [ takes the cursor to Z" 'node Z · '
keys c
check "c starts an edge at Z" 'edge from Z'
keys ']' c
check "] c draws Z -> X: the command is logged" 'wb> graph edge Z -> X'
check "the side panel counts the edge" '3 nodes · 1 edges'
poll 5 above '\[Z\]' '\[X\]'
ok $? "Z above X, ▼ between them"
keys c ']' c
check "c ] c from X draws X -> Y" 'wb> graph edge X -> Y'
poll 5 above '\[X\]' '\[ *Y *\]'
ok $? "X above Y, ▼ between them"

# roles: o on Y, e on X
keys o
check "o marks the outcome" 'wb> graph role Y outcome'
keys '['
keys e
check "e marks the exposure" 'wb> graph role X exposure'
check "with no confounding the empty set is the minimal adjustment set" '│ ▸ \{\} +│'

# a confounder, by keys: Z -> Y
keys '['
check "the cursor is back on Z" 'node Z · '
keys c ']' ']' c
check "Z -> Y" 'wb> graph edge Z -> Y'
check "the confounder Z is the minimal adjustment set" '│ ▸ \{Z\} +│'
check "the side panel lists the cursor node Y's parents" 'parents +Z, X'

# a command typed on the command line is drawn the same way: a bidirected edge is dashed
run 'graph node U'
run 'graph edge U <-> Z'
check "U <-> Z is drawn dashed" '╌|╎'

# undo by key: U <-> Z goes, then Z -> Y, and the set is empty again
keys z
check "z runs graph undo" 'wb> graph undo'
wait_gone '╌|╎' 5
ok $? "the bidirected edge is gone after undo"
keys z z
check "two more undos remove U and Z -> Y" '4 nodes · 2 edges|3 nodes · 2 edges'
check "the adjustment set shown is empty again" '│ ▸ \{\} +│'
keys Z
check "Z redoes" 'wb> graph redo'
check "and the confounder is back" '│ ▸ \{Z\} +│'

# deleting an edge picks both ends: c at Z, move to Y, d
keys '[' '['
check "cursor on Z" 'node Z · '
keys c ']' ']' d
check "c ] ] d drops the edge Z -> Y" 'wb> graph drop Z -> Y'
check "and the set is empty once more" '│ ▸ \{\} +│'

# a file with edge weights (DOT labels: bootstrap frequencies, say) shows them on the edges
printf 'digraph { A -> B [label=0.83]; A -> C [label=0.5]; }\n' > "$WORK/weights.dot"
run "graph load $WORK/weights.dot"
check "graph load shows the loaded graph" '│ weights · dag'
check "an edge weight is drawn on its edge" '0\.83'
check "the other one too" '0\.50'

# a chain taller than the pane scrolls with the cursor
{
	printf 'digraph {'
	i=0
	while [ $i -lt 15 ]; do
		printf ' N%d -> N%d;' $i $((i + 1))
		i=$((i + 1))
	done
	printf ' }\n'
} > "$WORK/chain.dot"
run "graph load $WORK/chain.dot"
check "a 16-node chain: the top is drawn" '\[N0\]'
screen_lacks '\[N15\]'
ok $? "the bottom is out of sight"
i=0
while [ $i -lt 15 ]; do
	keys j
	i=$((i + 1))
done
check "j moves the cursor down the chain to N15" 'node N15 · '
check "the drawing scrolled: N15 is in sight" '\[N15\]'
screen_lacks '\[N0\]'
ok $? "and N0 has scrolled off"

# the other edge kinds, reversing, orienting, renaming and moving, by keys
run 'graph new kinds'
check "a new graph" '│ kinds · dag'
add_node P
add_node Q
keys '[' b ']' b
check "b … b draws P <-> Q" 'wb> graph edge P <-> Q'
check "drawn dashed" '╌|╎'
keys '[' - ']' -
check "- … - makes it P -- Q (the edge is replaced)" 'wb> graph edge P -- Q'
check "the graph is a pdag now" '│ kinds · pdag'
keys '[' c ']' c
check "c … c orients it: P -> Q" 'wb> graph edge P -> Q'
keys '[' c ']' r
check "c … r reverses it" 'wb> graph reverse P -> Q'
check "Q is now the parent" 'children P|parents +Q'
keys R
wait_for '│ wb> graph rename Q +│' 5
ok $? "R puts graph rename on the command line"
type_text 'Quality'
keys Enter
check "the renamed node is drawn" '\[Quality\]'
run 'graph node S'
check "S, unconnected, sits in Quality's layer" 'wb> graph node S'
poll 5 beside '\[Quality\]' '\[S\]'
ok $? "Quality and S on one row"
keys '['
keys J
check "J moves the cursor node down a layer" 'wb> graph move Quality [-0-9.]+ 1'
wait_for '\[S\]' 5
poll 5 not_beside '\[Quality\]' '\[S\]'
ok $? "Quality no longer beside S"

keys '?'
check "? shows the Graph pane's keys" 'start an edge at the cursor node'
keys q
keys q
wait_for 'quit anyway|^\[exited' 5
keys y
check "quits" '^\[exited 0\]'
done_testing
