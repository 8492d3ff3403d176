/* frame_stats.c — summary statistics of frame columns: column stats, describe, histogram,
 * sorting. See frame.h. */
#include "frame_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Quantile of sorted x[0..n-1] by linear interpolation between order statistics, "type 7" of
 * Hyndman & Fan (1996), the default of R and of pandas: h = (n - 1) p. */
static double quantile7(const double *x, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return x[n - 1];
	return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

int wb_frame_column_stats(const wb_frame *f, size_t j, wb_colstats *out, wb_err *err)
{
	if (!f || !out || j >= f->ncols)
		return wb_err_set(err, WB_EINVAL, "column stats: no column %zu", j);
	const wb_fcol *c = &f->cols[j];
	memset(out, 0, sizeof *out);
	out->mean = out->sd = out->min = out->q1 = out->median = out->q3 = out->max = NAN;
	out->nlevels = c->nlevels;
	for (size_t i = 0; i < f->nrows; i++)
		out->missing += isnan(c->v[i]) != 0;
	out->count = f->nrows - out->missing;

	if (c->kind == WB_COL_CATEGORICAL || c->kind == WB_COL_BINARY) {
		size_t nk = c->kind == WB_COL_BINARY ? 2 : c->nlevels;
		size_t *counts = calloc(nk ? nk : 1, sizeof *counts);
		if (!counts)
			return wb_err_set(err, WB_ENOMEM, "column stats: out of memory");
		for (size_t i = 0; i < f->nrows; i++) {
			double x = c->v[i];
			if (!isnan(x) && x >= 0 && x < (double)nk)
				counts[(size_t)x]++;
		}
		/* the three most frequent codes; ties go to the lower code */
		for (size_t t = 0; t < 3 && t < nk; t++) {
			size_t best = nk;
			for (size_t k = 0; k < nk; k++) {
				int taken = 0;
				for (size_t u = 0; u < t; u++)
					taken |= out->top[u] == k;
				if (!taken && counts[k] && (best == nk || counts[k] > counts[best]))
					best = k;
			}
			if (best == nk)
				break;
			out->top[t] = best;
			out->top_count[t] = counts[best];
			out->ntop++;
		}
		free(counts);
		if (c->kind == WB_COL_CATEGORICAL)
			return 0;
	}
	if (out->count == 0)
		return 0;
	double *x = malloc(out->count * sizeof *x);
	if (!x)
		return wb_err_set(err, WB_ENOMEM, "column stats: out of memory");
	size_t n = 0;
	double sum = 0;
	for (size_t i = 0; i < f->nrows; i++)
		if (!isnan(c->v[i])) {
			x[n++] = c->v[i];
			sum += c->v[i];
		}
	/* two passes: the mean, then squared deviations from it (no cancellation) */
	out->mean = sum / (double)n;
	if (n > 1) {
		double ss = 0;
		for (size_t i = 0; i < n; i++)
			ss += (x[i] - out->mean) * (x[i] - out->mean);
		out->sd = sqrt(ss / (double)(n - 1));
	}
	qsort(x, n, sizeof *x, cmp_double);
	out->min = x[0];
	out->q1 = quantile7(x, n, 0.25);
	out->median = quantile7(x, n, 0.5);
	out->q3 = quantile7(x, n, 0.75);
	out->max = x[n - 1];
	free(x);
	return 0;
}

/* Sets a cell to a number, or for a date column to its ISO text; NaN leaves it empty. */
static int set_value(wb_result *r, size_t row, size_t col, double x, int date)
{
	if (isnan(x))
		return 0;
	if (!date)
		return wb_result_set_num(r, row, col, x);
	char b[64];
	return wb_result_set_str(r, row, col, wb_frame_fmt_date(x, b, sizeof b));
}

int wb_frame_describe(const wb_frame *f, const size_t *cols, size_t ncols, wb_result **out,
		      wb_err *err)
{
	if (!f || !out)
		return wb_err_set(err, WB_EINVAL, "describe: missing argument");
	*out = NULL;
	size_t n = cols && ncols ? ncols : f->ncols;
	for (size_t t = 0; cols && t < ncols; t++)
		if (cols[t] >= f->ncols)
			return wb_err_set(err, WB_EINVAL, "describe: no column %zu", cols[t]);
	static const char *names[] = {"column", "kind", "count", "missing", "mean", "sd",
				      "min",	"25%",	"50%",	 "75%",	    "max",  "top"};
	wb_result *r = wb_result_new("describe");
	int rc = r ? 0 : WB_ENOMEM;
	for (size_t k = 0; !rc && k < sizeof names / sizeof *names; k++)
		rc = wb_result_add_column(r, names[k]) < 0 ? WB_ENOMEM : 0;
	for (size_t t = 0; !rc && t < n; t++) {
		size_t j = cols && ncols ? cols[t] : t;
		const wb_fcol *c = &f->cols[j];
		wb_colstats s;
		rc = wb_frame_column_stats(f, j, &s, err);
		if (rc)
			break;
		long row = wb_result_add_row(r);
		if (row < 0) {
			rc = WB_ENOMEM;
			break;
		}
		size_t i = (size_t)row;
		int date = c->kind == WB_COL_DATE;
		rc |= wb_result_set_str(r, i, 0, c->name);
		rc |= wb_result_set_str(r, i, 1, wb_col_kind_name(c->kind));
		rc |= wb_result_set_num(r, i, 2, (double)s.count);
		rc |= wb_result_set_num(r, i, 3, (double)s.missing);
		rc |= set_value(r, i, 4, s.mean, date);
		rc |= set_value(r, i, 5, s.sd, 0);
		rc |= set_value(r, i, 6, s.min, date);
		rc |= set_value(r, i, 7, s.q1, date);
		rc |= set_value(r, i, 8, s.median, date);
		rc |= set_value(r, i, 9, s.q3, date);
		rc |= set_value(r, i, 10, s.max, date);
		if (s.ntop) {
			char top[512];
			size_t len = 0;
			top[0] = '\0';
			for (size_t k = 0; k < s.ntop && len < sizeof top; k++) {
				const char *lv = c->kind == WB_COL_BINARY ? (s.top[k] ? "1" : "0")
									  : c->levels[s.top[k]];
				len += (size_t)snprintf(top + len, sizeof top - len, "%s%s (%zu)",
							k ? ", " : "", lv, s.top_count[k]);
			}
			rc |= wb_result_set_str(r, i, 11, top);
		}
		if (rc)
			rc = WB_ENOMEM;
	}
	if (rc) {
		wb_result_free(r);
		if (rc == WB_ENOMEM)
			return wb_err_set(err, WB_ENOMEM, "describe: out of memory");
		return rc;
	}
	*out = r;
	return 0;
}

long wb_frame_histogram(const wb_frame *f, size_t j, size_t nbins, size_t *counts, double *lo,
			double *hi)
{
	if (!f || j >= f->ncols || (!counts && nbins))
		return WB_EINVAL;
	const wb_fcol *c = &f->cols[j];
	for (size_t b = 0; b < nbins; b++)
		counts[b] = 0;
	if (lo)
		*lo = NAN;
	if (hi)
		*hi = NAN;
	if (nbins == 0)
		return 0;
	if (c->kind == WB_COL_CATEGORICAL) {
		size_t used = c->nlevels < nbins ? c->nlevels : nbins;
		for (size_t i = 0; i < f->nrows; i++) {
			double x = c->v[i];
			if (!isnan(x) && x >= 0 && x < (double)used)
				counts[(size_t)x]++;
		}
		if (lo)
			*lo = 0;
		if (hi)
			*hi = (double)c->nlevels;
		return (long)used;
	}
	/* the range of the finite values; infinities fall into the end bins */
	double mn = INFINITY, mx = -INFINITY;
	for (size_t i = 0; i < f->nrows; i++) {
		double x = c->v[i];
		if (isfinite(x)) {
			mn = x < mn ? x : mn;
			mx = x > mx ? x : mx;
		}
	}
	if (mn > mx)
		return 0;
	if (lo)
		*lo = mn;
	if (hi)
		*hi = mx;
	size_t used = mn == mx ? 1 : nbins;
	double width = (mx - mn) / (double)used;
	for (size_t i = 0; i < f->nrows; i++) {
		double x = c->v[i];
		if (isnan(x))
			continue;
		size_t b;
		if (x <= mn)
			b = 0;
		else if (x >= mx)
			b = used - 1; /* the last bin is closed: [lo, hi] */
		else {
			b = (size_t)((x - mn) / width);
			if (b >= used)
				b = used - 1;
		}
		counts[b]++;
	}
	return (long)used;
}

/* Stable merge sort of idx[0..n-1] by key (ascending, or descending with desc), tmp holds n. */
static void merge_sort(size_t *idx, size_t *tmp, size_t n, const double *key, int desc)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	merge_sort(idx, tmp, h, key, desc);
	merge_sort(idx + h, tmp, n - h, key, desc);
	size_t a = 0, b = h, o = 0;
	while (a < h && b < n) {
		double ka = key[idx[a]], kb = key[idx[b]];
		/* take from the right only when strictly before: equal keys keep their order */
		int right = desc ? kb > ka : kb < ka;
		tmp[o++] = right ? idx[b++] : idx[a++];
	}
	while (a < h)
		tmp[o++] = idx[a++];
	while (b < n)
		tmp[o++] = idx[b++];
	memcpy(idx, tmp, n * sizeof *idx);
}

