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
 * Details (the choices this implementation makes):
 *   - Comparisons do not chain: `a < b < c` is an error; write `a < b and b < c`.
 *   - `-2^2` is -4, `2^3^2` is 512, `2^-1` is 0.5 (the exponent may carry a sign).
 *   - `%` is the floored modulo (sign of the divisor, as R and Python): -7 % 3 = 2; x % 0 is
 *     missing. Division by zero gives inf (0/0 missing), log(0) = -inf; log, sqrt of a negative
 *     number are missing.
 *   - round(x) rounds half away from zero; round(x, d) to d decimals (d may be negative).
 *     min and max take two or more arguments. if(c, a, b) is missing where c is missing.
 *   - and/or/not/if treat nonzero as true; and/or follow Kleene's three-valued logic:
 *     false and NA = false, true or NA = true, otherwise missing in gives missing out.
 *   - Strings are "double" or 'single' quoted (\" and \\ escape inside); only == and != compare
 *     them, and only with a categorical column whose levels include them. Two categorical
 *     columns compare (== / !=) by level text. A categorical column may not take part in
 *     arithmetic or logic; alone, it evaluates to its codes.
 *   - Keywords and, or, not, true, false and function names are lower case. Identifiers are
 *     letters, digits, '_', '.' and any non-ASCII byte, not starting with a digit or '.'.
 *   - Binary columns, comparisons, and/or/not, isna, true/false (and if() with two such
 *     branches) are logical.
 *   - Nesting is limited to 256 levels and the tree to 1000 levels of operations.
 *
 * Ownership: wb_expr_parse returns a new wb_expr (free with wb_expr_free, NULL ok).
 * Errors: "expression column C: problem" (C counts characters from 1), e.g.
 * "expression column 5: unknown column 'agee' (did you mean 'age'?)"; WB_EPARSE for syntax,
 * WB_ENOTFOUND for unknown names, WB_EINVAL for type errors (strings, categorical columns).
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
 * columns) into out[0 .. nrows-1]; logical results are 0/1, missing is NaN. Columns are looked
 * up again by name, so f may be a filtered copy; WB_ENOTFOUND if one is gone. The expression is
 * not modified, so threads may evaluate one expression at once. */
int wb_expr_eval(const wb_expr *e, const wb_frame *f, double *out, wb_err *err);

#endif
