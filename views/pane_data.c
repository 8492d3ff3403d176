/*
 * pane_data.c — the Data pane: a virtualised grid over the active frame and a statistics
 * sidebar for the current column.
 *
 * Only the cells on screen are formatted, so a frame of any height scrolls at the same cost.
 * Column widths are measured once per frame from the header and a sample of rows (the first
 * hundred and a hundred spread over the rest; categorical columns from their levels). The
 * sidebar shows what wb_frame_column_stats and wb_frame_histogram return for the current
 * column, cached until the column or the frame changes: views never compute statistics.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "screen_impl.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIDEBAR_W 30   /* sidebar width, border included */
#define SIDEBAR_MIN 90 /* narrower panes hide the sidebar */
#define COL_GAP 2
#define COL_MAXW 24
#define HEADER_ROWS 2
/* Up to this many rows the sidebar statistics are computed as the cursor moves; above, only
 * once the keyboard is idle, so that holding `l` on a huge frame does not lag. */
#define QUICK_ROWS 200000

const char *const wb_data_help[] = {
    "arrows, h j k l        move the cursor",
    "PgUp / PgDn            page up / down (also Ctrl-B / Ctrl-F)",
    "g / G                  first / last row",
    "0 / $                  first / last column",
    "/TEXT                  search the current column for a cell containing TEXT",
    "n / N                  next / previous match",
    "s / S                  sort by the current column ascending / descending",
    "                       (runs `sort COLUMN` / `sort COLUMN desc`)",
    "sidebar                statistics and histogram of the current column",
    NULL,
};

static const char *kind_tag(wb_col_kind k)
{
	switch (k) {
	case WB_COL_BINARY:
		return "bin";
	case WB_COL_CATEGORICAL:
		return "cat";
	case WB_COL_DATE:
		return "date";
	default:
		return "num";
	}
}

static wb_role kind_role(wb_col_kind k)
{
	switch (k) {
	case WB_COL_BINARY:
		return WB_TH_KIND_BIN;
	case WB_COL_CATEGORICAL:
		return WB_TH_KIND_CAT;
	case WB_COL_DATE:
		return WB_TH_KIND_DATE;
	default:
		return WB_TH_KIND_NUM;
	}
}

/* Numbers read best right-aligned; text and dates left-aligned. */
static int right_aligned(wb_col_kind k)
{
	return k == WB_COL_NUMERIC || k == WB_COL_BINARY;
}

void wb_data_invalidate(wb_screen *s)
{
	wb_data_view *v = &s->data;
	free(v->width);
	v->width = NULL;
	v->frame = NULL;
	v->stats_valid = 0;
}

void wb_data_free(wb_data_view *v)
{
	free(v->width);
	free(v->search);
	memset(v, 0, sizeof *v);
}

/* Points the view at frame f (keeping the cursor where it can stay). */
static void sync(wb_data_view *v, const wb_frame *f)
{
	size_t nr = f ? wb_frame_nrows(f) : 0, nc = f ? wb_frame_ncols(f) : 0;
	if (f != v->frame || nr != v->nrows || nc != v->ncols || (!v->width && nc)) {
		free(v->width);
		v->width = nc ? calloc(nc, sizeof *v->width) : NULL;
		v->frame = f;
		v->nrows = nr;
		v->ncols = nc;
		v->stats_valid = 0;
	}
	if (v->row >= nr)
		v->row = nr ? nr - 1 : 0;
	if (v->col >= nc)
		v->col = nc ? nc - 1 : 0;
}

