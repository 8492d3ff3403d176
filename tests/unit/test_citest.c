/* Unit tests for engine/citest: Fisher-z and G² against reference values computed with
 * numpy/scipy/pandas on the same data, the mixed-data rule, missing rows, threads, resamples,
 * and the errors for constant, collinear and unsuitable columns.
 *
 * tests/data/good/citest.csv (300 rows; A is NA in row 8) was written by this script:
 *   import numpy as np
 *   rng = np.random.default_rng(20261201); n = 300
 *   A = rng.normal(size=n); B = 0.8*A + rng.normal(size=n); C = 0.6*B - 0.5*A + rng.normal(size=n)
 *   D = rng.normal(size=n) + 0.3*C
 *   E = (rng.uniform(size=n) < 0.5).astype(int)
 *   F = np.where(rng.uniform(size=n) < 0.3 + 0.4*E, 1, 0) + (rng.uniform(size=n) < 0.3)
 *   G = (rng.uniform(size=n) < 0.2 + 0.5*E).astype(int)
 *   lv = np.array(['lo','mid','hi'])   # F written as these labels
 *   rows: A ('NA' for i == 7), B, C, D with repr(float(.)), E, lv[F], G
 *
 * Reference values (/usr/bin/python3, numpy 1.24.2, scipy 1.10.1, pandas):
 *   d = pd.read_csv('citest.csv'); num = d[['A','B','C','D']].dropna(); n = len(num)  # 299
 *   R = num.corr().values
 *   Fisher-z: P = np.linalg.inv(R[np.ix_([x, y] + S, [x, y] + S)]);
 *             r = -P[0,1]/np.sqrt(P[0,0]*P[1,1]); z = 0.5*np.log((1+r)/(1-r))*np.sqrt(n-len(S)-3);
 *             p = 2*stats.norm.sf(abs(z))
 *   G²: for each stratum g of d.groupby(S) (all of d when S is empty):
 *             t = pd.crosstab(g[x], g[y]).values, rows and columns with zero sums removed;
 *             stats.chi2_contingency(t, correction=False, lambda_='log-likelihood') adds its
 *             statistic and dof; p = stats.chi2.sf(G2, df)
 */
#include "../../engine/citest.h"
#include "../../engine/err.h"
#include "../../engine/frame.h"
#include "../../engine/rng.h"
#include "../tap.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static wb_citest *ctx(const wb_frame *f, const char *names, wb_ci_kind kind, wb_err *err)
{
	size_t cols[16], n = 0;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", names);
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ","))
		cols[n++] = (size_t)wb_frame_col_index(f, tok);
	wb_ci_options opt = {kind, NULL, 0, 0};
	wb_citest *t = NULL;
	if (wb_citest_new(f, cols, n, &opt, NULL, &t, err))
		return NULL;
	return t;
}

typedef struct ref {
	size_t x, y, S[3], ns;
	double r, z, p; /* Fisher-z: partial correlation; G²: r = df, z = G² */
} ref;

