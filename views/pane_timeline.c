/*
 * pane_timeline.c — the Timeline pane: cumulative delta value of each campaign policy by day,
 * drawn in braille dots, with a legend (value, regret against the best policy so far, each
 * policy's most chosen actions). It reads the simulation only through the thread-safe live
 * view (host->bandit_live), so it keeps drawing at ~30 frames a second while `bandit run`
 * runs on the worker thread.
 *
 *   campaign · day 120 of 365 · running, 30 days/s         p pause · . step · +/- speed
 *     84 000 ┤            ⣀⡠⠤⠒⠊        ━ thompson
 *            │      ⣀⠤⠒⠉              value 84,591  regret 0
 *          0 ┤⣀⣀⡠⠤⠒⠉⠁⠈⠉⠉⠑⠒⠢⢄⣀           100M/call 46% · 60M/email 20%
 *            └──────────────────────
 *             day 1                365
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "screen_impl.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const wb_timeline_help[] = {
    "p / Space    run (`bandit run`); while running: pause at the end of the day",
    ".            one more day (`bandit step`); while running: pause",
    "+ / -        faster / slower (`bandit speed`), also while running",
    "The chart: cumulative delta lifetime value per policy by day (closed actions);",
    "regret = the best policy's value so far minus this one's.",
    NULL,
};

#define NSERIES_COLOURS 6
#define SERIES_PAIR0 20

static void init_colours(wb_timeline_view *v)
{
	if (v->colours_set)
		return;
	v->colours_set = 1;
	v->colours = wb_theme_colour() && COLOR_PAIRS > SERIES_PAIR0 + NSERIES_COLOURS;
	if (!v->colours)
		return;
	static const short fg[NSERIES_COLOURS] = {COLOR_GREEN,	 COLOR_CYAN, COLOR_YELLOW,
						  COLOR_MAGENTA, COLOR_RED,  COLOR_BLUE};
	for (int k = 0; k < NSERIES_COLOURS; k++)
		init_pair((short)(SERIES_PAIR0 + k), fg[k], -1);
}

static int series_attr(const wb_timeline_view *v, int k)
{
	return v->colours ? (int)COLOR_PAIR(SERIES_PAIR0 + k % NSERIES_COLOURS) : A_NORMAL;
}

/* The speed ladder of + and - (days per second; 0 = as fast as possible, the top). */
static const double ladder[] = {1, 2, 5, 10, 20, 30, 60, 120, 240, 0};
#define NLADDER (sizeof ladder / sizeof ladder[0])

static double next_speed(double now, int up)
{
	size_t i = 0;
	while (i + 1 < NLADDER && ladder[i] != 0 && ladder[i] < now)
		i++;
	if (now == 0)
		i = NLADDER - 1;
	if (up)
		return i + 1 < NLADDER ? ladder[i + 1] : 0;
	return i > 0 ? ladder[i - 1] : ladder[0];
}

static void speed_text(double speed, char *buf, size_t size)
{
	if (speed > 0)
		snprintf(buf, size, "%g days/s", speed);
	else
		snprintf(buf, size, "full speed");
}

