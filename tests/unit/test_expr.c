/* Unit tests for engine/expr: precedence, functions, missing values, categorical and date
 * columns, logical detection, and every error message. */
#include "../../engine/err.h"
#include "../../engine/expr.h"
#include "../../engine/frame.h"
#include "../tap.h"

#include <math.h>
#include <stdlib.h>

#define NR 4

/* Rows:            0       1        2      3
 *   age            30      41       NA     25
 *   score          1.5     -2       4      0
 *   treat          1       0        1      NA      (binary)
 *   type           Music   Podcasts Audio. NA      (categorical)
 *   genre          Music   Podcasts Podc.  Music   (categorical, levels in another order)
 *   city           Oslo    Paris    Rome   Turin   (categorical, 7 levels)
 *   day            19000   19500.5  NA     20000   (date)
 *   total spend    10      20       30     40
 *   größe          1       2        3      4 */
static wb_frame *small_frame(void)
{
	wb_frame *f = wb_frame_new(NR);
	wb_err err;
	double age[] = {30, 41, NAN, 25}, score[] = {1.5, -2, 4, 0}, treat[] = {1, 0, 1, NAN};
	double type[] = {0, 1, 2, NAN}, genre[] = {1, 0, 0, 1}, city[] = {0, 2, 4, 6};
	double day[] = {19000, 19500.5, NAN, 20000}, spend[] = {10, 20, 30, 40}, g[] = {1, 2, 3, 4};
	const char *types[] = {"Music", "Podcasts", "Audiobooks"};
	const char *genres[] = {"Podcasts", "Music"};
	const char *cities[] = {"Oslo", "Bergen", "Paris", "Lyon", "Rome", "Milan", "Turin"};
	wb_frame_set_column(f, "age", WB_COL_NUMERIC, age, &err);
	wb_frame_set_column(f, "score", WB_COL_NUMERIC, score, &err);
	wb_frame_set_column(f, "treat", WB_COL_BINARY, treat, &err);
	wb_frame_set_categorical(f, "type", type, types, 3, &err);
	wb_frame_set_categorical(f, "genre", genre, genres, 2, &err);
	wb_frame_set_categorical(f, "city", city, cities, 7, &err);
	wb_frame_set_column(f, "day", WB_COL_DATE, day, &err);
	wb_frame_set_column(f, "total spend", WB_COL_NUMERIC, spend, &err);
	wb_frame_set_column(f, "größe", WB_COL_NUMERIC, g, &err);
	return f;
}

static wb_frame *F;

/* Evaluates text over F into out; returns the status. */
static int run(const char *text, double *out, wb_err *err)
{
	wb_expr *e = NULL;
	wb_err_clear(err);
	int rc = wb_expr_parse(text, F, &e, err);
	if (rc == 0)
		rc = wb_expr_eval(e, F, out, err);
	wb_expr_free(e);
	return rc;
}

/* Checks the value in row 0 (for constant expressions). */
static void value(const char *text, double want)
{
	double out[NR] = {0};
	wb_err err;
	int rc = run(text, out, &err);
	if (!ok(rc == 0, "%s parses and evaluates", text)) {
		printf("#   %s\n", err.msg);
		return;
	}
	if (isinf(want))
		ok(out[0] == want, "%s = %g", text, want);
	else
		near(out[0], want, 1e-12, "%s = %g", text, want);
}

static void rows(const char *text, double w0, double w1, double w2, double w3)
{
	double out[NR] = {0}, want[NR] = {w0, w1, w2, w3};
	wb_err err;
	int rc = run(text, out, &err);
	if (!ok(rc == 0, "%s parses and evaluates", text)) {
		printf("#   %s\n", err.msg);
		return;
	}
	int same = 1;
	for (int i = 0; i < NR; i++)
		if (!(out[i] == want[i] || (isnan(out[i]) && isnan(want[i]))))
			same = 0;
	if (!ok(same, "%s = [%g, %g, %g, %g]", text, w0, w1, w2, w3))
		printf("#   got [%g, %g, %g, %g]\n", out[0], out[1], out[2], out[3]);
}