static void test_fisherz(const wb_frame *f)
{
	wb_err err;
	wb_citest *t = ctx(f, "A,B,C,D", WB_CI_AUTO, &err);
	if (!ok(t != NULL, "fisherz context (%s)", t ? "" : err.msg))
		return;
	ok(wb_citest_kind(t) == WB_CI_FISHERZ, "numeric columns choose Fisher-z");
	ok(wb_citest_nrows(t) == 299 && wb_citest_ndropped(t) == 1,
	   "row with a missing A dropped: 299 used, 1 dropped");
	/* A=0 B=1 C=2 D=3 */
	static const ref refs[] = {
	    {0, 1, {0}, 0, 0.5874509331957602, 11.591888558755391, 4.530318998065746e-31},
	    {0, 2, {1}, 1, -0.3859176850558184, -6.9903584238798215, 2.7418485783224372e-12},
	    {0, 3, {1, 2}, 2, -0.10851507521826491, -1.868001343147265, 0.06176188371207714},
	    {1, 3, {2}, 1, -0.004923307193785885, -0.08456126121217249, 0.9326101977877349},
	    {3, 0, {2}, 1, -0.08454829589455748, -1.455639812575667, 0.14549221614481292},
	};
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		const ref *R = &refs[i];
		wb_ci_outcome o;
		int rc = wb_citest_test(t, R->x, R->y, R->S, R->ns, &o, &err);
		ok(rc == 0, "fisherz test %zu runs", i);
		near(o.r, R->r, 1e-12, "fisherz %zu: partial correlation", i);
		near(o.stat, R->z, 1e-10, "fisherz %zu: z", i);
		near(o.p, R->p, 1e-10 * R->p + 1e-15, "fisherz %zu: p (relative 1e-10)", i);
		ok(o.df == 0, "fisherz %zu: df 0", i);
	}
	/* symmetric in x, y and in the order of S */
	wb_ci_outcome a, b;
	size_t S1[2] = {1, 2}, S2[2] = {2, 1};
	wb_citest_test(t, 0, 3, S1, 2, &a, &err);
	wb_citest_test(t, 3, 0, S2, 2, &b, &err);
	near(a.stat, b.stat, 1e-12, "fisherz symmetric in x, y and the order of S");
	ok(wb_citest_test(t, 0, 0, NULL, 0, &a, &err) == WB_EINVAL, "x == y refused");
	ok(wb_citest_test(t, 0, 1, S1, 2, &a, &err) == WB_EINVAL &&
	       strcmp(err.msg, "conditioning variable 1 is invalid") == 0,
	   "S containing y refused: %s", err.msg);
	wb_citest_free(t);
}

static void test_gsq(const wb_frame *f)
{
	wb_err err;
	wb_citest *t = ctx(f, "E,F,G", WB_CI_AUTO, &err);
	if (!ok(t != NULL, "gsq context (%s)", t ? "" : err.msg))
		return;
	ok(wb_citest_kind(t) == WB_CI_GSQ, "binary and categorical columns choose G²");
	ok(wb_citest_nrows(t) == 300, "G² uses all 300 rows (A is not among the columns)");
	ok(wb_citest_corr(t) == NULL, "no correlation matrix for G²");
	/* E=0 F=1 G=2 */
	static const ref refs[] = {
	    {0, 1, {0}, 0, 2, 21.799248869090913, 1.8465167572745743e-05},
	    {1, 2, {0}, 0, 2, 9.216478282698398, 0.009969357490686042},
	    {1, 2, {0}, 1, 4, 2.149415792803538, 0.7083000147153613},
	    {0, 2, {1}, 1, 3, 74.51061150554675, 4.613080103145921e-16},
	    {2, 1, {0}, 1, 4, 2.1494157928035382, 0.7083000147153611},
	};
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		const ref *R = &refs[i];
		wb_ci_outcome o;
		ok(wb_citest_test(t, R->x, R->y, R->S, R->ns, &o, &err) == 0, "gsq %zu runs", i);
		near(o.stat, R->z, 1e-10, "gsq %zu: G²", i);
		ok(o.df == R->r, "gsq %zu: df %g (got %g)", i, R->r, o.df);
		near(o.p, R->p, 1e-9 * R->p + 1e-15, "gsq %zu: p (relative 1e-9)", i);
	}
	wb_citest_free(t);
}

/* Degrees of freedom reduced for a level absent from a stratum. Reference:
 *   S = [0]*6 + [1]*6; X = [0,0,1,1,2,2,0,0,1,1,0,1]; Y = [0,1,0,1,1,1,0,0,1,1,1,0]
 *   per stratum: chi2_contingency(table without zero rows, correction=False,
 *   lambda_='log-likelihood') -> G² 2.7725887222397807, df 2 + 1 = 3,
 *   chi2.sf(G², 3) = 0.42803220227644545 */