static int cmp_level(const void *a, const void *b, void *levels)
{
	char **lv = levels;
	return strcmp(lv[*(const size_t *)a], lv[*(const size_t *)b]);
}

int wb_frame_sort_index(const wb_frame *f, size_t j, int descending, size_t *idx, wb_err *err)
{
	if (!f || j >= f->ncols || (!idx && f->nrows))
		return wb_err_set(err, WB_EINVAL, "sort: no column %zu", j);
	const wb_fcol *c = &f->cols[j];
	size_t n = f->nrows;
	const double *key = c->v;
	double *rank = NULL;
	if (c->kind == WB_COL_CATEGORICAL) {
		/* categorical: order by level text, so the key is each code's rank among the
		 * sorted levels */
		size_t *order = malloc((c->nlevels ? c->nlevels : 1) * sizeof *order);
		double *lr = malloc((c->nlevels ? c->nlevels : 1) * sizeof *lr);
		rank = malloc((n ? n : 1) * sizeof *rank);
		if (!order || !lr || !rank) {
			free(order);
			free(lr);
			free(rank);
			return wb_err_set(err, WB_ENOMEM, "sort: out of memory");
		}
		for (size_t k = 0; k < c->nlevels; k++)
			order[k] = k;
		/* levels are distinct, so an unstable sort orders them the same way every time */
		qsort_r(order, c->nlevels, sizeof *order, cmp_level, c->levels);
		for (size_t k = 0; k < c->nlevels; k++)
			lr[order[k]] = (double)k;
		for (size_t i = 0; i < n; i++) {
			double x = c->v[i];
			rank[i] =
			    isnan(x) || x < 0 || x >= (double)c->nlevels ? NAN : lr[(size_t)x];
		}
		free(order);
		free(lr);
		key = rank;
	}
	size_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
	if (!tmp) {
		free(rank);
		return wb_err_set(err, WB_ENOMEM, "sort: out of memory");
	}
	/* missing last whatever the direction */
	size_t m = 0, miss = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(key[i]))
			idx[m++] = i;
		else
			tmp[miss++] = i;
	memcpy(idx + m, tmp, miss * sizeof *idx);
	merge_sort(idx, tmp, m, key, descending);
	free(tmp);
	free(rank);
	return 0;
}