static void error(const char *text, int code, const char *msg)
{
	double out[NR];
	wb_err err;
	int rc = run(text, out, &err);
	ok(rc == code, "%s fails with code %d (got %d)", text, code, rc);
	streq(err.msg, msg, "message for %s", text);
}

static void test_precedence(void)
{
	value("2^3^2", 512);
	value("-2^2", -4);
	value("2^-1", 0.5);
	value("(-2)^2", 4);
	value("2 * 3 ^ 2", 18);
	value("7 % 3", 1);
	value("-7 % 3", 2);
	value("7 % -3", -2);
	value("7.5 % 2", 1.5);
	value("1 + 2 * 3", 7);
	value("(1 + 2) * 3", 9);
	value("10 - 4 - 3", 3);
	value("100 / 10 / 5", 2);
	value("-3 - -2", -1);
	value("+4 - 1", 3);
	value("1e-3 * 1000", 1);
	value(".5 + 1.", 1.5);
	value("2.5E2", 250);
	value("1 + 1 > 1", 1); /* arithmetic binds tighter than comparison */
	value("not 1 > 2", 1); /* not binds looser than comparison */
	value("! 0", 1);
	value("true or false and false", 1); /* and binds tighter than or */
	value("(true or false) and false", 0);
	value("false || true && true", 1);
	value("not false and false", 0); /* not binds tighter than and */
	value("(1 < 2) == true", 1);
	value("2 >= 2", 1);
	value("2 <= 1.5", 0);
	value("3 != 3", 0);
}

static void test_functions(void)
{
	value("log(exp(2))", 2);
	value("exp(0)", 1);
	value("sqrt(16)", 4);
	value("abs(-3)", 3);
	value("round(2.5)", 3);
	value("round(-2.5)", -3);
	value("round(3.14159, 2)", 3.14);
	value("round(1234, -2)", 1200);
	value("floor(-1.5)", -2);
	value("ceil(-1.5)", -1);
	value("min(3, 1, 2)", 1);
	value("max(3, 1, 2)", 3);
	value("max(-1, -5)", -1);
	value("if(1 > 2, 10, 20)", 20);
	value("isna(1)", 0);
	value("log(0)", -INFINITY);
	value("1 / 0", INFINITY);
	value("log(-1)", NAN);
	value("sqrt(-1)", NAN);
	value("0 / 0", NAN);
	value("5 % 0", NAN);
	rows("if(age > 35, 1, 2)", 2, 1, NAN, 2);
	rows("if(treat, score, -score)", 1.5, 2, 4, NAN);
	rows("isna(age)", 0, 0, 1, 0);
	rows("min(age, score * 20)", 30, -40, NAN, 0);
	rows("max(age, 28, score)", 30, 41, NAN, 28);
	rows("round(age / 7, 1)", 4.3, 5.9, NAN, 3.6);
	rows("abs(score) + floor(score)", 2.5, 0, 8, 0);
}

static void test_missing(void)
{
	rows("age + 1", 31, 42, NAN, 26);
	rows("age", 30, 41, NAN, 25);
	rows("age > 30", 0, 1, NAN, 0);
	rows("age == age", 1, 1, NAN, 1);
	rows("age ^ 0", 1, 1, NAN, 1); /* pow(NaN, 0) would be 1 in C */
	rows("1 ^ age", 1, 1, NAN, 1);
	rows("not treat", 0, 1, 0, NAN);
	/* Kleene logic on row 3 (treat missing). */
	rows("treat and false", 0, 0, 0, 0);
	rows("treat and true", 1, 0, 1, NAN);
	rows("treat or true", 1, 1, 1, 1);
	rows("treat or false", 1, 0, 1, NAN);
	rows("isna(treat) or treat", 1, 0, 1, 1);
	rows("age > 26 and score > 0", 1, 0, NAN, 0);
	rows("3", 3, 3, 3, 3);
	rows("true", 1, 1, 1, 1);
}