static int col_width(wb_data_view *v, size_t j)
{
	if (v->width && v->width[j])
		return v->width[j];
	const wb_frame *f = v->frame;
	int w = wb_text_width(wb_frame_colname(f, j));
	if (w < 4)
		w = 4;
	char buf[256];
	if (wb_frame_col_kind(f, j) == WB_COL_CATEGORICAL) {
		size_t nl = wb_frame_nlevels(f, j);
		for (size_t k = 0; k < nl && k < 1000 && w < COL_MAXW; k++) {
			int lw = wb_text_width(wb_frame_level(f, j, k));
			if (lw > w)
				w = lw;
		}
	} else {
		size_t n = v->nrows, stride = n > 200 ? n / 100 : 1;
		for (size_t i = 0; i < n && w < COL_MAXW; i = i < 100 ? i + 1 : i + stride) {
			int cw = wb_text_width(wb_frame_cell_text(f, i, j, buf, sizeof buf));
			if (cw > w)
				w = cw;
		}
	}
	if (w > COL_MAXW)
		w = COL_MAXW;
	if (v->width)
		v->width[j] = w;
	return w;
}

/* Index of the last column that fits entirely when the grid starts at column left. */
static size_t last_fitting(wb_data_view *v, size_t left, int avail)
{
	size_t j = left;
	int used = col_width(v, j);
	while (j + 1 < v->ncols && used + COL_GAP + col_width(v, j + 1) <= avail)
		used += COL_GAP + col_width(v, ++j);
	return j;
}

static void draw_empty(wb_rect r)
{
	static const char *const lines[] = {
	    "No dataset yet.",
	    "",
	    "Press : and type `load PATH` to open a CSV file,",
	    "or `generate musicapp` to make a sample dataset with known effects.",
	};
	int n = (int)(sizeof lines / sizeof lines[0]);
	for (int i = 0; i < n; i++) {
		int w = wb_text_width(lines[i]);
		int x = r.x + (w < r.w ? (r.w - w) / 2 : 0);
		attrset(i == 0 ? wb_theme_attr(WB_TH_HEADER) : wb_theme_attr(WB_TH_NORMAL));
		wb_put(r.y + r.h / 2 - n / 2 + i, x, r.w - (x - r.x), lines[i], 0, 0);
	}
	attrset(A_NORMAL);
}

