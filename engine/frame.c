/* frame.c — the columnar table itself: building, attributes, access, cell text. See frame.h.
 * CSV input/output lives in frame_csv.c, statistics in frame_stats.c. */
#include "frame_impl.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *wb_col_kind_name(wb_col_kind k)
{
	switch (k) {
	case WB_COL_NUMERIC:
		return "numeric";
	case WB_COL_BINARY:
		return "binary";
	case WB_COL_CATEGORICAL:
		return "categorical";
	case WB_COL_DATE:
		return "date";
	}
	return "unknown";
}

char *wb_frame_strndup(const char *s, size_t len)
{
	char *d = malloc(len + 1);
	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

/* ---- lifecycle ---- */

wb_frame *wb_frame_new(size_t nrows)
{
	wb_frame *f = calloc(1, sizeof *f);
	if (f)
		f->nrows = nrows;
	return f;
}

static void free_levels(char **levels, size_t n)
{
	if (!levels)
		return;
	for (size_t k = 0; k < n; k++)
		free(levels[k]);
	free(levels);
}

static void col_clear(wb_fcol *c)
{
	free(c->name);
	free(c->v);
	free_levels(c->levels, c->nlevels);
	memset(c, 0, sizeof *c);
}

void wb_frame_free(wb_frame *f)
{
	if (!f)
		return;
	for (size_t j = 0; j < f->ncols; j++)
		col_clear(&f->cols[j]);
	free(f->cols);
	for (size_t i = 0; i < f->nattrs; i++) {
		free(f->akeys[i]);
		free(f->avals[i]);
	}
	free(f->akeys);
	free(f->avals);
	free(f);
}

/* ---- columns ---- */

long wb_frame_col_index(const wb_frame *f, const char *name)
{
	if (!f || !name)
		return -1;
	for (size_t j = 0; j < f->ncols; j++)
		if (strcmp(f->cols[j].name, name) == 0)
			return (long)j;
	return -1;
}

/* Puts column c into f: replaces the column of the same name in place, or appends. Takes
 * ownership of c's contents; on failure frees them. */
static int put_column(wb_frame *f, wb_fcol *c)
{
	long at = wb_frame_col_index(f, c->name);
	if (at >= 0) {
		col_clear(&f->cols[at]);
		f->cols[at] = *c;
		return 0;
	}
	if (f->ncols == f->capcols) {
		size_t cap = f->capcols ? 2 * f->capcols : 8;
		wb_fcol *cols = realloc(f->cols, cap * sizeof *cols);
		if (!cols) {
			col_clear(c);
			return WB_ENOMEM;
		}
		f->cols = cols;
		f->capcols = cap;
	}
	f->cols[f->ncols++] = *c;
	return 0;
}

int wb_frame_adopt_column(wb_frame *f, char *name, wb_col_kind kind, double *v, char **levels,
			  size_t nlevels)
{
	wb_fcol c = {name, kind, v, levels, nlevels};
	if (!name || !v) {
		col_clear(&c);
		return WB_ENOMEM;
	}
	return put_column(f, &c);
}

/* A copy of n values, at least one slot allocated so a column array is never NULL. */
static double *copy_values(const double *values, size_t n)
{
	double *v = malloc((n ? n : 1) * sizeof *v);
	if (v && n)
		memcpy(v, values, n * sizeof *v);
	return v;
}

int wb_frame_set_column(wb_frame *f, const char *name, wb_col_kind kind, const double *values,
			wb_err *err)
{
	if (!f || !name || (!values && f->nrows))
		return wb_err_set(err, WB_EINVAL, "set column: missing argument");
	if (kind == WB_COL_CATEGORICAL)
		return wb_err_set(err, WB_EINVAL,
				  "column '%s': categorical columns need levels (set_categorical)",
				  name);
	if (kind != WB_COL_NUMERIC && kind != WB_COL_BINARY && kind != WB_COL_DATE)
		return wb_err_set(err, WB_EINVAL, "column '%s': unknown kind %d", name, (int)kind);
	if (kind == WB_COL_BINARY)
		for (size_t i = 0; i < f->nrows; i++)
			if (!isnan(values[i]) && values[i] != 0 && values[i] != 1)
				return wb_err_set(
				    err, WB_EINVAL,
				    "column '%s': binary value %g in row %zu is not 0 or 1", name,
				    values[i], i + 1);
	wb_fcol c = {strdup(name), kind, copy_values(values, f->nrows), NULL, 0};
	if (!c.name || !c.v) {
		col_clear(&c);
		return wb_err_set(err, WB_ENOMEM, "column '%s': out of memory", name);
	}
	if (put_column(f, &c) < 0)
		return wb_err_set(err, WB_ENOMEM, "column '%s': out of memory", name);
	return 0;
}

int wb_frame_set_categorical(wb_frame *f, const char *name, const double *codes,
			     const char *const *levels, size_t nlevels, wb_err *err)
{
	if (!f || !name || (!codes && f->nrows) || (!levels && nlevels))
		return wb_err_set(err, WB_EINVAL, "set categorical: missing argument");
	for (size_t i = 0; i < f->nrows; i++) {
		double x = codes[i];
		if (!isnan(x) && (x < 0 || x >= (double)nlevels || x != floor(x)))
			return wb_err_set(err, WB_EINVAL,
					  "column '%s': code %g in row %zu is not a level index "
					  "(0..%zu)",
					  name, x, i + 1, nlevels ? nlevels - 1 : 0);
	}
	for (size_t k = 0; k < nlevels; k++) {
		if (!levels[k])
			return wb_err_set(err, WB_EINVAL, "column '%s': level %zu is NULL", name,
					  k);
		for (size_t m = 0; m < k; m++)
			if (strcmp(levels[m], levels[k]) == 0)
				return wb_err_set(err, WB_EINVAL,
						  "column '%s': level '%s' given twice", name,
						  levels[k]);
	}
	wb_fcol c = {strdup(name), WB_COL_CATEGORICAL, copy_values(codes, f->nrows), NULL, nlevels};
	c.levels = calloc(nlevels ? nlevels : 1, sizeof *c.levels);
	int bad = !c.name || !c.v || !c.levels;
	for (size_t k = 0; !bad && k < nlevels; k++)
		bad = !(c.levels[k] = strdup(levels[k]));
	if (bad) {
		col_clear(&c);
		return wb_err_set(err, WB_ENOMEM, "column '%s': out of memory", name);
	}
	if (put_column(f, &c) < 0)
		return wb_err_set(err, WB_ENOMEM, "column '%s': out of memory", name);
	return 0;
}

int wb_frame_drop_column(wb_frame *f, const char *name, wb_err *err)
{
	long at = wb_frame_col_index(f, name);
	if (at < 0)
		return wb_err_set(err, WB_ENOTFOUND, "no column named '%s'", name ? name : "");
	col_clear(&f->cols[at]);
	memmove(&f->cols[at], &f->cols[at + 1], (f->ncols - (size_t)at - 1) * sizeof *f->cols);
	f->ncols--;
	return 0;
}

/* ---- rows ---- */

wb_frame *wb_frame_take_rows(const wb_frame *f, const size_t *idx, size_t n)
{
	if (!f || (!idx && n))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (idx[i] >= f->nrows)
			return NULL;
	wb_frame *g = wb_frame_new(n);
	if (!g)
		return NULL;
	for (size_t i = 0; i < f->nattrs; i++)
		if (wb_frame_set_attr(g, f->akeys[i], f->avals[i]) < 0)
			goto fail;
	for (size_t j = 0; j < f->ncols; j++) {
		const wb_fcol *s = &f->cols[j];
		wb_fcol c = {strdup(s->name), s->kind, malloc((n ? n : 1) * sizeof(double)), NULL,
			     s->nlevels};
		if (s->levels)
			c.levels = calloc(s->nlevels ? s->nlevels : 1, sizeof *c.levels);
		int bad = !c.name || !c.v || (s->levels && !c.levels);
		for (size_t k = 0; !bad && k < s->nlevels; k++)
			bad = !(c.levels[k] = strdup(s->levels[k]));
		if (bad) {
			col_clear(&c);
			goto fail;
		}
		for (size_t i = 0; i < n; i++)
			c.v[i] = s->v[idx[i]];
		if (put_column(g, &c) < 0)
			goto fail;
	}
	return g;
fail:
	wb_frame_free(g);
	return NULL;
}

wb_frame *wb_frame_copy(const wb_frame *f)
{
	if (!f)
		return NULL;
	size_t *idx = malloc((f->nrows ? f->nrows : 1) * sizeof *idx);
	if (!idx)
		return NULL;
	for (size_t i = 0; i < f->nrows; i++)
		idx[i] = i;
	wb_frame *g = wb_frame_take_rows(f, idx, f->nrows);
	free(idx);
	return g;
}

/* ---- attributes ---- */

static long attr_index(const wb_frame *f, const char *key)
{
	for (size_t i = 0; i < f->nattrs; i++)
		if (strcmp(f->akeys[i], key) == 0)
			return (long)i;
	return -1;
}

int wb_frame_set_attr(wb_frame *f, const char *key, const char *value)
{
	if (!f || !key)
		return WB_EINVAL;
	long at = attr_index(f, key);
	if (!value) {
		if (at >= 0) {
			free(f->akeys[at]);
			free(f->avals[at]);
			size_t tail = f->nattrs - (size_t)at - 1;
			memmove(&f->akeys[at], &f->akeys[at + 1], tail * sizeof *f->akeys);
			memmove(&f->avals[at], &f->avals[at + 1], tail * sizeof *f->avals);
			f->nattrs--;
		}
		return 0;
	}
	char *v = strdup(value);
	if (!v)
		return WB_ENOMEM;
	if (at >= 0) {
		free(f->avals[at]);
		f->avals[at] = v;
		return 0;
	}
	char *k = strdup(key);
	char **keys = realloc(f->akeys, (f->nattrs + 1) * sizeof *keys);
	if (keys)
		f->akeys = keys;
	char **vals = keys ? realloc(f->avals, (f->nattrs + 1) * sizeof *vals) : NULL;
	if (vals)
		f->avals = vals;
	if (!k || !keys || !vals) {
		free(k);
		free(v);
		return WB_ENOMEM;
	}
	f->akeys[f->nattrs] = k;
	f->avals[f->nattrs] = v;
	f->nattrs++;
	return 0;
}

const char *wb_frame_attr(const wb_frame *f, const char *key)
{
	if (!f || !key)
		return NULL;
	long at = attr_index(f, key);
	return at < 0 ? NULL : f->avals[at];
}

size_t wb_frame_nattrs(const wb_frame *f)
{
	return f ? f->nattrs : 0;
}

const char *wb_frame_attr_key(const wb_frame *f, size_t i)
{
	return f && i < f->nattrs ? f->akeys[i] : NULL;
}

/* ---- access ---- */

size_t wb_frame_nrows(const wb_frame *f)
{
	return f ? f->nrows : 0;
}

size_t wb_frame_ncols(const wb_frame *f)
{
	return f ? f->ncols : 0;
}

const char *wb_frame_colname(const wb_frame *f, size_t j)
{
	return f && j < f->ncols ? f->cols[j].name : NULL;
}

wb_col_kind wb_frame_col_kind(const wb_frame *f, size_t j)
{
	return f && j < f->ncols ? f->cols[j].kind : WB_COL_NUMERIC;
}

const double *wb_frame_col(const wb_frame *f, size_t j)
{
	return f && j < f->ncols ? f->cols[j].v : NULL;
}

size_t wb_frame_nlevels(const wb_frame *f, size_t j)
{
	return f && j < f->ncols ? f->cols[j].nlevels : 0;
}

const char *wb_frame_level(const wb_frame *f, size_t j, size_t k)
{
	if (!f || j >= f->ncols || k >= f->cols[j].nlevels)
		return NULL;
	return f->cols[j].levels[k];
}

long wb_frame_level_index(const wb_frame *f, size_t j, const char *level)
{
	if (!f || j >= f->ncols || !level)
		return -1;
	const wb_fcol *c = &f->cols[j];
	for (size_t k = 0; k < c->nlevels; k++)
		if (strcmp(c->levels[k], level) == 0)
			return (long)k;
	return -1;
}

/* ---- dates ---- */

int64_t wb_frame_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Hinnant's days_from_civil: shift the year to start in March so the leap day is last,
	 * then count 400-year eras of 146097 days. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Inverse of days_from_civil (Hinnant's civil_from_days). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

char *wb_frame_fmt_date(double days, char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	if (isnan(days))
		return buf;
	if (!(fabs(days) < 1e9)) { /* beyond any calendar we print: show the number */
		snprintf(buf, size, "%g", days);
		return buf;
	}
	int64_t secs = llround(days * 86400.0);
	int64_t day = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t sod = secs - day * 86400;
	int64_t y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	int hh = (int)(sod / 3600), mm = (int)(sod / 60 % 60), ss = (int)(sod % 60);
	if (sod == 0)
		snprintf(buf, size, "%04" PRId64 "-%02u-%02u", y, m, d);
	else if (ss == 0)
		snprintf(buf, size, "%04" PRId64 "-%02u-%02uT%02d:%02d", y, m, d, hh, mm);
	else
		snprintf(buf, size, "%04" PRId64 "-%02u-%02uT%02d:%02d:%02d", y, m, d, hh, mm, ss);
	return buf;
}

char *wb_frame_cell_text(const wb_frame *f, size_t i, size_t j, char *buf, size_t size)
{
	if (!size)
		return buf;
	buf[0] = '\0';
	if (!f || i >= f->nrows || j >= f->ncols)
		return buf;
	const wb_fcol *c = &f->cols[j];
	double x = c->v[i];
	if (isnan(x))
		return buf;
	switch (c->kind) {
	case WB_COL_CATEGORICAL:
		if (x >= 0 && x < (double)c->nlevels)
			snprintf(buf, size, "%s", c->levels[(size_t)x]);
		break;
	case WB_COL_DATE:
		wb_frame_fmt_date(x, buf, size);
		break;
	default:
		wb_fmt_num(x, 6, buf, size);
		break;
	}
	return buf;
}
