/* Unit tests for engine/result and engine/rng. */
#include "../../engine/err.h"
#include "../../engine/result.h"
#include "../../engine/rng.h"
#include "../tap.h"

#include <math.h>
#include <stdlib.h>

static void test_format(void)
{
	char b[64];
	streq(wb_fmt_num(3, 6, b, sizeof b), "3", "integer prints without a point");
	streq(wb_fmt_num(-1e14, 6, b, sizeof b), "-100000000000000", "large integer");
	streq(wb_fmt_num(0.999612345, 6, b, sizeof b), "0.999612", "six significant digits");
	streq(wb_fmt_num(1.1475, 4, b, sizeof b), "1.147", "four digits (round half even of binary value)");
	streq(wb_fmt_num(0.1, 0, b, sizeof b), "0.1", "shortest round trip of 0.1");
	streq(wb_fmt_num(1.0 / 3, 0, b, sizeof b), "0.3333333333333333", "shortest round trip of 1/3");
	ok(strtod(wb_fmt_num(M_PI, 0, b, sizeof b), NULL) == M_PI, "round trip of pi: %s", b);
	streq(wb_fmt_num(NAN, 6, b, sizeof b), "NA", "NaN shows as NA");
	streq(wb_fmt_num(-INFINITY, 6, b, sizeof b), "-inf", "negative infinity");
	streq(wb_fmt_num(-0.0, 6, b, sizeof b), "0", "negative zero prints 0");
}

static void test_table(void)
{
	wb_result *r = wb_result_new("effects");
	ok(wb_result_add_column(r, "method") == 0, "first column has index 0");
	ok(wb_result_add_column(r, "estimate") == 1, "second column has index 1");
	ok(wb_result_add_column(r, "adjust") == 2, "third column has index 2");
	wb_result_set_digits(r, 1, 3);
	for (int i = 0; i < 40; i++) {
		long row = wb_result_add_row(r);
		wb_result_set_str(r, (size_t)row, 0, i % 2 ? "naive" : "backdoor");
		wb_result_set_num(r, (size_t)row, 1, 1.0 + i / 1000.0);
	}
	const char *set[] = {"UserEngagementLevel", "PreferredContentType"};
	wb_result_set_set(r, 39, 2, set, 2);
	wb_result_add_note(r, "truth %g", 1.0);
	ok(wb_result_nrows(r) == 40, "40 rows after growth");
	char b[128];
	streq(wb_result_cell_text(r, 39, 1, b, sizeof b), "1.04", "digits apply per column");
	streq(wb_result_cell_text(r, 39, 2, b, sizeof b), "{UserEngagementLevel, PreferredContentType}",
	      "set cell text");
	streq(wb_result_cell_text(r, 0, 2, b, sizeof b), "", "null cell is empty text");
	streq(wb_result_cell_text(r, 3, 0, b, sizeof b), "naive", "string cell");
	ok(wb_result_cell(r, 40, 0) == NULL, "row out of range gives NULL");
	ok(wb_result_add_column(r, "late") == WB_EINVAL, "columns cannot be added after rows");
	streq(wb_result_note(r, 0), "truth 1", "note text");
	char tiny[6];
	wb_result_cell_text(r, 39, 2, tiny, sizeof tiny);
	streq(tiny, "{User", "set text truncates safely");
	wb_result_free(r);
	wb_result_free(NULL);
}

static void test_rng(void)
{
	wb_rng *a = wb_rng_new(42), *b = wb_rng_new(42), *c = wb_rng_new(43);
	int same = 1, differ = 0;
	for (int i = 0; i < 100; i++) {
		double x = wb_rng_uniform(a), y = wb_rng_uniform(b), z = wb_rng_uniform(c);
		same &= x == y;
		differ |= x != z;
	}
	ok(same, "same seed gives the same stream");
	ok(differ, "another seed gives another stream");
	wb_rng *s1 = wb_rng_split(a, 1), *s1b = wb_rng_split(b, 1), *s2 = wb_rng_split(a, 2);
	double u1 = wb_rng_uniform(s1), u1b = wb_rng_uniform(s1b), u2 = wb_rng_uniform(s2);
	ok(u1 == u1b && u1 != u2, "split streams depend only on (seed, index)");
	/* Mean and variance of 200000 normals: within 5 standard errors. */
	double sum = 0, sq = 0;
	int n = 200000;
	for (int i = 0; i < n; i++) {
		double x = wb_rng_normal(a, 2.0, 3.0);
		sum += x;
		sq += x * x;
	}
	double mean = sum / n, var = sq / n - mean * mean;
	near(mean, 2.0, 5 * 3.0 / sqrt(n), "normal mean");
	near(var, 9.0, 5 * 9.0 * sqrt(2.0 / n), "normal variance");
	size_t idx[10];
	for (size_t i = 0; i < 10; i++)
		idx[i] = i;
	wb_rng_shuffle(a, idx, 10);
	int seen[10] = {0}, perm = 1;
	for (size_t i = 0; i < 10; i++)
		seen[idx[i]]++;
	for (size_t i = 0; i < 10; i++)
		perm &= seen[i] == 1;
	ok(perm, "shuffle is a permutation");
	wb_rng_free(a);
	wb_rng_free(b);
	wb_rng_free(c);
	wb_rng_free(s1);
	wb_rng_free(s1b);
	wb_rng_free(s2);
}

static void test_err(void)
{
	wb_err e;
	wb_err_clear(&e);
	ok(wb_err_set(&e, WB_EPARSE, "line %d: bad", 3) == WB_EPARSE, "set returns the code");
	wb_err_prefix(&e, "%s", "fans.csv");
	streq(e.msg, "fans.csv: line 3: bad", "prefix");
	ok(wb_err_set(NULL, WB_EIO, "x") == WB_EIO, "NULL err is allowed");
}

int main(void)
{
	wb_err_gsl_init();
	test_format();
	test_table();
	test_rng();
	test_err();
	return done();
}