static int digits(size_t n)
{
	int d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static void draw_grid(wb_data_view *v, wb_rect g)
{
	const wb_frame *f = v->frame;
	int rn = digits(v->nrows) + 1;
	int vh = g.h - HEADER_ROWS;
	int avail = g.w - rn - 1;
	if (vh < 1 || avail < 4 || v->ncols == 0)
		return;

	/* scroll so that the cursor is visible */
	if (v->row < v->top)
		v->top = v->row;
	if (v->row >= v->top + (size_t)vh)
		v->top = v->row - (size_t)vh + 1;
	if (v->top + (size_t)vh > v->nrows)
		v->top = v->nrows > (size_t)vh ? v->nrows - (size_t)vh : 0;
	if (v->col < v->left)
		v->left = v->col;
	while (v->left < v->col && last_fitting(v, v->left, avail) < v->col)
		v->left++;

	char buf[256];
	int x0 = g.x + rn + 1;
	size_t last = last_fitting(v, v->left, avail);
	for (size_t j = v->left; j <= last; j++) {
		wb_col_kind k = wb_frame_col_kind(f, j);
		int cw = col_width(v, j);
		if (x0 + cw > g.x + g.w)
			cw = g.x + g.w - x0; /* a single very wide column: clip it */
		int ra = right_aligned(k);
		attrset(wb_theme_attr(WB_TH_HEADER) | (j == v->col ? (int)A_UNDERLINE : 0));
		wb_put(g.y, x0, cw, wb_frame_colname(f, j), ra, 1);
		attrset(wb_theme_attr(kind_role(k)));
		wb_put(g.y + 1, x0, cw, kind_tag(k), ra, 1);
		for (int r = 0; r < vh && v->top + (size_t)r < v->nrows; r++) {
			size_t i = v->top + (size_t)r;
			int cursor = i == v->row && j == v->col;
			wb_frame_cell_text(f, i, j, buf, sizeof buf);
			if (!buf[0]) {
				attrset(cursor ? wb_theme_attr(WB_TH_CURSOR)
					       : wb_theme_attr(WB_TH_MISSING));
				wb_put(g.y + HEADER_ROWS + r, x0, cw, "·", ra, 1);
			} else {
				attrset(cursor ? wb_theme_attr(WB_TH_CURSOR)
					       : wb_theme_attr(WB_TH_NORMAL));
				wb_put(g.y + HEADER_ROWS + r, x0, cw, buf, ra, 1);
			}
		}
		x0 += cw + COL_GAP;
	}
	/* row numbers */
	for (int r = 0; r < vh && v->top + (size_t)r < v->nrows; r++) {
		size_t i = v->top + (size_t)r;
		snprintf(buf, sizeof buf, "%zu", i + 1);
		attrset(i == v->row ? wb_theme_attr(WB_TH_HEADER) : wb_theme_attr(WB_TH_DIM));
		wb_put(g.y + HEADER_ROWS + r, g.x, rn, buf, 1, 0);
	}
	attrset(A_NORMAL);
}

/* One "label      value" line of the sidebar. */
static void stat_line(int y, int x, int w, const char *label, const char *value)
{
	attrset(wb_theme_attr(WB_TH_DIM));
	wb_put(y, x, 9, label, 0, 0);
	attrset(A_NORMAL);
	wb_put(y, x + 9, w - 9, value, 1, 0);
}

static void stat_num(int y, int x, int w, const char *label, double val)
{
	char buf[64];
	stat_line(y, x, w, label, wb_fmt_num(val, 6, buf, sizeof buf));
}

/* A statistic in the column's own unit: ISO text for a date column. */
static void stat_value(int y, int x, int w, const char *label, double val, wb_col_kind kind)
{
	char buf[64];
	if (kind == WB_COL_DATE)
		stat_line(y, x, w, label, wb_frame_fmt_date(val, buf, sizeof buf));
	else
		stat_num(y, x, w, label, val);
}

static void stat_count(int y, int x, int w, const char *label, size_t val)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%zu", val);
	stat_line(y, x, w, label, buf);
}

static const char *level_text(const wb_frame *f, size_t j, size_t code, char *buf, size_t size)
{
	if (wb_frame_col_kind(f, j) == WB_COL_CATEGORICAL)
		return wb_frame_level(f, j, code);
	snprintf(buf, size, "%zu", code);
	return buf;
}

