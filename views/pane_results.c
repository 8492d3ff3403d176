/*
 * pane_results.c — the Results pane: the selected wb_result as an aligned table (title,
 * column headers, rows, then its notes), scrollable both ways, with the list of results at
 * the right on wide terminals. `[` and `]` step through earlier and later results.
 *
 * A result's view hint (wb_result_view) adds a drawing above the table: "forest" draws each
 * row's effect and 95% interval (columns effect, ci_low, ci_high) as a horizontal bar on one
 * common axis, so estimates sit side by side; "heatmap" colours a grid of numbers (first
 * column the row key) from low (blue) to high (red), with shade glyphs in every cell so it
 * reads without colour too; "refute" colours the verdict column.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "screen_impl.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_W 32    /* result list width, border included */
#define LIST_MIN 110 /* narrower panes hide the list */
#define COL_GAP 2
#define COL_MAXW 40
#define WIDTH_SAMPLE 2000 /* rows measured for column widths */
#define FOREST_MAX 12     /* bars drawn */
#define HEAT_MAXROWS 16

const char *const wb_results_help[] = {
    "[ / ]                  earlier / later result",
    "arrows, h j k l        scroll rows and columns",
    "PgUp / PgDn, g / G     page up / down, top / bottom",
    NULL,
};

void wb_results_free(wb_results_view *v)
{
	free(v->width);
	memset(v, 0, sizeof *v);
}

void wb_results_select(wb_screen *s, size_t i)
{
	wb_results_view *v = &s->results;
	v->sel = i;
	v->have_sel = 1;
	v->top = v->left = 0;
}

static void measure(wb_results_view *v, const wb_result *r)
{
	if (v->wfor == r && v->width)
		return;
	size_t nc = wb_result_ncols(r), nr = wb_result_nrows(r);
	free(v->width);
	v->width = calloc(nc ? nc : 1, sizeof *v->width);
	v->nwidth = v->width ? nc : 0;
	v->wfor = r;
	char buf[256];
	for (size_t j = 0; j < v->nwidth; j++) {
		int w = wb_text_width(wb_result_colname(r, j));
		for (size_t i = 0; i < nr && i < WIDTH_SAMPLE && w < COL_MAXW; i++) {
			int cw = wb_text_width(wb_result_cell_text(r, i, j, buf, sizeof buf));
			if (cw > w)
				w = cw;
		}
		v->width[j] = w < 1 ? 1 : w > COL_MAXW ? COL_MAXW : w;
	}
}

static void draw_list(wb_screen *s, wb_rect r, size_t n)
{
	const wb_ui_host *h = s->host;
	attrset(wb_theme_attr(WB_TH_BORDER));
	for (int y = r.y; y < r.y + r.h; y++)
		mvaddstr(y, r.x, "│");
	attrset(wb_theme_attr(WB_TH_HEADER));
	wb_put(r.y, r.x + 2, r.w - 3, "Results", 0, 0);
	int rows = r.h - 1;
	/* keep the selected one in view, newest at the bottom */
	size_t first = n > (size_t)rows ? n - (size_t)rows : 0;
	if (s->results.sel < first)
		first = s->results.sel;
	for (int k = 0; k < rows && first + (size_t)k < n; k++) {
		size_t i = first + (size_t)k;
		const wb_result *res = h->result(h->ctx, i);
		char line[160];
		/* A confirmation has no title: show what it said. */
		const char *label = !res ? "?" : *wb_result_title(res) || !wb_result_nnotes(res)
						     ? wb_result_title(res) : wb_result_note(res, 0);
		snprintf(line, sizeof line, "%zu %s", i + 1, label);
		attrset(i == s->results.sel ? wb_theme_attr(WB_TH_CURSOR)
					    : wb_theme_attr(WB_TH_NORMAL));
		wb_put(r.y + 1 + k, r.x + 2, r.w - 3, line, 0, 1);
	}
	attrset(A_NORMAL);
}

static long find_col(const wb_result *r, const char *name)
{
	for (size_t j = 0; j < wb_result_ncols(r); j++)
		if (strcmp(wb_result_colname(r, j), name) == 0)
			return (long)j;
	return -1;
}

static double cell_num(const wb_result *r, size_t i, long j)
{
	const wb_cell *c = j < 0 ? NULL : wb_result_cell(r, i, (size_t)j);
	return c && c->kind == WB_CELL_NUM ? c->num : NAN;
}

/* Column of value v on an axis [lo, hi] drawn over w columns. */
static int axis_pos(double v, double lo, double hi, int w)
{
	double f = hi > lo ? (v - lo) / (hi - lo) : 0.5;
	int c = (int)(f * (w - 1) + 0.5);
	return c < 0 ? 0 : c >= w ? w - 1 : c;
}

