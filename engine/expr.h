/*
 * expr.h — the small expression language of `derive` and `filter`.
 *
 * Grammar (lowest to highest precedence):
 *   or / ||   and / &&   not / !   == != < <= > >=   + -   * / %   unary -   ^ (right-assoc)
 *   atoms: numbers (1, 2.5, 1e-3), "strings" (compared with categorical levels), column names
 *   (identifiers, or `back quoted` for names with spaces), calls f(x, ...), ( ... ), true, false.
 * Functions: log, exp, sqrt, abs, round, floor, ceil, min, max, if(cond, a, b), isna(x).
 * A missing value (NaN) in gives missing out; comparisons with missing are missing; `isna`
 * tests for it. Categorical columns compare by level text with strings, or by code with numbers.
 *
 * Ownership: wb_expr_parse returns a new wb_expr (free with wb_expr_free, NULL ok).
 * Errors: "expression column C: problem", e.g. "expression column 5: unknown column 'agee'".
 */
#ifndef WB_EXPR_H
#define WB_EXPR_H

#include "err.h"
#include "frame.h"

typedef struct wb_expr wb_expr;

/* Parses text and resolves column names against f. */
int wb_expr_parse(const char *text, const wb_frame *f, wb_expr **out, wb_err *err);
void wb_expr_free(wb_expr *e);

/* Nonzero when the expression yields true/false (comparison, and/or/not, isna, true/false):
 * derive then makes a binary column, filter requires it. */
int wb_expr_is_logical(const wb_expr *e);

/* Evaluates for every row of f (the frame it was parsed against, or one with the same
 * columns) into out[0 .. nrows-1]; logical results are 0/1, missing is NaN. */
int wb_expr_eval(const wb_expr *e, const wb_frame *f, double *out, wb_err *err);

#endif