/* Horizontal bar of width units/8 cells in eighth blocks. */
static void hbar(int y, int x, double cells)
{
	static const char *const eighth[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	int full = (int)cells, part = (int)((cells - full) * 8);
	for (int i = 0; i < full; i++)
		mvaddstr(y, x + i, "█");
	if (part > 0)
		mvaddstr(y, x + full, eighth[part]);
}

int wb_data_idle(wb_data_view *v)
{
	if (!v->frame || v->col >= v->ncols || (v->stats_valid && v->stats_col == v->col))
		return 0;
	const wb_frame *f = v->frame;
	size_t j = v->col;
	wb_col_kind kind = wb_frame_col_kind(f, j);
	wb_err e;
	wb_err_clear(&e);
	memset(&v->stats, 0, sizeof v->stats);
	v->stats_rc = wb_frame_column_stats(f, j, &v->stats, &e);
	snprintf(v->stats_err, sizeof v->stats_err, "%.120s", e.msg);
	size_t nb = kind == WB_COL_CATEGORICAL ? 64 : kind == WB_COL_BINARY ? 2 : v->hist_bins;
	v->hist_n = wb_frame_histogram(f, j, nb ? nb : 1, v->hist, &v->hist_lo, &v->hist_hi);
	v->stats_valid = 1;
	v->stats_col = j;
	v->stats_wanted = 0;
	return 1;
}

static void draw_sidebar(wb_data_view *v, wb_rect r)
{
	const wb_frame *f = v->frame;
	size_t j = v->col;
	wb_col_kind kind = wb_frame_col_kind(f, j);
	int categorical = kind == WB_COL_CATEGORICAL || kind == WB_COL_BINARY;
	int x = r.x + 1, w = r.w - 2, y = r.y, ymax = r.y + r.h;

	v->hist_bins = (size_t)(w > 64 ? 64 : w);
	int ready = v->stats_valid && v->stats_col == j;
	if (!ready && v->nrows <= QUICK_ROWS)
		ready = wb_data_idle(v);
	v->stats_wanted = !ready;
	attrset(wb_theme_attr(WB_TH_HEADER));
	wb_put(y++, x, w, wb_frame_colname(f, j), 0, 0);
	attrset(wb_theme_attr(kind_role(kind)));
	wb_put(y++, x, w, wb_col_kind_name(kind), 0, 0);
	attrset(A_NORMAL);
	y++;
	if (v->stats_rc < 0) {
		attrset(wb_theme_attr(WB_TH_ERROR));
		wb_put(y, x, w, v->stats_err[0] ? v->stats_err : "no statistics", 0, 0);
		attrset(A_NORMAL);
		return;
	}
	if (!ready) {
		attrset(wb_theme_attr(WB_TH_DIM));
		wb_put(y, x, w, "…", 0, 0);
		attrset(A_NORMAL);
		return;
	}
	const wb_colstats *st = &v->stats;
	char buf[64];
	stat_count(y++, x, w, "count", st->count);
	stat_count(y++, x, w, "missing", st->missing);
	if (kind != WB_COL_CATEGORICAL) {
		stat_value(y++, x, w, "mean", st->mean, kind);
		stat_num(y++, x, w, kind == WB_COL_DATE ? "sd days" : "sd", st->sd);
		stat_value(y++, x, w, "min", st->min, kind);
		stat_value(y++, x, w, "25%", st->q1, kind);
		stat_value(y++, x, w, "median", st->median, kind);
		stat_value(y++, x, w, "75%", st->q3, kind);
		stat_value(y++, x, w, "max", st->max, kind);
	} else {
		stat_count(y++, x, w, "levels", st->nlevels);
	}
	if (categorical && st->ntop > 0 && y + 1 < ymax) {
		y++;
		attrset(wb_theme_attr(WB_TH_DIM));
		wb_put(y++, x, w, "most frequent", 0, 0);
		for (size_t t = 0; t < st->ntop && t < 3 && y < ymax; t++) {
			char lab[80];
			snprintf(lab, sizeof lab, "%s",
				 level_text(f, j, st->top[t], buf, sizeof buf));
			char cnt[32];
			snprintf(cnt, sizeof cnt, "%zu", st->top_count[t]);
			stat_line(y++, x, w, lab, cnt);
		}
	}
	if (v->hist_n <= 0 || y + 3 >= ymax)
		return;
	y++;
	size_t maxc = 0;
	for (long b = 0; b < v->hist_n; b++)
		if (v->hist[b] > maxc)
			maxc = v->hist[b];
	if (maxc == 0)
		return;
	if (categorical) {
		/* one bar per level */
		int lw = 8, bw = w - lw - 1;
		for (long b = 0; b < v->hist_n && y < ymax; b++, y++) {
			attrset(wb_theme_attr(WB_TH_DIM));
			wb_put(y, x, lw, level_text(f, j, (size_t)b, buf, sizeof buf), 0, 0);
			attrset(wb_theme_attr(WB_TH_BAR));
			hbar(y, x + lw + 1, (double)v->hist[b] / (double)maxc * bw);
		}
		attrset(A_NORMAL);
		return;
	}
	/* vertical bars in eighth blocks, one column per bin */
	static const char *const up[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	int hh = ymax - y - 1;
	if (hh > 10)
		hh = 10;
	attrset(wb_theme_attr(WB_TH_BAR));
	for (long b = 0; b < v->hist_n && b < w; b++) {
		int units = (int)((double)v->hist[b] / (double)maxc * hh * 8 + 0.5);
		if (units == 0 && v->hist[b] > 0)
			units = 1;
		for (int k = 0; k < hh; k++) {
			int u = units - 8 * k;
			u = u < 0 ? 0 : u > 8 ? 8 : u;
			mvaddstr(y + hh - 1 - k, x + (int)b, up[u]);
		}
	}
	y += hh;
	attrset(wb_theme_attr(WB_TH_DIM));
	wb_put(y, x, w / 2, wb_fmt_num(v->hist_lo, 4, buf, sizeof buf), 0, 0);
	int bins = v->hist_n < w ? (int)v->hist_n : w;
	wb_put(y, x + bins / 2, bins - bins / 2, wb_fmt_num(v->hist_hi, 4, buf, sizeof buf), 1, 0);
	attrset(A_NORMAL);
}

void wb_data_draw(wb_screen *s, wb_rect r)
{
	const wb_frame *f = s->host->frame(s->host->ctx, NULL);
	wb_data_view *v = &s->data;
	sync(v, f);
	if (!f) {
		draw_empty(r);
		return;
	}
	if (v->ncols == 0 || v->nrows == 0) {
		char msg[128];
		snprintf(msg, sizeof msg, "The dataset has %zu rows and %zu columns.", v->nrows,
			 v->ncols);
		wb_put(r.y + r.h / 2, r.x + 2, r.w - 2, msg, 0, 0);
		return;
	}
	int sw = r.w >= SIDEBAR_MIN ? SIDEBAR_W : 0;
	wb_rect g = {r.y, r.x, r.h, r.w - sw};
	draw_grid(v, g);
	if (sw) {
		wb_rect sb = {r.y, r.x + r.w - sw, r.h, sw};
		attrset(wb_theme_attr(WB_TH_BORDER));
		for (int y = r.y; y < r.y + r.h; y++)
			mvaddstr(y, sb.x, "│");
		attrset(A_NORMAL);
		draw_sidebar(v, sb);
	}
}

/* Quotes a name for the command line when it holds spaces or syntax characters. */
void wb_quote_word(const char *name, char *out, size_t size)
{
	int plain = *name != '\0';
	for (const char *p = name; *p && plain; p++)
		if (strchr(" \t;#\"'=,<>-", *p))
			plain = 0;
	if (plain) {
		snprintf(out, size, "%s", name);
		return;
	}
	size_t k = 0;
	if (k + 1 < size)
		out[k++] = '"';
	for (const char *p = name; *p && k + 3 < size; p++) {
		if (*p == '"' || *p == '\\')
			out[k++] = '\\';
		out[k++] = *p;
	}
	if (k + 1 < size)
		out[k++] = '"';
	out[k < size ? k : size - 1] = '\0';
}

static void run_sort(wb_screen *s, int descending)
{
	char name[512], line[600];
	wb_quote_word(wb_frame_colname(s->data.frame, s->data.col), name, sizeof name);
	snprintf(line, sizeof line, "sort %s%s", name, descending ? " desc" : "");
	wb_screen_submit(s, line);
}

void wb_data_search(wb_screen *s, const char *text, int backward)
{
	wb_data_view *v = &s->data;
	if (text && text != v->search) {
		free(v->search);
		v->search = strdup(text);
	}
	if (!v->search || !*v->search) {
		wb_screen_log(s, WB_LOG_INFO, "no search yet: / then the text");
		return;
	}
	sync(v, s->host->frame(s->host->ctx, NULL));
	const wb_frame *f = v->frame;
	if (!f || v->nrows == 0 || v->ncols == 0)
		return;
	size_t j = v->col, n = v->nrows;
	unsigned char *lev = NULL;
	const double *codes = NULL;
	if (wb_frame_col_kind(f, j) == WB_COL_CATEGORICAL) {
		/* match each level once, then scan the codes */
		size_t nl = wb_frame_nlevels(f, j);
		lev = calloc(nl ? nl : 1, 1);
		codes = wb_frame_col(f, j);
		for (size_t k = 0; lev && k < nl; k++)
			lev[k] = strcasestr(wb_frame_level(f, j, k), v->search) != NULL;
	}
	char buf[256];
	for (size_t step = 1; step <= n; step++) {
		size_t i = backward ? (v->row + n - step % n) % n : (v->row + step) % n;
		int hit;
		if (lev) {
			double c = codes[i];
			hit = !isnan(c) && c >= 0 && lev[(size_t)c];
		} else {
			hit = strcasestr(wb_frame_cell_text(f, i, j, buf, sizeof buf), v->search) !=
			      NULL;
		}
		if (hit) {
			v->row = i;
			free(lev);
			return;
		}
	}
	free(lev);
	wb_screen_log(s, WB_LOG_INFO, "not found in %s: %s", wb_frame_colname(f, j), v->search);
}

int wb_data_key(wb_screen *s, int is_key, unsigned int ch)
{
	wb_data_view *v = &s->data;
	if (!v->frame || v->nrows == 0 || v->ncols == 0)
		return 0;
	size_t page = s->pane_r.h > HEADER_ROWS + 2 ? (size_t)(s->pane_r.h - HEADER_ROWS - 1) : 1;
	enum { NONE, UP, DOWN, LEFT, RIGHT, PGUP, PGDN, TOP, BOTTOM, FIRST, LAST } m = NONE;
	if (is_key) {
		switch (ch) {
		case KEY_UP:
			m = UP;
			break;
		case KEY_DOWN:
			m = DOWN;
			break;
		case KEY_LEFT:
			m = LEFT;
			break;
		case KEY_RIGHT:
			m = RIGHT;
			break;
		case KEY_PPAGE:
			m = PGUP;
			break;
		case KEY_NPAGE:
			m = PGDN;
			break;
		case KEY_HOME:
			m = TOP;
			break;
		case KEY_END:
			m = BOTTOM;
			break;
		default:
			return 0;
		}
	} else {
		switch (ch) {
		case 'k':
			m = UP;
			break;
		case 'j':
			m = DOWN;
			break;
		case 'h':
			m = LEFT;
			break;
		case 'l':
			m = RIGHT;
			break;
		case 2:
			m = PGUP;
			break;
		case 6:
		case ' ':
			m = PGDN;
			break;
		case 'g':
			m = TOP;
			break;
		case 'G':
			m = BOTTOM;
			break;
		case '0':
		case '^':
			m = FIRST;
			break;
		case '$':
			m = LAST;
			break;
		case 's':
			run_sort(s, 0);
			return 1;
		case 'S':
			run_sort(s, 1);
			return 1;
		case 'n':
			wb_data_search(s, NULL, 0);
			return 1;
		case 'N':
			wb_data_search(s, NULL, 1);
			return 1;
		default:
			return 0;
		}
	}
	switch (m) {
	case UP:
		if (v->row > 0)
			v->row--;
		break;
	case DOWN:
		if (v->row + 1 < v->nrows)
			v->row++;
		break;
	case LEFT:
		if (v->col > 0)
			v->col--;
		break;
	case RIGHT:
		if (v->col + 1 < v->ncols)
			v->col++;
		break;
	case PGUP:
		v->row = v->row > page ? v->row - page : 0;
		if (v->top > page)
			v->top -= page;
		else
			v->top = 0;
		break;
	case PGDN:
		v->row = v->row + page < v->nrows ? v->row + page : v->nrows - 1;
		v->top += page;
		break;
	case TOP:
		v->row = 0;
		break;
	case BOTTOM:
		v->row = v->nrows - 1;
		break;
	case FIRST:
		v->col = 0;
		break;
	case LAST:
		v->col = v->ncols - 1;
		break;
	default:
		break;
	}
	return 1;
}