/* The forest: one line per row, label, numbers, then the interval as a bar; an axis line
 * under them. Returns the lines used. */
static int draw_forest(const wb_result *res, int y, int x, int w, int hmax)
{
	long je = find_col(res, "effect"), jl = find_col(res, "ci_low"), jh = find_col(res, "ci_high");
	size_t nr = wb_result_nrows(res);
	if (je < 0 || jl < 0 || jh < 0 || nr == 0 || hmax < 3)
		return 0;
	size_t nb = nr < FOREST_MAX ? nr : FOREST_MAX;
	if ((int)nb > hmax - 2)
		nb = (size_t)(hmax - 2);
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < nb; i++) {
		double a = cell_num(res, i, jl), b = cell_num(res, i, jh), e = cell_num(res, i, je);
		if (isfinite(a) && a < lo)
			lo = a;
		if (isfinite(b) && b > hi)
			hi = b;
		if (isfinite(e) && e < lo)
			lo = e;
		if (isfinite(e) && e > hi)
			hi = e;
	}
	if (!isfinite(lo) || !isfinite(hi))
		return 0;
	double pad = (hi - lo) * 0.05 + 1e-12;
	lo -= pad;
	hi += pad;
	int lw = w / 4 > 28 ? 28 : w / 4, nw = 28, bx = x + lw + nw + 2, bw = w - lw - nw - 2;
	if (bw < 10)
		return 0;
	char buf[256], a[32], b[32], c[32];
	for (size_t i = 0; i < nb; i++) {
		int yy = y + (int)i;
		attrset(wb_theme_attr(WB_TH_NORMAL));
		wb_put(yy, x, lw, wb_result_cell_text(res, i, 0, buf, sizeof buf), 0, 1);
		double e = cell_num(res, i, je), l = cell_num(res, i, jl), h = cell_num(res, i, jh);
		snprintf(buf, sizeof buf, "%s [%s, %s]", wb_fmt_num(e, 4, a, sizeof a),
			 wb_fmt_num(l, 4, b, sizeof b), wb_fmt_num(h, 4, c, sizeof c));
		wb_put(yy, x + lw + 1, nw, buf, 1, 1);
		if (!isfinite(e))
			continue;
		attrset(wb_theme_attr(WB_TH_BAR));
		if (isfinite(l) && isfinite(h)) {
			int pl = axis_pos(l, lo, hi, bw), ph = axis_pos(h, lo, hi, bw);
			for (int k = pl; k <= ph; k++)
				mvaddstr(yy, bx + k, k == pl ? "├" : k == ph ? "┤" : "─");
		}
		attrset(wb_theme_attr(WB_TH_HEADER));
		mvaddstr(yy, bx + axis_pos(e, lo, hi, bw), "●");
	}
	/* the axis: ends, and zero when it is in range */
	int ay = y + (int)nb;
	attrset(wb_theme_attr(WB_TH_BORDER));
	wb_hline(ay, bx, bw, "─");
	mvaddstr(ay, bx, "└");
	mvaddstr(ay, bx + bw - 1, "┘");
	attrset(wb_theme_attr(WB_TH_DIM));
	wb_put(ay, x + lw + 1, nw, "95% intervals, one axis:", 1, 1);
	if (lo < 0 && hi > 0) {
		int z = axis_pos(0, lo, hi, bw);
		mvaddstr(ay, bx + z, "┴");
		for (size_t i = 0; i < nb; i++)
			if ((mvinch(y + (int)i, bx + z) & A_CHARTEXT) == ' ')
				mvaddstr(y + (int)i, bx + z, "┊");
	}
	wb_put(ay + 1, bx, bw / 2, wb_fmt_num(lo, 4, a, sizeof a), 0, 0);
	wb_put(ay + 1, bx + bw / 2, bw - bw / 2, wb_fmt_num(hi, 4, b, sizeof b), 1, 0);
	attrset(A_NORMAL);
	return (int)nb + 3;
}