static void test_categorical_and_dates(void)
{
	rows("type == \"Podcasts\"", 0, 1, 0, NAN);
	rows("type != 'Music'", 0, 1, 1, NAN);
	rows("\"Music\" == type", 1, 0, 0, NAN);
	rows("type == 2", 0, 0, 1, NAN);     /* by code */
	rows("type >= 1", 0, 1, 1, NAN);     /* codes have an order */
	rows("type == genre", 1, 1, 0, NAN); /* by level text across columns */
	rows("genre != type", 0, 0, 1, NAN);
	rows("isna(type)", 0, 0, 0, 1);
	rows("type", 0, 1, 2, NAN); /* alone: the codes */
	rows("city == \"Turin\" or city == \"Oslo\"", 1, 0, 0, 1);
	rows("(type == \"Music\") + 0", 1, 0, 0, NAN);
	rows("day > 19250", 0, 1, NAN, 1);
	rows("day - 19000", 0, 500.5, NAN, 1000);
	rows("`total spend` / 10", 1, 2, 3, 4);
	rows("größe * 2", 2, 4, 6, 8);
	rows("if(type == \"Music\", `total spend`, 0)", 10, 0, 0, NAN);
}

static void logical(const char *text, int want)
{
	wb_expr *e = NULL;
	wb_err err;
	int rc = wb_expr_parse(text, F, &e, &err);
	ok(rc == 0 && wb_expr_is_logical(e) == want, "%s is %slogical", text, want ? "" : "not ");
	wb_expr_free(e);
}

static void test_logical(void)
{
	logical("age > 1", 1);
	logical("(age > 1)", 1);
	logical("not age", 1);
	logical("age > 1 and score < 2", 1);
	logical("isna(age)", 1);
	logical("true", 1);
	logical("1 < 2", 1); /* folded, still logical */
	logical("treat", 1); /* binary column */
	logical("type == \"Music\"", 1);
	logical("if(age > 1, true, score > 0)", 1);
	logical("age", 0);
	logical("age + 1", 0);
	logical("(age > 1) + 0", 0);
	logical("if(age > 1, 1, 0)", 0);
	logical("1", 0);
	logical("type", 0);
	ok(wb_expr_is_logical(NULL) == 0, "NULL is not logical");
}