/* Thousands separated by commas, no decimals ("-24,685"). */
static void money(double x, char *buf, size_t size)
{
	char digits[64];
	snprintf(digits, sizeof digits, "%.0f", fabs(x));
	size_t n = strlen(digits), o = 0;
	if (x <= -0.5 && o < size - 1)
		buf[o++] = '-';
	for (size_t i = 0; i < n && o < size - 1; i++) {
		if (i && (n - i) % 3 == 0 && o < size - 1)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

static wb_bandit_live *live_of(wb_screen *s)
{
	return s->host->bandit_live ? s->host->bandit_live(s->host->ctx) : NULL;
}

static void draw_legend(wb_screen *s, int y, int x, int w, int rows, double best)
{
	wb_timeline_view *v = &s->timeline;
	const wb_bandit_snapshot *sn = &v->snap;
	size_t per = rows >= (int)sn->npolicies * 3 ? 3 : rows >= (int)sn->npolicies * 2 ? 2 : 1;
	for (size_t i = 0; i < sn->npolicies && (int)((i + 1) * per) <= rows; i++) {
		int yy = y + (int)(i * per);
		double val = sn->day ? sn->value[i * (size_t)sn->day + (size_t)sn->day - 1] : 0;
		char a[32], b[32], line[160];
		money(val, a, sizeof a);
		money(best - val, b, sizeof b);
		attrset(series_attr(v, (int)i) | A_BOLD);
		int used = wb_put(yy, x, w, "━━ ", 0, 0);
		attrset(A_BOLD);
		wb_put(yy, x + used, w - used, sn->label[i], 0, 1);
		attrset(A_NORMAL);
		if (per >= 2) {
			snprintf(line, sizeof line, "   value %s  regret %s", a, b);
			wb_put(yy + 1, x, w, line, 0, 1);
		} else {
			snprintf(line, sizeof line, " %s", a);
			int lw = wb_text_width(line);
			if (lw < w - used)
				wb_put(yy, x + w - lw, lw, line, 0, 0);
		}
		if (per >= 3 && sn->decisions[i]) {
			/* the two most chosen actions */
			size_t t1 = 0, t2 = sn->narms > 1 ? 1 : 0;
			const size_t *mix = sn->mix + i * sn->narms;
			for (size_t k = 0; k < sn->narms; k++)
				if (mix[k] > mix[t1])
					t1 = k;
			if (t2 == t1)
				t2 = t1 ? 0 : 1;
			for (size_t k = 0; k < sn->narms; k++)
				if (k != t1 && mix[k] > mix[t2])
					t2 = k;
			double d = (double)sn->decisions[i];
			if (sn->narms > 1)
				snprintf(line, sizeof line, "   %s %.0f%% · %s %.0f%%", sn->arm[t1],
					 100 * (double)mix[t1] / d, sn->arm[t2],
					 100 * (double)mix[t2] / d);
			else
				snprintf(line, sizeof line, "   %s %.0f%%", sn->arm[t1],
					 100 * (double)mix[t1] / d);
			attrset(wb_theme_attr(WB_TH_DIM));
			wb_put(yy + 2, x, w, line, 0, 1);
			attrset(A_NORMAL);
		}
	}
}

void wb_timeline_draw(wb_screen *s, wb_rect r)
{
	wb_timeline_view *v = &s->timeline;
	init_colours(v);
	wb_bandit_live *live = live_of(s);
	if (live)
		wb_bandit_live_snapshot(live, &v->snap);
	attrset(A_NORMAL);
	for (int i = 0; i < r.h; i++)
		wb_spaces(r.y + i, r.x, r.w);
	const wb_bandit_snapshot *sn = &v->snap;
	if (!live || !sn->have) {
		const char *msg = "No simulation yet: `bandit new`, `bandit policy add thompson`, "
				  "then `bandit run`.";
		int w = wb_text_width(msg);
		wb_put(r.y + r.h / 2 - 1, r.x + (w < r.w ? (r.w - w) / 2 : 1), r.w - 1, msg, 0, 0);
		return;
	}
	/* header */
	char sp[32], head[200];
	speed_text(sn->speed, sp, sizeof sp);
	const char *state = sn->running		     ? "running"
			    : sn->npolicies == 0     ? "add a policy: `bandit policy add KIND`"
			    : sn->day == 0	     ? "ready: p runs"
			    : sn->day >= sn->horizon ? "horizon reached"
						     : "paused: p goes on";
	snprintf(head, sizeof head, " day %ld of %ld · %s · %s", sn->day, sn->horizon, state, sp);
	attrset(wb_theme_attr(WB_TH_HEADER));
	wb_put(r.y, r.x, r.w, head, 0, 0);
	attrset(wb_theme_attr(WB_TH_DIM));
	const char *keys = "p run/pause · . step · +/- speed ";
	int kw = wb_text_width(keys);
	if (wb_text_width(head) + kw + 2 < r.w)
		wb_put(r.y, r.x + r.w - kw, kw, keys, 0, 0);
	attrset(A_NORMAL);

	int legend_w = r.w / 3 < 44 ? r.w / 3 : 44;
	int lab_w = 10;
	int cw = r.w - legend_w - lab_w - 2, chh = r.h - 4;
	if (cw < 10 || chh < 3)
		return;
	int x0 = r.x + lab_w + 1, y0 = r.y + 2;
	/* value range over all series, with 0 */
	double lo = 0, hi = 0, best = -INFINITY;
	size_t day = (size_t)sn->day;
	for (size_t i = 0; i < sn->npolicies; i++) {
		for (size_t d = 0; d < day; d++) {
			double x = sn->value[i * day + d];
			lo = x < lo ? x : lo;
			hi = x > hi ? x : hi;
		}
		double last = day ? sn->value[i * day + day - 1] : 0;
		best = last > best ? last : best;
	}
	wb_chart_nice_range(&lo, &hi);
	if (wb_chart_reset(&v->chart, cw, chh))
		return;
	long span = sn->horizon > sn->day ? sn->horizon : sn->day;
	wb_chart_hrule(&v->chart, 0, lo, hi, 255 - 1);
	for (size_t i = 0; i < sn->npolicies; i++)
		wb_chart_line(&v->chart, sn->value + i * day, day,
			      (double)(span > 1 ? span - 1 : 1), lo, hi, (int)i);
	for (int y = 0; y < chh; y++)
		for (int x = 0; x < cw; x++) {
			size_t c = (size_t)y * (size_t)cw + (size_t)x;
			if (!v->chart.dots[c])
				continue;
			char g[4];
			int owner = v->chart.owner[c];
			attrset(owner == 255 ? wb_theme_attr(WB_TH_DIM)
					     : series_attr(v, owner - 1));
			mvaddstr(y0 + y, x0 + x, wb_chart_glyph(v->chart.dots[c], g));
		}
	/* axes */
	attrset(wb_theme_attr(WB_TH_BORDER));
	for (int y = 0; y < chh; y++)
		mvaddstr(y0 + y, x0 - 1, "│");
	mvaddstr(y0 + chh, x0 - 1, "└");
	wb_hline(y0 + chh, x0, cw, "─");
	attrset(A_NORMAL);
	double ticks[3] = {hi, (hi + lo) / 2, lo};
	int rows[3] = {0, (chh - 1) / 2, chh - 1};
	for (int k = 0; k < 3; k++) {
		char t[32];
		money(ticks[k], t, sizeof t);
		wb_put(y0 + rows[k], r.x, lab_w - 1, t, 1, 1);
		attrset(wb_theme_attr(WB_TH_BORDER));
		mvaddstr(y0 + rows[k], x0 - 1, "┤");
		attrset(A_NORMAL);
	}
	char xl[32];
	wb_put(y0 + chh + 1, x0, 8, "day 1", 0, 0);
	snprintf(xl, sizeof xl, "%ld", span);
	wb_put(y0 + chh + 1, x0 + cw - wb_text_width(xl), wb_text_width(xl), xl, 0, 0);
	attrset(wb_theme_attr(WB_TH_DIM));
	wb_put(y0 - 1, r.x, lab_w + 20, "cumulative Δ value", 0, 0);
	attrset(A_NORMAL);
	draw_legend(s, y0, r.x + r.w - legend_w, legend_w - 1, chh + 1, best);
}

int wb_timeline_key(wb_screen *s, int is_key, unsigned int ch)
{
	if (is_key)
		return 0;
	wb_timeline_view *v = &s->timeline;
	if (!v->snap.have) {
		if (ch == 'p' || ch == ' ' || ch == '.')
			wb_screen_log(s, WB_LOG_INFO, "start a simulation first: bandit new");
		return ch == 'p' || ch == ' ' || ch == '.';
	}
	char line[64];
	switch (ch) {
	case 'p':
	case ' ':
		wb_screen_submit(s, "bandit run");
		return 1;
	case '.':
		wb_screen_submit(s, "bandit step");
		return 1;
	case '+':
	case '=':
	case '-': {
		double sp = next_speed(v->snap.speed, ch != '-');
		if (sp > 0)
			snprintf(line, sizeof line, "bandit speed %g", sp);
		else
			snprintf(line, sizeof line, "bandit speed max");
		wb_screen_submit(s, line);
		return 1;
	}
	default:
		return 0;
	}
}

int wb_timeline_key_running(wb_screen *s, int is_key, unsigned int ch)
{
	wb_bandit_live *live = live_of(s);
	if (is_key || !live)
		return 0;
	if (ch == 'p' || ch == ' ' || ch == '.') {
		wb_bandit_live_request_pause(live);
		wb_screen_log(s, WB_LOG_INFO, "pausing at the end of the day");
	} else if (ch == '+' || ch == '=' || ch == '-') {
		double sp = next_speed(wb_bandit_live_speed(live), ch != '-');
		wb_bandit_live_set_speed(live, sp);
		char t[32];
		speed_text(sp, t, sizeof t);
		wb_screen_log(s, WB_LOG_INFO, "speed: %s", t);
	} else {
		return 0;
	}
	return 1;
}

void wb_timeline_free(wb_timeline_view *v)
{
	wb_bandit_snapshot_free(&v->snap);
	wb_chart_free(&v->chart);
}