/* The heatmap: the grid's cells coloured by value, each with a shade glyph. */
static int draw_heatmap(const wb_result *res, int y, int x, int w, int hmax)
{
	size_t nr = wb_result_nrows(res), nc = wb_result_ncols(res);
	if (nr == 0 || nc < 2 || hmax < 3)
		return 0;
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 1; j < nc; j++) {
			double v = cell_num(res, i, (long)j);
			if (isfinite(v)) {
				lo = v < lo ? v : lo;
				hi = v > hi ? v : hi;
			}
		}
	if (!isfinite(lo))
		return 0;
	static const char *const shade[] = {"░", "▒", "▓", "█", "█"};
	int kw = 10, cw = 10;
	size_t ncols = nc - 1, rows = nr < HEAT_MAXROWS ? nr : HEAT_MAXROWS;
	if ((int)rows > hmax - 3)
		rows = (size_t)(hmax - 3);
	if (kw + (int)ncols * cw > w)
		cw = (w - kw) / (int)ncols;
	if (cw < 4)
		return 0;
	char buf[64];
	attrset(wb_theme_attr(WB_TH_HEADER));
	wb_put(y, x, kw, wb_result_colname(res, 0), 0, 1);
	for (size_t j = 0; j < ncols; j++)
		wb_put(y, x + kw + (int)j * cw, cw, wb_result_colname(res, j + 1), 1, 1);
	for (size_t i = 0; i < rows; i++) {
		int yy = y + 1 + (int)i;
		attrset(wb_theme_attr(WB_TH_HEADER));
		wb_put(yy, x, kw, wb_result_cell_text(res, i, 0, buf, sizeof buf), 0, 1);
		for (size_t j = 0; j < ncols; j++) {
			double v = cell_num(res, i, (long)j + 1);
			int level = hi > lo ? (int)((v - lo) / (hi - lo) * 4.999) : 2;
			int cx = x + kw + (int)j * cw;
			attrset(wb_theme_heat(level));
			char t[64];
			snprintf(t, sizeof t, "%s %s", shade[level < 0 ? 0 : level > 4 ? 4 : level],
				 wb_fmt_num(v, 3, buf, sizeof buf));
			wb_put(yy, cx, cw - 1, t, 1, 1);
			attrset(A_NORMAL);
			mvaddch(yy, cx + cw - 1, ' ');
		}
	}
	int ly = y + 1 + (int)rows;
	attrset(wb_theme_attr(WB_TH_DIM));
	char a[32], b[32], line[160];
	snprintf(line, sizeof line, "scale: ░ %s (low) … █ %s (high)", wb_fmt_num(lo, 4, a, sizeof a),
		 wb_fmt_num(hi, 4, b, sizeof b));
	wb_put(ly, x, w, line, 0, 0);
	attrset(A_NORMAL);
	return (int)rows + 3;
}

