/* result.c — see result.h. */
#include "result.h"

#include "err.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wb_result {
	char *title, *command;
	char *view; /* drawing hint, NULL: a table */
	char **colnames;
	int *digits;
	size_t ncols, nrows, rowcap;
	wb_cell *cells; /* row-major, nrows * ncols */
	char **notes;
	size_t nnotes;
};

static char *dupstr(const char *s)
{
	size_t n = strlen(s ? s : "") + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s ? s : "", n);
	return d;
}

wb_result *wb_result_new(const char *title)
{
	wb_result *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->title = dupstr(title);
	r->command = dupstr("");
	if (!r->title || !r->command) {
		wb_result_free(r);
		return NULL;
	}
	return r;
}

static void cell_clear(wb_cell *c)
{
	free(c->str);
	for (size_t i = 0; i < c->nset; i++)
		free(c->set[i]);
	free(c->set);
	memset(c, 0, sizeof *c);
}

void wb_result_free(wb_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrows * r->ncols; i++)
		cell_clear(&r->cells[i]);
	free(r->cells);
	for (size_t i = 0; i < r->ncols; i++)
		free(r->colnames[i]);
	free(r->colnames);
	free(r->digits);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	free(r->title);
	free(r->command);
	free(r->view);
	free(r);
}

static int replace_str(char **slot, const char *s)
{
	char *d = dupstr(s);
	if (!d)
		return WB_ENOMEM;
	free(*slot);
	*slot = d;
	return 0;
}

int wb_result_set_view(wb_result *r, const char *view)
{
	if (!view || !*view) {
		free(r->view);
		r->view = NULL;
		return 0;
	}
	return replace_str(&r->view, view);
}

const char *wb_result_view(const wb_result *r)
{
	return r->view ? r->view : "";
}

int wb_result_set_command(wb_result *r, const char *command)
{
	return replace_str(&r->command, command);
}

int wb_result_set_title(wb_result *r, const char *title)
{
	return replace_str(&r->title, title);
}

int wb_result_add_column(wb_result *r, const char *name)
{
	if (r->nrows > 0)
		return WB_EINVAL;
	char **names = realloc(r->colnames, (r->ncols + 1) * sizeof *names);
	if (!names)
		return WB_ENOMEM;
	r->colnames = names;
	int *digits = realloc(r->digits, (r->ncols + 1) * sizeof *digits);
	if (!digits)
		return WB_ENOMEM;
	r->digits = digits;
	if (!(names[r->ncols] = dupstr(name)))
		return WB_ENOMEM;
	digits[r->ncols] = 6;
	return (int)r->ncols++;
}

void wb_result_set_digits(wb_result *r, size_t col, int digits)
{
	if (col < r->ncols)
		r->digits[col] = digits;
}

long wb_result_add_row(wb_result *r)
{
	if (r->nrows == r->rowcap) {
		size_t cap = r->rowcap ? 2 * r->rowcap : 16;
		wb_cell *c = realloc(r->cells, cap * (r->ncols ? r->ncols : 1) * sizeof *c);
		if (!c)
			return WB_ENOMEM;
		r->cells = c;
		r->rowcap = cap;
	}
	memset(&r->cells[r->nrows * r->ncols], 0, r->ncols * sizeof(wb_cell));
	return (long)r->nrows++;
}

static wb_cell *cell_at(wb_result *r, size_t row, size_t col)
{
	if (row >= r->nrows || col >= r->ncols)
		return NULL;
	return &r->cells[row * r->ncols + col];
}

int wb_result_set_num(wb_result *r, size_t row, size_t col, double x)
{
	wb_cell *c = cell_at(r, row, col);
	if (!c)
		return WB_EINVAL;
	cell_clear(c);
	c->kind = WB_CELL_NUM;
	c->num = x;
	return 0;
}

int wb_result_set_str(wb_result *r, size_t row, size_t col, const char *s)
{
	wb_cell *c = cell_at(r, row, col);
	if (!c)
		return WB_EINVAL;
	char *d = dupstr(s);
	if (!d)
		return WB_ENOMEM;
	cell_clear(c);
	c->kind = WB_CELL_STR;
	c->str = d;
	return 0;
}