static void test_gsq_empty_cells(void)
{
	static const double S[] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
	static const double X[] = {0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 0, 1};
	static const double Y[] = {0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0};
	static const char *lv[] = {"a", "b", "c"};
	wb_err err;
	wb_frame *f = wb_frame_new(12);
	wb_frame_set_column(f, "S", WB_COL_BINARY, S, &err);
	wb_frame_set_categorical(f, "X", X, lv, 3, &err);
	wb_frame_set_column(f, "Y", WB_COL_BINARY, Y, &err);
	wb_citest *t = ctx(f, "X,Y,S", WB_CI_AUTO, &err);
	wb_ci_outcome o;
	size_t s = 2;
	ok(t && wb_citest_test(t, 0, 1, &s, 1, &o, &err) == 0, "gsq with an empty cell runs");
	near(o.stat, 2.7725887222397807, 1e-12, "gsq empty cell: G²");
	ok(o.df == 3, "gsq empty cell: df 3, not 4 (got %g)", o.df);
	near(o.p, 0.42803220227644545, 1e-12, "gsq empty cell: p");
	wb_citest_free(t);
	wb_frame_free(f);
}

static void test_choice_and_errors(const wb_frame *f)
{
	wb_err err;
	wb_citest *t = ctx(f, "A,B,E,G", WB_CI_AUTO, &err);
	ok(t && wb_citest_kind(t) == WB_CI_FISHERZ, "numeric with binary: Fisher-z");
	wb_citest_free(t);
	t = ctx(f, "A,F", WB_CI_AUTO, &err);
	ok(!t && strcmp(err.msg, "column 'F' is categorical with 3 levels: Fisher-z needs numbers "
				 "(use test=gsq, or leave the column out)") == 0,
	   "3-level categorical among numeric refused: %s", err.msg);
	t = ctx(f, "A,E", WB_CI_GSQ, &err);
	ok(!t && strcmp(err.msg, "column 'A' has more than 64 distinct values: G² needs "
				 "discrete columns (use test=fisherz)") == 0,
	   "gsq on a continuous column refused: %s", err.msg);
	t = ctx(f, "E,G", WB_CI_FISHERZ, &err);
	ok(t && wb_citest_kind(t) == WB_CI_FISHERZ, "binary columns may be asked for Fisher-z");
	wb_citest_free(t);
	t = ctx(f, "A", WB_CI_AUTO, &err);
	ok(!t && strcmp(err.msg, "a CI test needs at least 2 columns, got 1") == 0, "one column");

	wb_frame *g = wb_frame_copy(f);
	size_t n = wb_frame_nrows(g);
	double *v = malloc(n * sizeof *v);
	const double *a = wb_frame_col(g, 1), *b = wb_frame_col(g, 2);
	for (size_t i = 0; i < n; i++)
		v[i] = 2 * a[i] - b[i];
	wb_frame_set_column(g, "BC", WB_COL_NUMERIC, v, &err);
	t = ctx(g, "B,D,C,BC", WB_CI_AUTO, &err);
	ok(!t && strcmp(err.msg, "columns are collinear: 'BC' is a linear function of the columns "
				 "listed before it") == 0,
	   "collinear columns: %s", err.msg);
	for (size_t i = 0; i < n; i++)
		v[i] = 3.25;
	wb_frame_set_column(g, "K", WB_COL_NUMERIC, v, &err);
	t = ctx(g, "B,K", WB_CI_AUTO, &err);
	ok(!t && strcmp(err.msg, "column 'K' is constant") == 0, "constant column: %s", err.msg);
	t = ctx(g, "E,K", WB_CI_GSQ, &err);
	ok(!t && strcmp(err.msg, "column 'K' is constant") == 0, "constant column (G²): %s",
	   err.msg);
	wb_ci_kind k;
	ok(wb_ci_kind_parse("chisq", &k, &err) == WB_EINVAL &&
	       strcmp(err.msg, "unknown test 'chisq' (choose fisherz, gsq or auto)") == 0,
	   "unknown test name");
	ok(wb_ci_kind_parse("gsq", &k, &err) == 0 && k == WB_CI_GSQ, "parse gsq");
	free(v);
	wb_frame_free(g);
}

/* Large n: the threaded blocked pass equals a plain two-pass computation; a resample given as
 * a row list equals the same rows taken into a new frame. */
