/*
 * learner.c — the learner interface, the linear family (feature expansion, ridge and lasso by
 * coordinate descent) and cross-fitting. The tree ensembles are in learner_xgb.c. See learner.h.
 *
 * Ridge and lasso: the elastic-net coordinate descent of Friedman, Hastie & Tibshirani (2010,
 * "Regularization paths for generalized linear models via coordinate descent", J. Stat.
 * Softw. 33(1)), with "covariance updates" (section 2.2): on standardised features the
 * update of coefficient j is
 *     β_j ← S(c_j − Σ_{l≠j} R_jl β_l, λa) / (R_jj + λ(1 − a)),   S(z, g) = sign(z)(|z| − g)₊,
 * where R is the (weighted) Gram matrix of the centred standardised features divided by n and
 * c their cross-products with the centred target. Logistic fits iterate this on the IRLS
 * quadratic approximation (section 3): weights w = p(1 − p), working response
 * η + (y − p)/w. The λ path runs log-spaced from λ_max = max_j |c_j| / max(a, 0.001) (the
 * smallest λ that zeroes every lasso coefficient) down to λ_max·10⁻³ (lasso) or λ_max·10⁻⁶
 * (ridge), with warm starts.
 */
#include "learner.h"
#include "glm.h"
#include "learner_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CD_TOL 1e-13 /* largest change of a standardised coefficient at convergence */
#define CD_MAXPASS 100000
#define IRLS_TOL 1e-12
#define IRLS_MAXIT 200
#define W_MIN 1e-6 /* smallest IRLS weight p(1-p) */

struct wb_learner {
	wb_learner_opts o;
	wb_task task;
	size_t p;
	/* linear family: k expanded terms, term t is x[ta[t]] (tb[t] < 0) or x[ta[t]]·x[tb[t]] */
	size_t k;
	int *ta, *tb;
	double b0, *beta, lambda;
	/* tree ensembles */
	void *booster;
};

static const struct {
	const char *name;
	wb_learner_kind kind;
} kinds[] = {
    {"linear", WB_LEARNER_LINEAR}, {"logistic", WB_LEARNER_LINEAR}, {"ridge", WB_LEARNER_RIDGE},
    {"lasso", WB_LEARNER_LASSO},   {"gbm", WB_LEARNER_GBM},	    {"xgb", WB_LEARNER_GBM},
    {"rf", WB_LEARNER_RF},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

void wb_learner_opts_default(wb_learner_opts *o, wb_learner_kind kind)
{
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->degree = 1;
	o->lambda = -1;
	o->cv_folds = 5;
	o->min_child_weight = 1;
	o->max_bin = 256;
	if (kind == WB_LEARNER_RF) {
		o->n_estimators = 100;
		o->max_depth = 8;
		o->eta = 1;
		o->subsample = 0.632;
		o->colsample = 0.8;
	} else {
		o->n_estimators = 50;
		o->max_depth = 4;
		o->eta = 0.2;
		o->subsample = 1;
		o->colsample = 1;
	}
}

int wb_learner_parse(const char *name, wb_learner_kind *kind, wb_err *err)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (strcmp(name, kinds[i].name) == 0) {
			*kind = kinds[i].kind;
			return 0;
		}
	return wb_err_set(
	    err, WB_EINVAL,
	    "unknown learner '%s' (one of linear, logistic, ridge, lasso, gbm, xgb, rf)", name);
}

const char *wb_learner_name(wb_learner_kind kind, wb_task task)
{
	switch (kind) {
	case WB_LEARNER_LINEAR:
		return task == WB_TASK_CLASSIFICATION ? "logistic" : "linear";
	case WB_LEARNER_RIDGE:
		return "ridge";
	case WB_LEARNER_LASSO:
		return "lasso";
	case WB_LEARNER_GBM:
		return "gbm";
	case WB_LEARNER_RF:
		return "rf";
	}
	return "?";
}

