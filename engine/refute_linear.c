/* refute_linear.c — the refuters' fast path for linear regressions: refits from sufficient
 * statistics, many simulations to one pass over the rows. See refute_impl.h.
 *
 * The data keep the centred cross-products of [x t y] (d->zxy). A simulation changes one
 * column (placebo: the treatment; random-cause: a new covariate; dummy-outcome: the outcome)
 * or weights the rows (subset, bootstrap), so what its refit needs from the rows is
 *   linear kinds:  sum_i g_i (z_i - m)        for the used columns z = [x t y]
 *   weight kinds:  sum_i g_i (z_i - m)(z_i - m)' and sum_i g_i (z_i - m)
 * with g the simulation's draws and m the columns' means. For a block of rows and a chunk of
 * simulations these are one matrix product, draws (sims × rows) times the block's centred
 * columns or their pairwise products (rows × columns), done by engine/kernel's register-blocked
 * product; each refit is then a small centred system solved by wb_ols_solve. */
#include "refute_impl.h"

#include "kernel.h"
#include "parallel.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 256  /* rows of a block */
#define CHUNK 64  /* simulations sharing a pass */
#define SHUFFLE_BYTES ((size_t)64 << 20) /* a thread's shuffled columns at most */

#define MAX_COLS 64 /* x columns the fast path takes (a design wider than this refits) */

enum { K_PLACEBO, K_RANDOM, K_SUBSET, K_BOOT, K_DUMMY };

typedef struct lin {
	const wb_est_data *d;
	const wb_refute_opts *o;
	wb_draw_plan plan;
	int kind, weights, use_x;
	size_t px, qq, Q, width; /* x columns used; used columns [x t y]; a refit's sums */
	size_t pc, pQ, pwidth;	 /* the same without the intercept, whose centred column is 0:
				  * what a pass computes */
	size_t chunk;
	size_t ucol[MAX_COLS + 2]; /* the used columns' indices in d->zxy */
	size_t N, total; /* simulations; simulation-rows to pass (N n) */
	double *sims;
	atomic_size_t done; /* simulation-rows passed */
	atomic_int failed;
	int rc[WB_PARALLEL_MAX];
	wb_err err[WB_PARALLEL_MAX];
	wb_refute_skip skip[WB_PARALLEL_MAX];
} lin;

int wb_refute_linear_ok(const wb_estimate *e)
{
	const wb_est_data *d = wb_estimate_data(e);
	const char *m = wb_estimate_method_of(e)->name;
	return (strcmp(m, "regression") == 0 || strcmp(m, "naive") == 0) &&
	       d->tkind != WB_TREAT_CATEGORICAL && d->nv == 0 && !d->w && d->p <= MAX_COLS &&
	       d->zxy.p == d->p + 2;
}

static double cu(const lin *L, size_t r, size_t c)
{
	const wb_xprod *z = &L->d->zxy;
	return z->cxx[L->ucol[r] * z->p + L->ucol[c]];
}

static double mu(const lin *L, size_t r)
{
	return L->d->zxy.mean[L->ucol[r]];
}

/* Position of (r, c), r <= c, in a row of the products of the used columns. */
static size_t tri(size_t qq, size_t r, size_t c)
{
	return r * qq - r * (r - 1) / 2 + (c - r);
}

/* Solves the centred system s (k columns, intercept first) for the coefficient at lead. */
static int coef(const wb_xprod *s, size_t lead, double *out, wb_err *err)
{
	wb_ols o;
	int rc = wb_ols_solve(s, NULL, &o, err);
	if (rc == 0)
		*out = o.beta[lead];
	wb_ols_free(&o);
	return rc;
}

/* The refit of one simulation from its sums a (width values), sum of draws sg and of their
 * squares sg2. The columns are [x(px) lead extra], lead the treatment (or the placebo). */
