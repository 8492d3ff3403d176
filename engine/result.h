/*
 * result.h — the one output type: a titled table of typed cells plus notes.
 *
 * Every analytic command fills a wb_result; the results pane, plain-text and JSON output,
 * `export` and the tests all read the same object. A cell is empty (null), a number, a string,
 * or a set of strings (a set of graph nodes, say). Strings passed in are copied; the result
 * owns everything it holds. Functions that add return 0 or WB_ENOMEM.
 */
#ifndef WB_RESULT_H
#define WB_RESULT_H

#include <stddef.h>

typedef struct wb_result wb_result;

typedef enum { WB_CELL_NULL = 0, WB_CELL_NUM, WB_CELL_STR, WB_CELL_SET } wb_cell_kind;

typedef struct wb_cell {
	wb_cell_kind kind;
	double num;      /* WB_CELL_NUM */
	char *str;       /* WB_CELL_STR */
	char **set;      /* WB_CELL_SET: nset strings */
	size_t nset;
} wb_cell;

/* New empty result with a title; NULL if out of memory. Free with wb_result_free (NULL ok). */
wb_result *wb_result_new(const char *title);
void wb_result_free(wb_result *r);

/* The command text that produced the result (set by the command layer); copied. */
int wb_result_set_command(wb_result *r, const char *command);
int wb_result_set_title(wb_result *r, const char *title);

/* A hint for the results pane on how to draw the result besides its table: "forest" (rows of
 * effect, ci_low, ci_high drawn as intervals on a common axis), "heatmap" (a grid of numbers
 * in colour: first column the row key, the others the cells). "" or NULL: a table only. The
 * hint is not part of the JSON or text output. Copied. */
int wb_result_set_view(wb_result *r, const char *view);
const char *wb_result_view(const wb_result *r); /* "" if unset */

/* Appends a column; returns its index (>= 0) or WB_ENOMEM. Columns are added before rows. */
int wb_result_add_column(wb_result *r, const char *name);
/* Significant digits used when this column's numbers are shown as text (default 6). */
void wb_result_set_digits(wb_result *r, size_t col, int digits);

/* Appends a row of null cells; returns its index (>= 0) or WB_ENOMEM. */
long wb_result_add_row(wb_result *r);
int wb_result_set_num(wb_result *r, size_t row, size_t col, double x);
int wb_result_set_str(wb_result *r, size_t row, size_t col, const char *s);
int wb_result_set_set(wb_result *r, size_t row, size_t col, const char *const *items, size_t n);

/* Appends a note line (printf format). */
int wb_result_add_note(wb_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *wb_result_title(const wb_result *r);
const char *wb_result_command(const wb_result *r); /* "" if unset */
size_t wb_result_ncols(const wb_result *r);
size_t wb_result_nrows(const wb_result *r);
const char *wb_result_colname(const wb_result *r, size_t col);
int wb_result_digits(const wb_result *r, size_t col);
const wb_cell *wb_result_cell(const wb_result *r, size_t row, size_t col);
size_t wb_result_nnotes(const wb_result *r);
const char *wb_result_note(const wb_result *r, size_t i);

/* The one number formatter. digits > 0: at most that many significant digits, for display
 * (integers up to 1e15 print without a decimal point; NaN prints "NA", infinities "inf"/"-inf").
 * digits == 0: the shortest text that reads back to exactly x (for JSON and files).
 * Always uses '.' as the decimal point whatever the locale. Returns buf. */
char *wb_fmt_num(double x, int digits, char *buf, size_t size);

/* Cell as display text into buf (sets joined as "{A, B}", null as ""). Returns buf. */
char *wb_result_cell_text(const wb_result *r, size_t row, size_t col, char *buf, size_t size);

#endif