int wb_learner_check(const wb_learner_opts *o, wb_err *err)
{
	if (o->degree < 1 || o->degree > 2)
		return wb_err_set(err, WB_EINVAL, "degree must be 1 or 2 (got %d)", o->degree);
	if (o->cv_folds < 2 || o->cv_folds > 20)
		return wb_err_set(err, WB_EINVAL, "cv_folds must be between 2 and 20 (got %d)",
				  o->cv_folds);
	if (!isfinite(o->lambda))
		return wb_err_set(err, WB_EINVAL, "lambda must be a finite number");
	if (o->n_estimators < 1 || o->n_estimators > 10000)
		return wb_err_set(err, WB_EINVAL,
				  "n_estimators must be between 1 and 10000 (got %d)",
				  o->n_estimators);
	if (o->max_depth < 1 || o->max_depth > 30)
		return wb_err_set(err, WB_EINVAL, "max_depth must be between 1 and 30 (got %d)",
				  o->max_depth);
	if (!(o->eta > 0 && o->eta <= 1))
		return wb_err_set(err, WB_EINVAL, "eta must be in (0, 1] (got %g)", o->eta);
	if (!(o->subsample > 0 && o->subsample <= 1))
		return wb_err_set(err, WB_EINVAL, "subsample must be in (0, 1] (got %g)",
				  o->subsample);
	if (!(o->colsample > 0 && o->colsample <= 1))
		return wb_err_set(err, WB_EINVAL, "colsample must be in (0, 1] (got %g)",
				  o->colsample);
	if (!(o->min_child_weight >= 0 && isfinite(o->min_child_weight)))
		return wb_err_set(err, WB_EINVAL, "min_child_weight must be >= 0 (got %g)",
				  o->min_child_weight);
	if (o->max_bin < 2 || o->max_bin > 65535)
		return wb_err_set(err, WB_EINVAL, "max_bin must be between 2 and 65535 (got %d)",
				  o->max_bin);
	return 0;
}

