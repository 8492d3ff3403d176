/*
 * frame_impl.h — the inside of wb_frame, shared by frame.c, frame_csv.c and frame_stats.c only.
 * Not part of the public interface: other modules use frame.h.
 */
#ifndef WB_FRAME_IMPL_H
#define WB_FRAME_IMPL_H

#include "frame.h"

#include <stdint.h>

typedef struct wb_fcol {
	char *name;
	wb_col_kind kind;
	double *v;     /* nrows values (never NULL: at least one slot is allocated) */
	char **levels; /* categorical: nlevels strings, each its own allocation */
	size_t nlevels;
} wb_fcol;

struct wb_frame {
	size_t nrows, ncols, capcols;
	wb_fcol *cols;
	size_t nattrs;
	char **akeys, **avals;
};

/* Appends a column that takes ownership of name, v (nrows values) and levels (nlevels
 * strings, the array itself included). On WB_ENOMEM everything passed is freed. */
int wb_frame_adopt_column(wb_frame *f, char *name, wb_col_kind kind, double *v, char **levels,
			  size_t nlevels);

/* Copies s (len bytes, need not be terminated) into a new NUL-terminated string; NULL if out of
 * memory. */
char *wb_frame_strndup(const char *s, size_t len);

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
 * Low-Level Date Algorithms", days_from_civil). */
int64_t wb_frame_days_from_civil(int64_t y, unsigned m, unsigned d);

/* ISO 8601 text of a date value (days since 1970-01-01, fractional for times), rounded to the
 * second: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS". Returns buf. */

#endif
