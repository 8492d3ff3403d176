/*
 * frame.h — the columnar data table.
 *
 * A wb_frame holds n rows and named columns. Every column is stored as an array of doubles,
 * missing = NaN, whatever its kind:
 *   WB_COL_NUMERIC      the number itself
 *   WB_COL_BINARY       0 or 1 (from 0/1 or true/false in a CSV)
 *   WB_COL_CATEGORICAL  a level code 0 .. nlevels-1; level strings kept in first-seen order
 *   WB_COL_DATE         days since 1970-01-01 UTC, fractional for times (from ISO 8601 text)
 * A frame also carries string attributes (source path, generating scenario, planted truth…).
 *
 * Ownership: objects returned through `**out` or as `wb_frame *` belong to the caller (free
 * with wb_frame_free, which accepts NULL); `const char *` arguments are copied; pointers
 * returned by accessors are borrowed and live as long as the frame is not modified.
 * Errors: 0 or a negative WB_E* code with one line in err naming file, line and problem.
 */
#ifndef WB_FRAME_H
#define WB_FRAME_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "progress.h"
#include "result.h"

typedef struct wb_frame wb_frame;

typedef enum {
	WB_COL_NUMERIC = 0,
	WB_COL_BINARY,
	WB_COL_CATEGORICAL,
	WB_COL_DATE
} wb_col_kind;

/* "numeric", "binary", "categorical", "date". */
const char *wb_col_kind_name(wb_col_kind k);

/* ---- CSV ---- */

typedef struct wb_csv_options {
	char delim;  /* 0: detect from the first lines among ',', ';', '\t' */
	int threads; /* 0: use up to 2 */
} wb_csv_options;

/* Loads a CSV file: header row, then data. Delimiter detection, RFC 4180 quoting (embedded
 * delimiters, quotes and newlines), UTF-8 BOM, CRLF or LF. Missing: empty, NA, N/A, NaN, nan,
 * null, NULL, None. Column kinds are inferred (see top of file). opt may be NULL.
 * On any error nothing is returned (never a half-loaded frame) and err says
 * "PATH:LINE: problem" or "PATH: problem". */
int wb_frame_load_csv(const char *path, const wb_csv_options *opt, wb_frame **out,
		      wb_progress *progress, wb_err *err);

/* Same, from a buffer in memory; name is used in error messages in place of a path. */
int wb_frame_parse_csv(const char *name, const char *buf, size_t len, const wb_csv_options *opt,
		       wb_frame **out, wb_err *err);

/* Writes the frame as CSV (header, then rows; quoting where needed; numbers in the shortest
 * text that reads back exactly; dates as ISO 8601; missing as empty). */
int wb_frame_write_csv(const wb_frame *f, FILE *fp, char delim, wb_err *err);

/* Saves to path atomically (temporary file in the same directory, then rename). */
int wb_frame_save_csv(const wb_frame *f, const char *path, char delim, wb_err *err);

/* ---- building ---- */

/* New frame with nrows rows and no columns; NULL if out of memory. */
wb_frame *wb_frame_new(size_t nrows);
void wb_frame_free(wb_frame *f);

/* Adds (or, if the name exists, replaces) a column of kind numeric, binary or date; values
 * (nrows of them) are copied. WB_EINVAL if a binary column holds anything but 0, 1, NaN. */
int wb_frame_set_column(wb_frame *f, const char *name, wb_col_kind kind, const double *values,
			wb_err *err);
/* Adds or replaces a categorical column: codes index levels (NaN = missing). */
int wb_frame_set_categorical(wb_frame *f, const char *name, const double *codes,
			     const char *const *levels, size_t nlevels, wb_err *err);
int wb_frame_drop_column(wb_frame *f, const char *name, wb_err *err);

/* New frame holding rows idx[0..n-1] of f, in that order (rows may repeat: bootstrap).
 * Columns, kinds, levels and attributes are kept. NULL if out of memory. */
wb_frame *wb_frame_take_rows(const wb_frame *f, const size_t *idx, size_t n);
wb_frame *wb_frame_copy(const wb_frame *f);

/* String attributes; value NULL removes. wb_frame_attr returns NULL when absent. */
int wb_frame_set_attr(wb_frame *f, const char *key, const char *value);
const char *wb_frame_attr(const wb_frame *f, const char *key);
size_t wb_frame_nattrs(const wb_frame *f);
const char *wb_frame_attr_key(const wb_frame *f, size_t i);

/* ---- access ---- */

size_t wb_frame_nrows(const wb_frame *f);
size_t wb_frame_ncols(const wb_frame *f);
const char *wb_frame_colname(const wb_frame *f, size_t j);
/* Column index by exact name, or -1. */
long wb_frame_col_index(const wb_frame *f, const char *name);
wb_col_kind wb_frame_col_kind(const wb_frame *f, size_t j);
const double *wb_frame_col(const wb_frame *f, size_t j);
size_t wb_frame_nlevels(const wb_frame *f, size_t j);
const char *wb_frame_level(const wb_frame *f, size_t j, size_t k);
/* Level code of a string in a categorical column, or -1. */
long wb_frame_level_index(const wb_frame *f, size_t j, const char *level);

/* Display text of cell (i, j): numbers via wb_fmt_num(…, 6), levels, ISO dates, "" if
 * missing. Returns buf. */
char *wb_frame_cell_text(const wb_frame *f, size_t i, size_t j, char *buf, size_t size);

/* A date value (days since 1970-01-01) as ISO 8601: "2024-03-18", with "THH:MM[:SS]" when it
 * has a time of day; "" for missing. Returns buf. */
char *wb_frame_fmt_date(double days, char *buf, size_t size);

/* ---- statistics ---- */

typedef struct wb_colstats {
	size_t count, missing;          /* non-missing and missing cells */
	double mean, sd;                /* sd with n-1; NaN for categorical */
	double min, q1, median, q3, max;/* quartiles by linear interpolation (type 7, as pandas) */
	size_t nlevels;                 /* categorical: number of levels */
	size_t top[3], top_count[3];    /* categorical/binary: most frequent codes and counts */
	size_t ntop;
} wb_colstats;

int wb_frame_column_stats(const wb_frame *f, size_t j, wb_colstats *out, wb_err *err);

/* Summary table, one row per column (cols NULL or ncols 0: all columns), with columns
 * column, kind, count, missing, mean, sd, min, 25%, 50%, 75%, max, top — top lists the most
 * frequent levels as "level (count)". *out is a new result. */
int wb_frame_describe(const wb_frame *f, const size_t *cols, size_t ncols, wb_result **out,
		      wb_err *err);

/* Histogram of column j into nbins equal bins over [min, max] (categorical: one bin per
 * level, nbins ignored beyond nlevels). counts has nbins entries; *lo, *hi receive the range.
 * Returns the number of bins used. */
long wb_frame_histogram(const wb_frame *f, size_t j, size_t nbins, size_t *counts, double *lo,
			double *hi);

/* Stable ordering of the rows by column j (categorical: by level text; missing last) into
 * idx (nrows entries). */
int wb_frame_sort_index(const wb_frame *f, size_t j, int descending, size_t *idx, wb_err *err);

#endif