static int nomem(wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/* ---- targets ---- */

/* Checks y on the rows: finite; for classification 0/1 and not constant. */
static int check_target(wb_task task, const double *y, size_t n, const size_t *rows, size_t nrows,
			wb_err *err)
{
	size_t m = rows ? nrows : n, ones = 0;
	for (size_t i = 0; i < m; i++) {
		size_t r = rows ? rows[i] : i;
		double v = y[r];
		if (!isfinite(v))
			return wb_err_set(err, WB_EINVAL, "target is missing in row %zu", r + 1);
		if (task == WB_TASK_CLASSIFICATION) {
			if (v != 0 && v != 1)
				return wb_err_set(
				    err, WB_EINVAL,
				    "classification target must be 0 or 1 (row %zu is %g)", r + 1,
				    v);
			ones += v == 1;
		}
	}
	if (task == WB_TASK_CLASSIFICATION && (ones == 0 || ones == m))
		return wb_err_set(err, WB_EINVAL, "classification target is constant (all %d)",
				  ones ? 1 : 0);
	return 0;
}

/* ---- linear family: feature expansion ---- */

/* Chooses the terms: the p inputs, then squares (degree 2, not of 0/1 columns), then pairwise
 * products (degree 2 or interactions). */
static int choose_terms(wb_learner *m, const double *X, size_t n, const size_t *rows, size_t nrows)
{
	size_t p = m->p, max = p + p + p * (p - 1) / 2;
	m->ta = malloc((max ? max : 1) * sizeof *m->ta);
	m->tb = malloc((max ? max : 1) * sizeof *m->tb);
	if (!m->ta || !m->tb)
		return WB_ENOMEM;
	size_t k = 0, cnt = rows ? nrows : n;
	for (size_t j = 0; j < p; j++) {
		m->ta[k] = (int)j;
		m->tb[k++] = -1;
	}
	if (m->o.degree == 2)
		for (size_t j = 0; j < p; j++) {
			int binary = 1;
			for (size_t i = 0; i < cnt && binary; i++) {
				double v = X[(rows ? rows[i] : i) * p + j];
				binary = v == 0 || v == 1;
			}
			if (!binary) {
				m->ta[k] = (int)j;
				m->tb[k++] = (int)j;
			}
		}
	if (m->o.degree == 2 || m->o.interactions)
		for (size_t a = 0; a < p; a++)
			for (size_t b = a + 1; b < p; b++) {
				m->ta[k] = (int)a;
				m->tb[k++] = (int)b;
			}
	m->k = k;
	return 0;
}

/* The expanded rows (cnt × k); NULL if out of memory. */
static double *expand(const wb_learner *m, const double *X, size_t n, const size_t *rows,
		      size_t nrows)
{
	size_t cnt = rows ? nrows : n, k = m->k, p = m->p;
	double *Z = malloc((cnt ? cnt : 1) * (k ? k : 1) * sizeof *Z);
	if (!Z)
		return NULL;
	for (size_t i = 0; i < cnt; i++) {
		const double *x = X + (rows ? rows[i] : i) * p;
		double *z = Z + i * k;
		for (size_t t = 0; t < k; t++)
			z[t] = m->tb[t] < 0 ? x[m->ta[t]] : x[m->ta[t]] * x[m->tb[t]];
	}
	return Z;
}

static int check_features(const double *X, size_t n, size_t p, const size_t *rows, size_t nrows,
			  wb_err *err)
{
	size_t cnt = rows ? nrows : n;
	for (size_t i = 0; i < cnt; i++) {
		size_t r = rows ? rows[i] : i;
		for (size_t j = 0; j < p; j++)
			if (!isfinite(X[r * p + j]))
				return wb_err_set(err, WB_EINVAL,
						  "feature %zu is missing in row %zu (the linear "
						  "learners need complete rows)",
						  j + 1, r + 1);
	}
	return 0;
}

/* ---- linear family: penalised least squares on standardised columns ---- */

/* Column means and population standard deviations of Z (n × k). */
static void col_scale(const double *Z, size_t n, size_t k, double *mean, double *sd)
{
	for (size_t j = 0; j < k; j++) {
		double s = 0, ss = 0;
		for (size_t i = 0; i < n; i++)
			s += Z[i * k + j];
		double mu = s / (double)n;
		for (size_t i = 0; i < n; i++) {
			double d = Z[i * k + j] - mu;
			ss += d * d;
		}
		mean[j] = mu;
		sd[j] = sqrt(ss / (double)n);
		/* a column constant up to rounding carries no information */
		if (!(sd[j] > 1e-12 * (fabs(mu) + 1)))
			sd[j] = 0;
	}
}

/* The quadratic of a (weighted) least-squares problem in standardised units: with weights w
 * (NULL: 1), weighted means mz (k) and *my of Z and y, R = (1/n) Σ w (z̃ − m̃)(z̃ − m̃)' and
 * c = (1/n) Σ w (z̃ − m̃)(y − my), z̃_j = z_j / sd_j (columns with sd 0 are left out: their
 * rows of R and c are 0). */
static void quadratic(const double *Z, const double *y, const double *w, size_t n, size_t k,
		      const double *sd, double *mz, double *my, double *R, double *c)
{
	double sw = 0, sy = 0;
	memset(mz, 0, k * sizeof *mz);
	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1;
		sw += wi;
		sy += wi * y[i];
		for (size_t j = 0; j < k; j++)
			mz[j] += wi * Z[i * k + j];
	}
	*my = sy / sw;
	for (size_t j = 0; j < k; j++)
		mz[j] /= sw;
	memset(R, 0, k * k * sizeof *R);
	memset(c, 0, k * sizeof *c);
	double *d = malloc((k ? k : 1) * sizeof *d);
	if (!d)
		return;
	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1, dy = y[i] - *my;
		for (size_t j = 0; j < k; j++)
			d[j] = sd[j] > 0 ? (Z[i * k + j] - mz[j]) / sd[j] : 0;
		for (size_t j = 0; j < k; j++) {
			double wd = wi * d[j];
			c[j] += wd * dy;
			for (size_t l = j; l < k; l++)
				R[j * k + l] += wd * d[l];
		}
	}
	free(d);
	for (size_t j = 0; j < k; j++) {
		c[j] /= (double)n;
		for (size_t l = j; l < k; l++) {
			R[j * k + l] /= (double)n;
			R[l * k + j] = R[j * k + l];
		}
	}
}

/* Coordinate descent on ½β'Rβ − c'β + λ[(1−a)/2‖β‖² + a‖β‖₁] from the warm start in b
 * (standardised units); columns with R_jj = 0 stay 0. */