static void test_threads_and_rows(void)
{
	size_t n = 20011, p = 5;
	wb_rng *rng = wb_rng_new(7);
	wb_frame *f = wb_frame_new(n);
	double *v = malloc(n * p * sizeof *v);
	wb_err err;
	for (size_t i = 0; i < n; i++) {
		v[i] = 100 + wb_rng_normal(rng, 0, 1);
		for (size_t j = 1; j < p; j++)
			v[j * n + i] = 0.5 * v[(j - 1) * n + i] + wb_rng_normal(rng, 0, 1);
	}
	char name[8];
	size_t cols[5];
	for (size_t j = 0; j < p; j++) {
		snprintf(name, sizeof name, "V%zu", j);
		wb_frame_set_column(f, name, WB_COL_NUMERIC, v + j * n, &err);
		cols[j] = j;
	}
	wb_ci_options o1 = {WB_CI_FISHERZ, NULL, 0, 1}, o2 = {WB_CI_FISHERZ, NULL, 0, 2};
	wb_citest *t1, *t2;
	wb_citest_new(f, cols, p, &o1, NULL, &t1, &err);
	wb_citest_new(f, cols, p, &o2, NULL, &t2, &err);
	double maxd = 0, maxref = 0;
	for (size_t a = 0; a < p; a++)
		for (size_t b = 0; b < p; b++) {
			const double *x = v + a * n, *y = v + b * n;
			double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
			for (size_t i = 0; i < n; i++)
				mx += x[i], my += y[i];
			mx /= (double)n, my /= (double)n;
			for (size_t i = 0; i < n; i++) {
				sxy += (x[i] - mx) * (y[i] - my);
				sxx += (x[i] - mx) * (x[i] - mx);
				syy += (y[i] - my) * (y[i] - my);
			}
			double r = sxy / sqrt(sxx * syy);
			double d1 =
			    fabs(wb_citest_corr(t1)[a * p + b] - wb_citest_corr(t2)[a * p + b]);
			double d2 = fabs(wb_citest_corr(t2)[a * p + b] - r);
			maxd = d1 > maxd ? d1 : maxd;
			maxref = d2 > maxref ? d2 : maxref;
		}
	ok(maxd == 0, "1 thread and 2 threads give bit-identical correlations (max diff %g)", maxd);
	ok(maxref < 1e-12, "blocked shifted pass equals two-pass correlations (max diff %g)",
	   maxref);
	size_t *rows = malloc(n * sizeof *rows);
	for (size_t i = 0; i < n; i++)
		rows[i] = wb_rng_int(rng, n);
	wb_ci_options ob = {WB_CI_FISHERZ, rows, n, 2};
	wb_citest *tb, *tf;
	wb_frame *fb = wb_frame_take_rows(f, rows, n);
	wb_citest_new(f, cols, p, &ob, NULL, &tb, &err);
	wb_citest_new(fb, cols, p, &o2, NULL, &tf, &err);
	wb_ci_outcome r1, r2;
	size_t S[2] = {1, 3};
	wb_citest_test(tb, 0, 4, S, 2, &r1, &err);
	wb_citest_test(tf, 0, 4, S, 2, &r2, &err);
	near(r1.stat, r2.stat, 1e-9, "a row list equals the resampled frame");
	ok(fabs(r1.stat) > 0, "resample test is not degenerate");
	wb_progress pr;
	wb_progress_init(&pr, "test");
	wb_progress_request_cancel(&pr);
	wb_citest *tc = NULL;
	ok(wb_citest_new(f, cols, p, &o2, &pr, &tc, &err) == WB_ECANCEL && !tc,
	   "cancelled correlation pass returns WB_ECANCEL");
	wb_citest_free(t1);
	wb_citest_free(t2);
	wb_citest_free(tb);
	wb_citest_free(tf);
	wb_frame_free(fb);
	wb_frame_free(f);
	free(rows);
	free(v);
	wb_rng_free(rng);
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/tests/data/good/citest.csv", top ? top : ".");
	wb_frame *f = NULL;
	wb_err err;
	wb_err_gsl_init();
	if (!ok(wb_frame_load_csv(path, NULL, &f, NULL, &err) == 0, "load %s", path)) {
		printf("# %s\n", err.msg);
		return done();
	}
	test_fisherz(f);
	test_gsq(f);
	test_gsq_empty_cells();
	test_choice_and_errors(f);
	test_threads_and_rows();
	wb_frame_free(f);
	return done();
}