static int refit(const lin *L, const double *a, double sg, double sg2, double *effect,
		 wb_err *err)
{
	size_t px = L->px, T = px, Y = px + 1, qq = L->qq;
	double n = (double)L->d->n;
	size_t k = px + 1 + (L->kind == K_RANDOM && L->use_x);
	double mean[k], cxx[k * k], cxy[k];
	wb_xprod s = {.p = k, .n = L->d->n, .sumw = n, .mean = mean, .cxx = cxx, .cxy = cxy};
	/* the covariates and the treatment as they are; the kinds change what differs */
	for (size_t r = 0; r < px + 1 && r < k; r++) {
		mean[r] = mu(L, r);
		cxy[r] = cu(L, r, Y);
		for (size_t c = 0; c < px + 1 && c < k; c++)
			cxx[r * k + c] = cu(L, r, c);
	}
	s.ymean = mu(L, Y);
	s.cyy = cu(L, Y, Y);
	switch (L->kind) {
	case K_PLACEBO: /* the treatment column becomes g */
		mean[T] = sg / n;
		for (size_t r = 0; r < px; r++)
			cxx[r * k + T] = cxx[T * k + r] = a[r];
		cxx[T * k + T] = sg2 - sg * sg / n;
		cxy[T] = a[Y];
		break;
	case K_RANDOM: /* g joins the covariates (the naive method has none to join) */
		if (k == px + 2) {
			size_t U = px + 1;
			mean[U] = sg / n;
			for (size_t r = 0; r <= px; r++)
				cxx[r * k + U] = cxx[U * k + r] = a[r];
			cxx[U * k + U] = sg2 - sg * sg / n;
			cxy[U] = a[Y];
		}
		break;
	case K_DUMMY: /* the outcome becomes g */
		s.ymean = sg / n;
		for (size_t r = 0; r <= px; r++)
			cxy[r] = a[r];
		s.cyy = sg2 - sg * sg / n;
		break;
	default: { /* g weights the rows: move the centre to the weighted means */
		const double *lin1 = a + L->Q - qq;
		double dw[qq];
		for (size_t r = 0; r < qq; r++)
			dw[r] = sg > 0 ? lin1[r] / sg : 0;
		s.sumw = sg;
		for (size_t r = 0; r <= px; r++) {
			mean[r] = mu(L, r) + dw[r];
			for (size_t c = 0; c <= px; c++) {
				size_t lo = r < c ? r : c, hi = r < c ? c : r;
				cxx[r * k + c] = a[tri(qq, lo, hi)] - sg * dw[r] * dw[c];
			}
			cxy[r] = a[tri(qq, r, Y)] - sg * dw[r] * dw[Y];
		}
		mean[0] = 1; /* the intercept: exactly, so the system stays centred */
		s.ymean = mu(L, Y) + dw[Y];
		s.cyy = a[tri(qq, Y, Y)] - sg * dw[Y] * dw[Y];
		/* A column constant in the weighted rows (a category no kept row has) leaves
		 * only rounding in its variance, which the solve cannot tell from a small but
		 * real one: measure it against the column's variance in all rows. */
		for (size_t r = 1; r <= px; r++)
			if (cxx[r * k + r] <= 1e-9 * (sg / n) * cu(L, r, r))
				return wb_err_set(err, WB_ENUMERIC,
						  "'%s' is constant in the simulation's rows",
						  r < px ? L->d->xnames[r] : L->d->tname);
		break;
	}
	}
	for (size_t c = 0; c < k; c++) /* the intercept's centred row is exactly 0 */
		cxx[c] = cxx[c * k] = 0;
	return coef(&s, T, effect, err);
}

/* Simulations [lo, hi) on one thread, CHUNK of them to a pass over the rows. */
/* A pass's sums (over the columns without the intercept) as a refit reads them (over all
 * used columns, the intercept's entries 0). */
static void widen(const lin *L, const double *pass, double *full)
{
	size_t qq = L->qq, pc = L->pc;
	memset(full, 0, L->width * sizeof *full);
	if (!L->weights) {
		for (size_t r = 0; r < pc; r++)
			full[r + 1] = pass[r];
		return;
	}
	for (size_t r = 0; r < pc; r++) {
		for (size_t c = r; c < pc; c++)
			full[tri(qq, r + 1, c + 1)] = pass[tri(pc, r, c)];
		full[L->Q - qq + r + 1] = pass[L->pQ - pc + r];
	}
}