static void cd(const double *R, const double *c, size_t k, double lambda, double a, double *b)
{
	double *g = malloc((k ? k : 1) * sizeof *g); /* g_j = c_j − Σ_l R_jl β_l */
	if (!g)
		return;
	for (size_t j = 0; j < k; j++) {
		g[j] = c[j];
		for (size_t l = 0; l < k; l++)
			g[j] -= R[j * k + l] * b[l];
	}
	double l1 = lambda * a, l2 = lambda * (1 - a);
	for (int pass = 0; pass < CD_MAXPASS; pass++) {
		double maxd = 0;
		for (size_t j = 0; j < k; j++) {
			double rjj = R[j * k + j];
			if (!(rjj > 0)) {
				b[j] = 0;
				continue;
			}
			double z = g[j] + rjj * b[j];
			double nb = (z > l1 ? z - l1 : z < -l1 ? z + l1 : 0) / (rjj + l2);
			double delta = nb - b[j];
			if (delta != 0) {
				for (size_t l = 0; l < k; l++)
					g[l] -= R[l * k + j] * delta;
				b[j] = nb;
				if (fabs(delta) > maxd)
					maxd = fabs(delta);
			}
		}
		if (maxd < CD_TOL)
			break;
	}
	free(g);
}

/* A fit in progress on one training set: Z (n × k), y, its standardisation. */
typedef struct fitset {
	const double *Z, *y;
	size_t n, k;
	double *mean, *sd; /* of Z, unweighted */
	double *R, *c, *mz, *w, *work;
	double my;
} fitset;

static int fitset_init(fitset *f, const double *Z, const double *y, size_t n, size_t k,
		       wb_task task)
{
	memset(f, 0, sizeof *f);
	f->Z = Z;
	f->y = y;
	f->n = n;
	f->k = k;
	size_t kk = k ? k : 1;
	f->mean = malloc(kk * sizeof *f->mean);
	f->sd = malloc(kk * sizeof *f->sd);
	f->mz = malloc(kk * sizeof *f->mz);
	f->c = malloc(kk * sizeof *f->c);
	f->R = malloc(kk * kk * sizeof *f->R);
	if (task == WB_TASK_CLASSIFICATION) {
		f->w = malloc((n ? n : 1) * sizeof *f->w);
		f->work = malloc((n ? n : 1) * sizeof *f->work);
	}
	if (!f->mean || !f->sd || !f->mz || !f->c || !f->R ||
	    (task == WB_TASK_CLASSIFICATION && (!f->w || !f->work)))
		return WB_ENOMEM;
	col_scale(Z, n, k, f->mean, f->sd);
	if (task == WB_TASK_REGRESSION)
		quadratic(Z, y, NULL, n, k, f->sd, f->mz, &f->my, f->R, f->c);
	return 0;
}

static void fitset_free(fitset *f)
{
	free(f->mean);
	free(f->sd);
	free(f->mz);
	free(f->c);
	free(f->R);
	free(f->w);
	free(f->work);
}

/* Intercept on the original scale for standardised coefficients b, centring means mz and my. */
static double intercept(const fitset *f, const double *b, double my)
{
	double b0 = my;
	for (size_t j = 0; j < f->k; j++)
		if (f->sd[j] > 0)
			b0 -= f->mz[j] * b[j] / f->sd[j];
	return b0;
}

/* Linear predictor b0 + z·β (β standardised) of row z. */
static double linpred(const fitset *f, const double *z, const double *b, double b0)
{
	double s = b0;
	for (size_t j = 0; j < f->k; j++)
		if (f->sd[j] > 0)
			s += z[j] * b[j] / f->sd[j];
	return s;
}

static double sigmoid(double t)
{
	return t >= 0 ? 1 / (1 + exp(-t)) : exp(t) / (1 + exp(t));
}

/* Fits at λ from the warm start (b, *b0) in standardised units. Logistic: IRLS around the
 * coordinate descent (Friedman et al. 2010, section 3). */
static int fit_lambda(fitset *f, wb_task task, double lambda, double a, double *b, double *b0,
		      wb_err *err)
{
	if (task == WB_TASK_REGRESSION) {
		cd(f->R, f->c, f->k, lambda, a, b);
		*b0 = intercept(f, b, f->my);
		return 0;
	}
	double prev = INFINITY;
	for (int it = 0; it < IRLS_MAXIT; it++) {
		double dev = 0;
		for (size_t i = 0; i < f->n; i++) {
			double eta = linpred(f, f->Z + i * f->k, b, *b0), pr = sigmoid(eta);
			double w = pr * (1 - pr);
			if (w < W_MIN)
				w = W_MIN;
			f->w[i] = w;
			f->work[i] = eta + (f->y[i] - pr) / w;
			double q = f->y[i] ? pr : 1 - pr;
			dev -= 2 * log(q > 1e-300 ? q : 1e-300);
		}
		if (fabs(prev - dev) <= IRLS_TOL * (fabs(dev) + 1))
			return 0;
		prev = dev;
		double mw;
		quadratic(f->Z, f->work, f->w, f->n, f->k, f->sd, f->mz, &mw, f->R, f->c);
		cd(f->R, f->c, f->k, lambda, a, b);
		*b0 = intercept(f, b, mw);
		if (!isfinite(*b0))
			return wb_err_set(err, WB_ENUMERIC, "penalised logistic fit diverged");
	}
	return 0;
}