void wb_results_draw(wb_screen *s, wb_rect r)
{
	const wb_ui_host *h = s->host;
	wb_results_view *v = &s->results;
	size_t n = h->n_results(h->ctx);
	if (n == 0) {
		const char *msg = "No results yet: commands that compute something "
				  "(describe, estimate …) show their table here.";
		wb_put(r.y + r.h / 2, r.x + 2, r.w - 4, msg, 0, 0);
		return;
	}
	if (!v->have_sel || v->sel >= n)
		wb_results_select(s, n - 1);
	if (r.w >= LIST_MIN) {
		draw_list(s, (wb_rect){r.y, r.x + r.w - LIST_W, r.h, LIST_W}, n);
		r.w -= LIST_W;
	}
	const wb_result *res = h->result(h->ctx, v->sel);
	if (!res)
		return;
	measure(v, res);
	int x = r.x + 1, w = r.w - 2;

	char nav[96];
	snprintf(nav, sizeof nav, "  %zu×%zu · result %zu of %zu · [ ] earlier/later",
		 wb_result_nrows(res), wb_result_ncols(res), v->sel + 1, n);
	int navw = wb_text_width(nav);
	attrset(wb_theme_attr(WB_TH_HEADER));
	int tw = wb_put(r.y, x, w - navw > 10 ? w - navw : w, wb_result_title(res), 0, 0);
	attrset(wb_theme_attr(WB_TH_DIM));
	if (tw + navw <= w)
		wb_put(r.y, x + tw, navw, nav, 0, 0);
	const char *cmd = wb_result_command(res);
	if (cmd && *cmd) {
		char line[600];
		snprintf(line, sizeof line, "wb> %s", cmd);
		wb_put(r.y + 1, x, w, line, 0, 0);
	}
	attrset(A_NORMAL);

	size_t nc = v->nwidth, nr = wb_result_nrows(res), nn = wb_result_nnotes(res);
	int y0 = r.y + 3;
	/* the drawing the view hint asks for, above the table */
	const char *view = wb_result_view(res);
	int drawn = 0, room = r.h - 3 - 6;
	if (strcmp(view, "forest") == 0)
		drawn = draw_forest(res, y0, x, w, room);
	else if (strcmp(view, "heatmap") == 0)
		drawn = draw_heatmap(res, y0, x, w, room);
	y0 += drawn;
	long verdict_col = strcmp(view, "refute") == 0 ? find_col(res, "verdict") : -1;
	int have_table = nc > 0 && nr > 0;
	int head = have_table ? 2 : 0; /* header line and rule */
	int body_h = r.y + r.h - y0 - head;
	if (body_h < 1)
		return;
	size_t nbody = (have_table ? nr : 0) + (nn ? nn + (have_table ? 1 : 0) : 0);
	if (v->top + (size_t)body_h > nbody)
		v->top = nbody > (size_t)body_h ? nbody - (size_t)body_h : 0;
	if (nc && v->left >= nc)
		v->left = nc - 1;

	char buf[256];
	if (have_table) {
		/* which columns fit from left */
		int used = 0;
		size_t last = v->left;
		for (size_t j = v->left; j < nc; j++) {
			int need = (j > v->left ? COL_GAP : 0) + v->width[j];
			if (used + need > w && j > v->left)
				break;
			used += need;
			last = j;
		}
		int cx = x;
		for (size_t j = v->left; j <= last; j++) {
			int cw = v->width[j] < w - (cx - x) ? v->width[j] : w - (cx - x);
			/* align by the first row's cell kind: numbers right */
			const wb_cell *c0 = wb_result_cell(res, 0, j);
			int ra = c0 && c0->kind == WB_CELL_NUM;
			attrset(wb_theme_attr(WB_TH_HEADER));
			wb_put(y0, cx, cw, wb_result_colname(res, j), ra, 1);
			attrset(wb_theme_attr(WB_TH_BORDER));
			wb_hline(y0 + 1, cx, cw, "─");
			attrset(A_NORMAL);
			for (int k = 0; k < body_h && v->top + (size_t)k < nr; k++) {
				size_t i = v->top + (size_t)k;
				const wb_cell *c = wb_result_cell(res, i, j);
				if ((long)j == verdict_col && c && c->kind == WB_CELL_STR)
					attrset(wb_theme_verdict(c->str));
				wb_put(y0 + head + k, cx, cw,
				       wb_result_cell_text(res, i, j, buf, sizeof buf),
				       c && c->kind == WB_CELL_NUM, 1);
				attrset(A_NORMAL);
			}
			cx += cw + COL_GAP;
		}
	}
	/* notes after the rows (and a blank line) */
	for (int k = 0; k < body_h; k++) {
		size_t b = v->top + (size_t)k;
		size_t first_note = have_table ? nr + 1 : 0;
		if (b < first_note || b - first_note >= nn)
			continue;
		attrset(wb_theme_attr(WB_TH_DIM));
		wb_put(y0 + head + k, x, w, wb_result_note(res, b - first_note), 0, 0);
	}
	attrset(A_NORMAL);
}

int wb_results_key(wb_screen *s, int is_key, unsigned int ch)
{
	const wb_ui_host *h = s->host;
	wb_results_view *v = &s->results;
	size_t n = h->n_results(h->ctx);
	if (n == 0)
		return 0;
	size_t page = s->pane_r.h > 8 ? (size_t)(s->pane_r.h - 6) : 1;
	if (is_key) {
		switch (ch) {
		case KEY_UP:
			ch = 'k';
			break;
		case KEY_DOWN:
			ch = 'j';
			break;
		case KEY_LEFT:
			ch = 'h';
			break;
		case KEY_RIGHT:
			ch = 'l';
			break;
		case KEY_PPAGE:
			ch = 2;
			break;
		case KEY_NPAGE:
			ch = 6;
			break;
		case KEY_HOME:
			ch = 'g';
			break;
		case KEY_END:
			ch = 'G';
			break;
		default:
			return 0;
		}
	}
	switch (ch) {
	case '[':
		if (v->sel > 0)
			wb_results_select(s, v->sel - 1);
		break;
	case ']':
		if (v->sel + 1 < n)
			wb_results_select(s, v->sel + 1);
		break;
	case 'k':
		if (v->top > 0)
			v->top--;
		break;
	case 'j':
		v->top++; /* clamped when drawn */
		break;
	case 'h':
		if (v->left > 0)
			v->left--;
		break;
	case 'l':
		v->left++;
		break;
	case 2:
		v->top = v->top > page ? v->top - page : 0;
		break;
	case 6:
	case ' ':
		v->top += page;
		break;
	case 'g':
		v->top = 0;
		break;
	case 'G':
		v->top = (size_t)-1 / 2;
		break;
	default:
		return 0;
	}
	return 1;
}