/* Simulations [lo, hi) on one thread, CHUNK of them to a pass over the rows. */
static void lin_part(void *arg, int part, size_t lo, size_t hi)
{
	lin *L = arg;
	const wb_est_data *d = L->d;
	size_t n = d->n, p = d->p, pc = L->pc, W = L->pwidth, S = L->chunk;
	double *G = malloc(S * ROWS * sizeof *G), *Z = malloc(ROWS * pc * sizeof *Z);
	double *P = L->weights ? malloc(ROWS * L->pQ * sizeof *P) : NULL;
	double *A = malloc(S * W * sizeof *A), *full = malloc(L->width * sizeof *full);
	double sg[CHUNK], sg2[CHUNK], mean[MAX_COLS + 2];
	wb_draw dr[CHUNK];
	size_t started = 0;
	int rc = 0;
	wb_err *err = &L->err[part];
	if (!G || !Z || !A || !full || (L->weights && !P)) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t r = 0; r < pc; r++)
		mean[r] = mu(L, r + 1);
	for (size_t c0 = lo; c0 < hi && rc == 0; c0 += S) {
		size_t ns = hi - c0 < S ? hi - c0 : S;
		for (started = 0; started < ns; started++)
			if ((rc = wb_draw_start(&dr[started], &L->plan, L->o->rng, c0 + started, n,
						err)))
				goto out;
		memset(A, 0, ns * W * sizeof *A);
		memset(sg, 0, sizeof sg);
		memset(sg2, 0, sizeof sg2);
		for (size_t b0 = 0; b0 < n; b0 += ROWS) {
			if (atomic_load(&L->failed)) {
				rc = -1;
				goto out;
			}
			if (wb_progress_cancelled(L->o->progress)) {
				rc = wb_err_set(err, WB_ECANCEL, "cancelled");
				goto out;
			}
			size_t nb = n - b0 < ROWS ? n - b0 : ROWS;
			for (size_t i = 0; i < nb; i++) {
				const double *xi = d->x + (b0 + i) * p;
				double *zi = Z + i * pc;
				for (size_t r = 0; r + 1 < L->px; r++)
					zi[r] = xi[r + 1] - mean[r];
				zi[pc - 2] = d->t[b0 + i] - mean[pc - 2];
				zi[pc - 1] = d->y[b0 + i] - mean[pc - 1];
				if (!P)
					continue;
				double *pi = P + i * L->pQ;
				size_t k = 0;
				for (size_t r = 0; r < pc; r++)
					for (size_t c = r; c < pc; c++)
						pi[k++] = zi[r] * zi[c];
				for (size_t r = 0; r < pc; r++)
					pi[k++] = zi[r];
			}
			for (size_t s = 0; s < ns; s++) {
				double *g = G + s * ROWS, a = 0, a2 = 0;
				wb_draw_next(&dr[s], g, nb);
				for (size_t i = 0; i < nb; i++) {
					a += g[i];
					a2 += g[i] * g[i];
				}
				sg[s] += a;
				sg2[s] += a2;
			}
			wb_gemm_acc(ns, W, nb, G, ROWS, P ? P : Z, W, A, W);
			/* progress: simulation-rows done over all threads, every 64 blocks */
			size_t sr = atomic_fetch_add(&L->done, ns * nb) + ns * nb;
			if ((b0 / ROWS) % 64 == 63)
				wb_progress_set(L->o->progress, (double)sr / (double)L->total);
		}
		for (size_t s = 0; s < ns && rc == 0; s++) {
			widen(L, A + s * W, full);
			rc = refit(L, full, sg[s], sg2[s], &L->sims[c0 + s], err);
			if (rc == WB_ENUMERIC) { /* singular: leave this one out */
				wb_refute_skip_add(&L->skip[part], c0 + s, err);
				L->sims[c0 + s] = NAN;
				rc = 0;
			}
		}
		for (size_t s = 0; s < started; s++)
			wb_draw_end(&dr[s]);
		started = 0;
	}
out:
	for (size_t s = 0; s < started; s++)
		wb_draw_end(&dr[s]);
	if (rc > 0)
		atomic_store(&L->failed, 1);
	L->rc[part] = rc;
	free(G);
	free(Z);
	free(P);
	free(A);
	free(full);
}

static void lin_init(lin *L, const wb_estimate *e, const wb_refute_opts *o, const char *kind)
{
	memset(L, 0, sizeof *L);
	const wb_est_data *d = wb_estimate_data(e);
	L->d = d;
	L->o = o;
	L->use_x = strcmp(wb_estimate_method_of(e)->name, "regression") == 0;
	L->px = L->use_x ? d->p : 1;
	L->qq = L->px + 2;
	for (size_t r = 0; r < L->px; r++)
		L->ucol[r] = r;
	L->ucol[L->px] = d->p;
	L->ucol[L->px + 1] = d->p + 1;
	L->Q = L->qq * (L->qq + 1) / 2 + L->qq;
	L->pc = L->qq - 1;
	L->pQ = L->pc * (L->pc + 1) / 2 + L->pc;
	L->kind = strcmp(kind, "placebo") == 0	       ? K_PLACEBO
		  : strcmp(kind, "random-cause") == 0 ? K_RANDOM
		  : strcmp(kind, "subset") == 0	       ? K_SUBSET
		  : strcmp(kind, "bootstrap") == 0     ? K_BOOT
						       : K_DUMMY;
	L->weights = L->kind == K_SUBSET || L->kind == K_BOOT;
	L->width = L->weights ? L->Q : L->qq;
	L->pwidth = L->weights ? L->pQ : L->pc;
	L->plan = wb_draw_plan_of(d, kind, o->fraction);
	L->chunk = CHUNK;
	if (L->plan.kind == WB_DRAW_SHUFFLE) {
		size_t fit = SHUFFLE_BYTES / ((d->n ? d->n : 1) * sizeof(double));
		L->chunk = fit < 1 ? 1 : fit < CHUNK ? fit : CHUNK;
	}
	atomic_init(&L->done, 0);
	atomic_init(&L->failed, 0);
}