/* Held-out loss of (b, b0) on Z (n × k): squared error, or deviance for classification. */
static double loss(const fitset *f, wb_task task, const double *Z, const double *y, size_t n,
		   const double *b, double b0)
{
	double s = 0;
	for (size_t i = 0; i < n; i++) {
		double eta = linpred(f, Z + i * f->k, b, b0);
		if (task == WB_TASK_REGRESSION) {
			s += (y[i] - eta) * (y[i] - eta);
		} else {
			double pr = sigmoid(eta), q = y[i] ? pr : 1 - pr;
			s -= 2 * log(q > 1e-300 ? q : 1e-300);
		}
	}
	return s;
}

/* The λ path for data whose standardised cross-products with the centred target are c. */
static void lambda_path(const fitset *f, wb_task task, double a, double *path)
{
	double cmax = 0;
	double *c = malloc((f->k ? f->k : 1) * sizeof *c);
	if (!c) {
		for (int i = 0; i < WB_LEARNER_PATH; i++)
			path[i] = 0;
		return;
	}
	/* c at β = 0 is the same for least squares and logistic: (1/n) Σ z̃ (y − ȳ) */
	double my = 0;
	for (size_t i = 0; i < f->n; i++)
		my += f->y[i];
	my /= (double)f->n;
	for (size_t j = 0; j < f->k; j++) {
		c[j] = 0;
		if (f->sd[j] > 0)
			for (size_t i = 0; i < f->n; i++)
				c[j] +=
				    (f->Z[i * f->k + j] - f->mean[j]) / f->sd[j] * (f->y[i] - my);
		c[j] /= (double)f->n;
		if (fabs(c[j]) > cmax)
			cmax = fabs(c[j]);
	}
	free(c);
	/* Ridge shrinks every standardised coefficient by 1 / (1 + λ) whatever the target's
	 * scale, so its path is that of the standardised target (glmnet's convention): else a
	 * target in the thousands (revenue) starts the path, and ends it, a thousand times too
	 * high. The lasso's threshold is on the target's own scale, and a 0/1 target has
	 * none to remove. */
	if (a < 1 && task == WB_TASK_REGRESSION) {
		double ss = 0;
		for (size_t i = 0; i < f->n; i++)
			ss += (f->y[i] - my) * (f->y[i] - my);
		double sdy = sqrt(ss / (double)f->n);
		if (sdy > 0)
			cmax /= sdy;
	}
	double lmax = cmax / (a > 1e-3 ? a : 1e-3), ratio = a > 0 ? 1e-3 : 1e-6;
	for (int i = 0; i < WB_LEARNER_PATH; i++)
		path[i] = lmax * pow(ratio, (double)i / (WB_LEARNER_PATH - 1));
}

/* Gathers rows rows[0..m-1] of Z (k columns) and y into new arrays. */
static int gather(const double *Z, const double *y, size_t k, const size_t *rows, size_t m,
		  double **Zo, double **yo)
{
	*Zo = malloc((m ? m : 1) * (k ? k : 1) * sizeof **Zo);
	*yo = malloc((m ? m : 1) * sizeof **yo);
	if (!*Zo || !*yo)
		return WB_ENOMEM;
	for (size_t i = 0; i < m; i++) {
		memcpy(*Zo + i * k, Z + rows[i] * k, k * sizeof **Zo);
		(*yo)[i] = y[rows[i]];
	}
	return 0;
}