int wb_result_set_set(wb_result *r, size_t row, size_t col, const char *const *items, size_t n)
{
	wb_cell *c = cell_at(r, row, col);
	if (!c)
		return WB_EINVAL;
	char **set = calloc(n ? n : 1, sizeof *set);
	if (!set)
		return WB_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!(set[i] = dupstr(items[i]))) {
			while (i--)
				free(set[i]);
			free(set);
			return WB_ENOMEM;
		}
	}
	cell_clear(c);
	c->kind = WB_CELL_SET;
	c->set = set;
	c->nset = n;
	return 0;
}

int wb_result_add_note(wb_result *r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char **notes = realloc(r->notes, (r->nnotes + 1) * sizeof *notes);
	if (!notes)
		return WB_ENOMEM;
	r->notes = notes;
	if (!(notes[r->nnotes] = dupstr(buf)))
		return WB_ENOMEM;
	r->nnotes++;
	return 0;
}

const char *wb_result_title(const wb_result *r) { return r->title; }
const char *wb_result_command(const wb_result *r) { return r->command; }
size_t wb_result_ncols(const wb_result *r) { return r->ncols; }
size_t wb_result_nrows(const wb_result *r) { return r->nrows; }
size_t wb_result_nnotes(const wb_result *r) { return r->nnotes; }

const char *wb_result_colname(const wb_result *r, size_t col)
{
	return col < r->ncols ? r->colnames[col] : NULL;
}

int wb_result_digits(const wb_result *r, size_t col)
{
	return col < r->ncols ? r->digits[col] : 6;
}

const wb_cell *wb_result_cell(const wb_result *r, size_t row, size_t col)
{
	if (row >= r->nrows || col >= r->ncols)
		return NULL;
	return &r->cells[row * r->ncols + col];
}

const char *wb_result_note(const wb_result *r, size_t i)
{
	return i < r->nnotes ? r->notes[i] : NULL;
}

/* printf's %g honours LC_NUMERIC; whybench output must not, so swap any ',' back to '.'. */
static void c_locale_point(char *s)
{
	for (; *s; s++)
		if (*s == ',')
			*s = '.';
}

char *wb_fmt_num(double x, int digits, char *buf, size_t size)
{
	if (isnan(x)) {
		snprintf(buf, size, "NA");
		return buf;
	}
	if (isinf(x)) {
		snprintf(buf, size, x > 0 ? "inf" : "-inf");
		return buf;
	}
	if (x == 0) {
		snprintf(buf, size, "0");
		return buf;
	}
	if (fabs(x) < 1e15 && x == floor(x)) {
		snprintf(buf, size, "%.0f", x);
		return buf;
	}
	if (digits > 0) {
		snprintf(buf, size, "%.*g", digits, x);
	} else {
		for (int p = 15; p <= 17; p++) {
			snprintf(buf, size, "%.*g", p, x);
			c_locale_point(buf);
			if (strtod(buf, NULL) == x)
				break;
		}
	}
	c_locale_point(buf);
	return buf;
}

char *wb_result_cell_text(const wb_result *r, size_t row, size_t col, char *buf, size_t size)
{
	const wb_cell *c = wb_result_cell(r, row, col);
	if (size)
		buf[0] = '\0';
	if (!c)
		return buf;
	switch (c->kind) {
	case WB_CELL_NULL:
		break;
	case WB_CELL_NUM:
		wb_fmt_num(c->num, r->digits[col], buf, size);
		break;
	case WB_CELL_STR:
		snprintf(buf, size, "%s", c->str);
		break;
	case WB_CELL_SET: {
		size_t len = 0;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "{");
		for (size_t i = 0; i < c->nset; i++)
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
						i ? ", " : "", c->set[i]);
		snprintf(buf + (len < size ? len : size - 1), len < size ? size - len : 1, "}");
		break;
	}
	}
	return buf;
}