static void test_errors(void)
{
	error("agee + 1", WB_ENOTFOUND,
	      "expression column 1: unknown column 'agee' (did you mean 'age'?)");
	error("1 + AGE", WB_ENOTFOUND,
	      "expression column 5: unknown column 'AGE' (did you mean 'age'?)");
	error("1 + zzz", WB_ENOTFOUND, "expression column 5: unknown column 'zzz'");
	error("größe + agee", WB_ENOTFOUND, /* columns count characters, not bytes */
	      "expression column 9: unknown column 'agee' (did you mean 'age'?)");
	error("lg(age)", WB_ENOTFOUND,
	      "expression column 1: unknown function 'lg' (did you mean 'log'?)");
	error("median(age)", WB_ENOTFOUND,
	      "expression column 1: unknown function 'median' (functions: log, exp, sqrt, abs, "
	      "round, "
	      "floor, ceil, min, max, if, isna)");
	error("log(age, 2)", WB_EINVAL, "expression column 1: log() takes 1 argument, got 2");
	error("1 + if(age > 1, 2)", WB_EINVAL,
	      "expression column 5: if() takes 3 arguments, got 2");
	error("min(age)", WB_EINVAL,
	      "expression column 1: min() takes at least 2 arguments, got 1");
	error("round()", WB_EINVAL, "expression column 1: round() takes 1 or 2 arguments, got 0");
	error("(age + 1", WB_EPARSE, "expression column 9: missing ')' to close '(' at column 1");
	error("log(age", WB_EPARSE, "expression column 8: missing ')' to close '(' at column 4");
	error("age + 1)", WB_EPARSE, "expression column 8: unmatched ')'");
	error(")", WB_EPARSE, "expression column 1: unmatched ')'");
	error("(age 1)", WB_EPARSE,
	      "expression column 6: expected ')' to close '(' at column 1, found '1'");
	error("max(age 1)", WB_EPARSE,
	      "expression column 9: expected ',' or ')' in the arguments of max(), found '1'");
	error("type == \"Music", WB_EPARSE, "expression column 9: unterminated string");
	error("`total spend + 1", WB_EPARSE, "expression column 1: unterminated back-quoted name");
	error("age 1", WB_EPARSE,
	      "expression column 5: unexpected '1' after a complete expression");
	error("1 < 2 < 3", WB_EPARSE,
	      "expression column 7: comparisons do not chain: write 'a < b and b < c'");
	error("age == \"x\"", WB_EINVAL,
	      "expression column 8: cannot compare string \"x\" with numeric column 'age'");
	error("'x' != day", WB_EINVAL,
	      "expression column 1: cannot compare string \"x\" with date column 'day'");
	error("age + 1 == \"x\"", WB_EINVAL,
	      "expression column 12: cannot compare string \"x\" with a number");
	error("type == \"Vdieo\"", WB_EINVAL,
	      "expression column 9: level \"Vdieo\" not in column 'type' (levels: Music, Podcasts, "
	      "Audiobooks)");
	error("city == \"Nice\"", WB_EINVAL,
	      "expression column 9: level \"Nice\" not in column 'city' (levels: Oslo, Bergen, "
	      "Paris, "
	      "Lyon, Rome, ... 7 in all)");
	error("type + 1", WB_EINVAL,
	      "expression column 1: arithmetic on categorical column 'type'");
	error("log(type)", WB_EINVAL,
	      "expression column 5: arithmetic on categorical column 'type'");
	error("-type", WB_EINVAL, "expression column 2: arithmetic on categorical column 'type'");
	error(
	    "type < \"Music\"", WB_EINVAL,
	    "expression column 6: levels of categorical column 'type' have no order: use == or !=");
	error("type and treat", WB_EINVAL,
	      "expression column 1: categorical column 'type' is not true/false: compare it with a "
	      "level, as in `type` == \"level\"");
	error("\"a\" + 1", WB_EINVAL,
	      "expression column 1: string \"a\" can only be compared with a categorical column");
	error("\"a\" == \"a\"", WB_EINVAL,
	      "expression column 1: string \"a\" can only be compared with a categorical column");
	error("'a'", WB_EINVAL,
	      "expression column 1: string \"a\" can only be compared with a categorical column");
	error("", WB_EPARSE, "expression column 1: empty expression");
	error("   ", WB_EPARSE, "expression column 1: empty expression");
	error("age +", WB_EPARSE,
	      "expression column 6: expected a value, found the end of the expression");
	error("age * , 2", WB_EPARSE, "expression column 7: expected a value, found ','");
	error("age = 1", WB_EPARSE,
	      "expression column 5: '=' is not an operator: compare with '=='");
	error("age $ 1", WB_EPARSE, "expression column 5: unexpected character '$'");
	error("age & 1", WB_EPARSE,
	      "expression column 5: unexpected character '&' (use 'and' or '&&')");
	error("2abc", WB_EPARSE, "expression column 1: malformed number '2abc'");
	error("1.2.3 + 1", WB_EPARSE, "expression column 1: malformed number '1.2.3'");
	error("1e+", WB_EPARSE, "expression column 1: malformed number '1e+'");
	error("age € 1", WB_EPARSE,
	      "expression column 5: unexpected '€' after a complete expression");
	error("€ + 1", WB_ENOTFOUND, "expression column 1: unknown column '€'");
	error("age\x01", WB_EPARSE, "expression column 4: unexpected control character 0x01");
	error(
	    "1 + 'it\\'s'", WB_EINVAL, /* the escaped quote is part of the string */
	    "expression column 5: string \"it's\" can only be compared with a categorical column");

	char deep[400];
	memset(deep, '(', 300);
	strcpy(deep + 300, "1");
	error(deep, WB_EINVAL,
	      "expression column 257: expression nested too deeply (more than 256 levels)");

	/* A flat chain is fine up to 1000 operations (value checked), and then stops. */
	size_t cap = 1100 * 6 + 8;
	char *chain = malloc(cap);
	strcpy(chain, "score");
	for (int i = 0; i < 999; i++)
		strcat(chain, " + age");
	double out[NR];
	wb_err err;
	ok(run(chain, out, &err) == 0 && out[0] == 1.5 + 999 * 30.0 && isnan(out[2]),
	   "999 additions evaluate (%g)", out[0]);
	strcat(chain, " + age");
	ok(run(chain, out, &err) == WB_EINVAL &&
	       strstr(err.msg, ": expression too long (more than 1000 nested operations)"),
	   "1000 nested operations are refused: %s", err.msg);
	free(chain);
}