int wb_refute_linear_sims(const wb_estimate *e, const char *kind, const wb_refute_opts *o,
			  size_t N, double *sims, wb_refute_skip *skip, wb_err *err)
{
	lin L;
	lin_init(&L, e, o, kind);
	L.N = N;
	L.total = N * wb_estimate_data(e)->n;
	L.sims = sims;
	int T = wb_parallel_run(L.N, o->threads, 1, lin_part, &L);
	int rc = 0;
	for (int k = 0; k < T; k++) {
		if (L.rc[k] > 0 && rc == 0) { /* the first real error, in part order */
			rc = L.rc[k];
			*err = L.err[k];
		}
		wb_refute_skip_merge(skip, &L.skip[k]);
	}
	return rc;
}

int wb_refute_linear_grid(const wb_estimate *e, const wb_refute_opts *o, const double *kt,
			  size_t nkt, const double *ky, size_t nky, double *cells, wb_err *err)
{
	/* one pass: the noise column eps ~ N(0, 1) of stream 0 against [x t y] */
	lin L;
	lin_init(&L, e, o, "dummy-outcome");
	L.plan = (wb_draw_plan){WB_DRAW_NORMAL, 0, 1, NULL};
	double a[L.qq];
	const wb_est_data *d = L.d;
	size_t n = d->n, px = L.px, T = px, Y = px + 1;
	wb_draw dr;
	int rc = wb_draw_start(&dr, &L.plan, o->rng, 0, n, err);
	if (rc)
		return rc;
	double sg = 0, sg2 = 0, g[ROWS];
	memset(a, 0, sizeof a);
	for (size_t b0 = 0; b0 < n; b0 += ROWS) {
		size_t nb = n - b0 < ROWS ? n - b0 : ROWS;
		wb_draw_next(&dr, g, nb);
		for (size_t i = 0; i < nb; i++) {
			const double *xi = d->x + (b0 + i) * d->p;
			for (size_t r = 0; r < px; r++)
				a[r] += g[i] * (xi[r] - mu(&L, r));
			a[T] += g[i] * (d->t[b0 + i] - mu(&L, T));
			a[Y] += g[i] * (d->y[b0 + i] - mu(&L, Y));
			sg += g[i];
			sg2 += g[i] * g[i];
		}
	}
	wb_draw_end(&dr);
	double nn = (double)n, ee = sg2 - sg * sg / nn, ebar = sg / nn;
	double sdt = wb_refute_sd(d->t, n, NULL), ysd = wb_refute_sd(d->y, n, NULL);
	size_t k = px + 1;
	for (size_t ia = 0; ia < nkt && rc == 0; ia++)
		for (size_t ib = 0; ib < nky && rc == 0; ib++) {
			/* y' = y - A z - B eps with z = (t - mean) / sd(t) */
			double st = sqrt(1 - kt[ia] * kt[ia]);
			double A = ky[ib] * ysd * kt[ia] / (sdt > 0 ? sdt : 1), B = ky[ib] * ysd * st;
			if (!(sdt > 0))
				A = 0;
			double mean[k], cxx[k * k], cxy[k];
			wb_xprod s = {.p = k, .n = n, .sumw = nn, .mean = mean, .cxx = cxx,
				      .cxy = cxy};
			for (size_t r = 0; r < k; r++) {
				mean[r] = mu(&L, r);
				for (size_t c = 0; c < k; c++)
					cxx[r * k + c] = r == 0 || c == 0 ? 0 : cu(&L, r, c);
				cxy[r] = r == 0 ? 0 : cu(&L, r, Y) - A * cu(&L, r, T) - B * a[r];
			}
			s.ymean = mu(&L, Y) - B * ebar;
			s.cyy = cu(&L, Y, Y) - 2 * A * cu(&L, Y, T) - 2 * B * a[Y] +
				A * A * cu(&L, T, T) + 2 * A * B * a[T] + B * B * ee;
			rc = coef(&s, T, &cells[ia * nky + ib], err);
		}
	return rc;
}