/* λ by K-fold cross-validation over the path of the full data (seeded by o->seed). */
static int choose_lambda(const wb_learner *m, const double *Z, const double *y, size_t n, double a,
			 const double *path, double *best, wb_err *err)
{
	size_t k = m->k;
	int K = m->o.cv_folds;
	if ((size_t)K > n)
		K = (int)n;
	double cvloss[WB_LEARNER_PATH] = {0};
	int *fold = malloc((n ? n : 1) * sizeof *fold);
	size_t *tr = malloc((n ? n : 1) * sizeof *tr), *te = malloc((n ? n : 1) * sizeof *te);
	double *b = malloc((k ? k : 1) * sizeof *b);
	wb_rng *rng = wb_rng_new(m->o.seed);
	int rc = 0;
	if (!fold || !tr || !te || !b || !rng) {
		rc = nomem(err);
		goto out;
	}
	if ((rc = wb_learner_folds(n, K, m->task == WB_TASK_CLASSIFICATION ? y : NULL, rng, fold,
				   err)))
		goto out;
	for (int f = 0; f < K && rc == 0; f++) {
		size_t ntr = 0, nte = 0;
		for (size_t i = 0; i < n; i++) {
			if (fold[i] == f)
				te[nte++] = i;
			else
				tr[ntr++] = i;
		}
		double *Ztr = NULL, *ytr = NULL, *Zte = NULL, *yte = NULL;
		fitset fs;
		memset(&fs, 0, sizeof fs);
		if (gather(Z, y, k, tr, ntr, &Ztr, &ytr) || gather(Z, y, k, te, nte, &Zte, &yte) ||
		    fitset_init(&fs, Ztr, ytr, ntr, k, m->task)) {
			rc = nomem(err);
		} else if (m->task == WB_TASK_CLASSIFICATION &&
			   check_target(m->task, ytr, ntr, NULL, 0, err)) {
			rc = wb_err_prefix(err, "cross-validating lambda, fold %d of %d", f + 1, K);
		} else {
			memset(b, 0, k * sizeof *b);
			double b0 = 0;
			for (int l = 0; l < WB_LEARNER_PATH && rc == 0; l++) {
				rc = fit_lambda(&fs, m->task, path[l], a, b, &b0, err);
				cvloss[l] += loss(&fs, m->task, Zte, yte, nte, b, b0);
			}
		}
		fitset_free(&fs);
		free(Ztr);
		free(ytr);
		free(Zte);
		free(yte);
	}
	if (rc == 0) {
		int bi = 0;
		for (int l = 1; l < WB_LEARNER_PATH; l++)
			if (cvloss[l] < cvloss[bi])
				bi = l;
		*best = path[bi];
	}
out:
	free(fold);
	free(tr);
	free(te);
	free(b);
	wb_rng_free(rng);
	return rc;
}

/* Ridge or lasso on the expanded rows Z (n × k). */
static int fit_penalised(wb_learner *m, const double *Z, const double *y, size_t n, wb_err *err)
{
	size_t k = m->k;
	double a = m->o.kind == WB_LEARNER_LASSO ? 1 : 0;
	fitset fs;
	double *b = calloc(k ? k : 1, sizeof *b);
	int rc = 0;
	if (!b || fitset_init(&fs, Z, y, n, k, m->task)) {
		free(b);
		if (b)
			fitset_free(&fs);
		return nomem(err);
	}
	double path[WB_LEARNER_PATH];
	lambda_path(&fs, m->task, a, path);
	double lambda = m->o.lambda;
	if (lambda < 0 && (rc = choose_lambda(m, Z, y, n, a, path, &lambda, err)))
		goto out;
	/* warm start down the path to the chosen λ, then at λ itself */
	double b0 = 0;
	for (int l = 0; l < WB_LEARNER_PATH && path[l] > lambda && rc == 0; l++)
		rc = fit_lambda(&fs, m->task, path[l], a, b, &b0, err);
	if (rc || (rc = fit_lambda(&fs, m->task, lambda, a, b, &b0, err)))
		goto out;
	m->lambda = lambda;
	m->b0 = b0;
	for (size_t j = 0; j < k; j++)
		m->beta[j] = fs.sd[j] > 0 ? b[j] / fs.sd[j] : 0;
out:
	fitset_free(&fs);
	free(b);
	return rc;
}

/* ---- linear family: unpenalised fits through glm.h ---- */