static void test_rebind(void)
{
	wb_err err;
	wb_expr *e = NULL;
	ok(wb_expr_parse("age * 2 + (type == \"Audiobooks\")", F, &e, &err) == 0,
	   "parse for rebind");
	size_t idx[] = {2, 1};
	wb_frame *sub = wb_frame_take_rows(F, idx, 2);
	double out[2];
	ok(wb_expr_eval(e, sub, out, &err) == 0 && isnan(out[0]) && out[1] == 82,
	   "evaluates on a filtered copy: [%g, %g]", out[0], out[1]);
	wb_frame_drop_column(sub, "age", &err);
	ok(wb_expr_eval(e, sub, out, &err) == WB_ENOTFOUND, "a dropped column is WB_ENOTFOUND");
	streq(err.msg, "expression: column 'age' is not in the data", "dropped column message");
	wb_frame_free(sub);

	wb_frame *empty = wb_frame_new(0);
	wb_frame_set_column(empty, "age", WB_COL_NUMERIC, NULL, &err);
	const char *lv[] = {"Audiobooks"};
	wb_frame_set_categorical(empty, "type", NULL, lv, 1, &err);
	ok(wb_expr_eval(e, empty, out, &err) == 0, "zero rows evaluate: %s", err.msg);
	wb_frame_free(empty);
	wb_expr_free(e);
}

/* Evaluation over many blocks: rows past the first block see the right values. */
static void test_blocks(void)
{
	size_t n = 10007;
	wb_frame *f = wb_frame_new(n);
	double *a = malloc(n * sizeof *a), *out = malloc(n * sizeof *out);
	for (size_t i = 0; i < n; i++)
		a[i] = (double)i;
	wb_err err;
	wb_frame_set_column(f, "a", WB_COL_NUMERIC, a, &err);
	wb_expr *e = NULL;
	ok(wb_expr_parse("if(a % 2 == 0, a * 2, -a) + min(a, 5000)", f, &e, &err) == 0,
	   "parse block test");
	ok(wb_expr_eval(e, f, out, &err) == 0, "eval block test");
	int good = 1;
	for (size_t i = 0; i < n; i++) {
		double x = (double)i, want = (i % 2 == 0 ? 2 * x : -x) + (x < 5000 ? x : 5000);
		if (out[i] != want)
			good = 0;
	}
	ok(good, "10007 rows over three blocks match row by row");
	wb_expr_free(e);
	wb_frame_free(f);
	free(a);
	free(out);
}

int main(void)
{
	F = small_frame();
	test_precedence();
	test_functions();
	test_missing();
	test_categorical_and_dates();
	test_logical();
	test_errors();
	test_rebind();
	test_blocks();
	wb_frame_free(F);
	return done();
}
