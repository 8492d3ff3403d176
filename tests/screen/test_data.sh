#!/bin/sh
# The Data pane over the fixture's known 1000-row frame: tab line, title, headers, cells,
# sidebar statistics, cursor movement, search, and sorting through a logged command.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/screen/lib.sh"

start -- "$FIXTURE"
check_line "tab line lists the six panes" 1 \
	'^┌ Data │ Graph │ Results │ Segments │ Timeline │ Funnel ─'
check "title shows the dataset and its size" 'dataset: fixture 1000×6 ┐$'
check_line "column headers" 2 '│ +id  score  genre  premium  play count  joined +│'
check_line "kinds under the names" 3 '│ +num +num  cat +bin +num  date +│'
check_line "row 2 cells: numbers right-aligned, levels and dates left" 5 \
	'│    2    2    3\.7  pop          0          10  2022-01-02 '
check "sidebar names the current column" '│id +│$'
check "sidebar shows the mean of id (1..1000)" '│mean +500\.5 │$'
check "sidebar shows the median of id" '│median +500\.5 │$'
check "status shows the cursor cell" 'row 1 of 1000 · col 1 of 6'

keys j j l
check "j j l moves the cursor to row 3, column 2" 'row 3 of 1000 · col 2 of 6'
check "sidebar follows the cursor column" '│score +│$'
check "score has 20 missing cells" '│missing +20 │$'
keys l l
check "binary column: counts of 0 and 1" '│0 +666 │$'
check "binary column: one histogram bar per value" '│1 +█+[▏▎▍▌▋▊▉]? +│$'
wait_gone '│2 +│$'
ok $? "binary column: no third bar"
keys h h

keys G
check "G goes to the last row" 'row 1000 of 1000'
check "last row: id 1000, missing score shown as ·" '│ 1000 +1000 +· +folk '
keys g
check "g goes back to the top" 'row 1 of 1000 · col 2 of 6'

keys l
type_text '/'
check "/ opens the search prompt" '│ /  +│$'
type_text 'jazz'
keys Enter
check "search finds the next jazz in the genre column" 'row 3 of 1000 · col 3 of 6'
keys n
check "n repeats the search" 'row 7 of 1000 · col 3 of 6'
keys N
check "N searches backwards" 'row 3 of 1000 · col 3 of 6'
type_text '/'
type_text 'blues'
keys Enter
check "a search without match says so" 'not found in genre: blues'

keys h S
check "S runs a logged sort command" '│ wb> sort score desc +│$'
check_line "sorting reorders the first visible row (score 10 first)" 4 \
	'│    1 +31 +10  jazz '
check "the sort's note lands in the log" 'sorted by score \(descending\)'
keys l l l s
check "s quotes a column name with a space" '│ wb> sort "play count" +│$'
check_line "ascending by play count: zeros first" 4 '│    1 +[0-9]+ +[0-9.·]+ +[a-z]+ +[01] +0  20[0-9]{2}-'

keys q
check "q quits (nothing unsaved)" '^\[exited 0\]'
done_testing