/* Name of term t ("Age", "Age²", "Age×Income"; "x3" without names) into buf. */
static void term_name(const wb_learner *m, size_t t, char *buf, size_t size)
{
	char a[64], b[64];
	const char *const *nm = m->o.names;
	if (nm)
		snprintf(a, sizeof a, "%s", nm[m->ta[t]]);
	else
		snprintf(a, sizeof a, "x%d", m->ta[t] + 1);
	if (m->tb[t] < 0) {
		snprintf(buf, size, "%s", a);
	} else if (m->tb[t] == m->ta[t]) {
		snprintf(buf, size, "%s²", a);
	} else {
		if (nm)
			snprintf(b, sizeof b, "%s", nm[m->tb[t]]);
		else
			snprintf(b, sizeof b, "x%d", m->tb[t] + 1);
		snprintf(buf, size, "%s×%s", a, b);
	}
}

/* OLS or logistic regression of y on (1, Z): Z is n × k expanded rows. */
static int fit_glm(wb_learner *m, const double *Z, const double *y, size_t n, wb_err *err)
{
	size_t k = m->k, k1 = k + 1;
	double *X1 = malloc(n * k1 * sizeof *X1);
	char *store = malloc(k1 * 140);
	const char **names = malloc(k1 * sizeof *names);
	int rc = 0;
	if (!X1 || !store || !names) {
		rc = nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		X1[i * k1] = 1;
		memcpy(X1 + i * k1 + 1, Z + i * k, k * sizeof *X1);
	}
	names[0] = "(Intercept)";
	for (size_t t = 0; t < k; t++) {
		term_name(m, t, store + (t + 1) * 140, 140);
		names[t + 1] = store + (t + 1) * 140;
	}
	const double *beta;
	wb_ols ols = {0};
	wb_logit lg = {0};
	if (m->task == WB_TASK_REGRESSION) {
		wb_xprod xp;
		rc = wb_xprod_compute(X1, n, k1, y, NULL, m->o.threads, &xp, err);
		if (rc == 0) {
			rc = wb_ols_solve(&xp, names, &ols, err);
			wb_xprod_free(&xp);
		}
		beta = ols.beta;
	} else {
		wb_logit_opts lo = {.threads = m->o.threads};
		rc = wb_logit_fit(X1, n, k1, y, NULL, &lo, names, &lg, err);
		beta = lg.beta;
	}
	if (rc == 0) {
		m->b0 = beta[0];
		memcpy(m->beta, beta + 1, k * sizeof *m->beta);
	}
	wb_ols_free(&ols);
	wb_logit_free(&lg);
out:
	free(X1);
	free(store);
	free(names);
	return rc;
}

/* ---- the interface ---- */

int wb_learner_fit(const wb_learner_opts *o, wb_task task, const double *X, size_t n, size_t p,
		   const double *y, const size_t *rows, size_t nrows, wb_learner **out, wb_err *err)
{
	int rc = wb_learner_check(o, err);
	if (rc)
		return rc;
	size_t cnt = rows ? nrows : n;
	if (cnt < 2)
		return wb_err_set(err, WB_EINVAL, "a learner needs at least 2 rows (got %zu)", cnt);
	if ((rc = check_target(task, y, n, rows, nrows, err)))
		return rc;
	wb_learner *m = calloc(1, sizeof *m);
	if (!m)
		return nomem(err);
	m->o = *o;
	m->task = task;
	m->p = p;
	m->lambda = NAN;
	if (o->kind == WB_LEARNER_GBM || o->kind == WB_LEARNER_RF) {
		rc = wb_xgb_fit(o, task, X, n, p, y, rows, nrows, &m->booster, err);
	} else if (!(rc = check_features(X, n, p, rows, nrows, err))) {
		double *Z = NULL, *yy = malloc((cnt ? cnt : 1) * sizeof *yy);
		if (!yy || choose_terms(m, X, n, rows, nrows) ||
		    !(Z = expand(m, X, n, rows, nrows)) ||
		    !(m->beta = calloc(m->k ? m->k : 1, sizeof *m->beta))) {
			rc = nomem(err);
		} else {
			for (size_t i = 0; i < cnt; i++)
				yy[i] = y[rows ? rows[i] : i];
			rc = o->kind == WB_LEARNER_LINEAR ? fit_glm(m, Z, yy, cnt, err)
							  : fit_penalised(m, Z, yy, cnt, err);
		}
		free(Z);
		free(yy);
	}
	if (rc) {
		wb_learner_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

int wb_learner_predict(const wb_learner *m, const double *X, size_t n, const size_t *rows,
		       size_t nrows, double *out, wb_err *err)
{
	if (m->booster)
		return wb_xgb_predict(m->booster, &m->o, m->task, X, n, m->p, rows, nrows, out,
				      err);
	int rc = check_features(X, n, m->p, rows, nrows, err);
	if (rc)
		return rc;
	size_t cnt = rows ? nrows : n;
	double *z = malloc((m->k ? m->k : 1) * sizeof *z);
	if (!z)
		return nomem(err);
	for (size_t i = 0; i < cnt; i++) {
		const double *x = X + (rows ? rows[i] : i) * m->p;
		double s = m->b0;
		for (size_t t = 0; t < m->k; t++) {
			z[t] = m->tb[t] < 0 ? x[m->ta[t]] : x[m->ta[t]] * x[m->tb[t]];
			s += z[t] * m->beta[t];
		}
		out[i] = m->task == WB_TASK_CLASSIFICATION ? sigmoid(s) : s;
	}
	free(z);
	return 0;
}

void wb_learner_free(wb_learner *m)
{
	if (!m)
		return;
	wb_xgb_free(m->booster);
	free(m->ta);
	free(m->tb);
	free(m->beta);
	free(m);
}

size_t wb_learner_coefs(const wb_learner *m, double *intercept_out, const double **beta)
{
	if (m->booster)
		return 0;
	if (intercept_out)
		*intercept_out = m->b0;
	if (beta)
		*beta = m->beta;
	return m->k;
}

double wb_learner_lambda(const wb_learner *m)
{
	return m->lambda;
}

/* ---- cross-fitting (Chernozhukov et al. 2018, definition 3.1) ---- */

int wb_learner_folds(size_t n, int k, const double *strata, wb_rng *rng, int *fold, wb_err *err)
{
	if (k < 2 || (size_t)k > n)
		return wb_err_set(err, WB_EINVAL, "folds must be between 2 and %zu (got %d)", n, k);
	size_t *idx = malloc(n * sizeof *idx);
	if (!idx)
		return nomem(err);
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	wb_rng_shuffle(rng, idx, n);
	if (!strata) {
		for (size_t i = 0; i < n; i++)
			fold[idx[i]] = (int)(i % (size_t)k);
		free(idx);
		return 0;
	}
	/* deal each stratum in turn, continuing the round-robin where the last one stopped */
	for (size_t i = 0; i < n; i++)
		fold[i] = -1;
	size_t next = 0;
	for (size_t s = 0; s < n; s++) {
		size_t lead = idx[s];
		if (fold[lead] >= 0)
			continue;
		for (size_t i = s; i < n; i++) {
			size_t r = idx[i];
			if (fold[r] < 0 && (strata[r] == strata[lead] ||
					    (isnan(strata[r]) && isnan(strata[lead]))))
				fold[r] = (int)(next++ % (size_t)k);
		}
	}
	free(idx);
	return 0;
}

int wb_learner_crossfit(const wb_learner_opts *o, wb_task task, const double *X, size_t n, size_t p,
			const double *y, const int *fold, int k, const unsigned char *use,
			double *oof, wb_progress *progress, wb_err *err)
{
	size_t *tr = malloc((n ? n : 1) * sizeof *tr), *te = malloc((n ? n : 1) * sizeof *te);
	double *pred = malloc((n ? n : 1) * sizeof *pred);
	int rc = 0;
	if (!tr || !te || !pred) {
		rc = nomem(err);
		goto out;
	}
	for (int f = 0; f < k && rc == 0; f++) {
		if (wb_progress_cancelled(progress)) {
			rc = wb_err_set(err, WB_ECANCEL, "cancelled");
			break;
		}
		size_t ntr = 0, nte = 0;
		for (size_t i = 0; i < n; i++) {
			if (use && !use[i])
				continue;
			if (fold[i] == f)
				te[nte++] = i;
			else
				tr[ntr++] = i;
		}
		if (nte == 0)
			continue;
		wb_learner *m = NULL;
		rc = wb_learner_fit(o, task, X, n, p, y, tr, ntr, &m, err);
		if (rc == 0)
			rc = wb_learner_predict(m, X, n, te, nte, pred, err);
		wb_learner_free(m);
		if (rc) {
			wb_err_prefix(err, "fold %d of %d", f + 1, k);
			break;
		}
		for (size_t i = 0; i < nte; i++)
			oof[te[i]] = pred[i];
		wb_progress_set(progress, (double)(f + 1) / k);
	}
out:
	free(tr);
	free(te);
	free(pred);
	return rc;
}
