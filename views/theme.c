/*
 * theme.c — colour for meaning only, and the text-drawing helpers every pane uses.
 *
 * Colours are used when the terminal has them and NO_COLOR is unset or empty
 * (https://no-color.org: "when present and not an empty string ... prevents the addition of
 * ANSI color"). Without colour every role falls back to plain attributes (bold, reverse, dim),
 * so the cursor and the active tab stay visible.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "screen_impl.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int use_colour;

void wb_theme_init(void)
{
	const char *nc = getenv("NO_COLOR");
	use_colour = has_colors() && !(nc && *nc);
	if (!use_colour)
		return;
	start_color();
	use_default_colors();
	init_pair(1, COLOR_RED, -1);	       /* errors */
	init_pair(2, COLOR_CYAN, -1);	       /* numeric kind */
	init_pair(3, COLOR_MAGENTA, -1);       /* binary kind */
	init_pair(4, COLOR_YELLOW, -1);	       /* categorical kind */
	init_pair(5, COLOR_GREEN, -1);	       /* date kind, progress */
	init_pair(6, COLOR_BLACK, COLOR_CYAN); /* cursor */
	init_pair(7, COLOR_BLUE, -1);	       /* borders, histogram */
	/* heatmap, low to high: blue, cyan, green, yellow, red backgrounds */
	static const short heat[] = {COLOR_BLUE, COLOR_CYAN, COLOR_GREEN, COLOR_YELLOW, COLOR_RED};
	for (short k = 0; k < 5; k++)
		init_pair((short)(10 + k), COLOR_BLACK, heat[k]);
	init_pair(15, COLOR_YELLOW, -1); /* inconclusive */
}

int wb_theme_heat(int level)
{
	if (!use_colour)
		return A_NORMAL;
	level = level < 0 ? 0 : level > 4 ? 4 : level;
	return COLOR_PAIR(10 + level);
}

int wb_theme_verdict(const char *verdict)
{
	int passed = strcmp(verdict, "passed") == 0, failed = strcmp(verdict, "failed") == 0;
	if (!use_colour)
		return failed ? A_BOLD : A_NORMAL;
	if (passed)
		return COLOR_PAIR(5) | A_BOLD;
	if (failed)
		return COLOR_PAIR(1) | A_BOLD;
	return strcmp(verdict, "inconclusive") == 0 ? COLOR_PAIR(15) | A_BOLD : A_NORMAL;
}

int wb_theme_colour(void)
{
	return use_colour;
}

int wb_theme_attr(wb_role role)
{
	if (!use_colour) {
		switch (role) {
		case WB_TH_TAB_ACTIVE:
		case WB_TH_CURSOR:
			return A_REVERSE;
		case WB_TH_HEADER:
		case WB_TH_ERROR:
		case WB_TH_ECHO:
			return A_BOLD;
		case WB_TH_MISSING:
		case WB_TH_DIM:
		case WB_TH_BORDER:
		case WB_TH_LATENT:
			return A_DIM;
		case WB_TH_EXPOSURE:
		case WB_TH_OUTCOME:
			return A_BOLD;
		case WB_TH_ADJUSTED:
			return A_REVERSE;
		case WB_TH_INSET:
			return A_UNDERLINE;
		default:
			return A_NORMAL;
		}
	}
	switch (role) {
	case WB_TH_BORDER:
		return COLOR_PAIR(7);
	case WB_TH_TAB_ACTIVE:
		return A_REVERSE | A_BOLD;
	case WB_TH_HEADER:
	case WB_TH_ECHO:
		return A_BOLD;
	case WB_TH_KIND_NUM:
		return COLOR_PAIR(2);
	case WB_TH_KIND_BIN:
		return COLOR_PAIR(3);
	case WB_TH_KIND_CAT:
		return COLOR_PAIR(4);
	case WB_TH_KIND_DATE:
		return COLOR_PAIR(5);
	case WB_TH_CURSOR:
		return COLOR_PAIR(6) | A_BOLD;
	case WB_TH_MISSING:
	case WB_TH_DIM:
		return A_DIM;
	case WB_TH_ERROR:
		return COLOR_PAIR(1) | A_BOLD;
	case WB_TH_PROGRESS:
		return COLOR_PAIR(5) | A_BOLD;
	case WB_TH_BAR:
		return COLOR_PAIR(7);
	/* the graph's roles, in DAGitty's colours where it has them: exposure green, outcome
	 * blue, confounders (biasing paths) red, latent grey */
	case WB_TH_EXPOSURE:
		return COLOR_PAIR(5) | A_BOLD;
	case WB_TH_OUTCOME:
		return COLOR_PAIR(7) | A_BOLD;
	case WB_TH_CONFOUNDER:
		return COLOR_PAIR(1);
	case WB_TH_MEDIATOR:
		return COLOR_PAIR(3);
	case WB_TH_LATENT:
		return A_DIM;
	case WB_TH_ADJUSTED:
		return A_REVERSE;
	case WB_TH_INSET:
		return A_UNDERLINE | A_BOLD;
	default:
		return A_NORMAL;
	}
}

/* Decodes UTF-8 s into at most n wide characters of out; returns how many. Invalid bytes
 * become U+FFFD so a bad byte never stops the drawing. */
static size_t decode(const char *s, wchar_t *out, size_t n)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t k = 0, len = strlen(s);
	while (*s && k < n) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, len, &st);
		if (r == (size_t)-1 || r == (size_t)-2) {
			memset(&st, 0, sizeof st);
			wc = 0xFFFD;
			r = 1;
		} else if (r == 0) {
			break;
		}
		if (wc == '\t' || wc == '\n' || wc == '\r')
			wc = ' ';
		out[k++] = wc;
		s += r;
		len -= r;
	}
	return k;
}

static int wc_width(wchar_t wc)
{
	int w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

int wb_text_width(const char *s)
{
	wchar_t buf[512];
	size_t n = decode(s, buf, sizeof buf / sizeof buf[0]);
	int w = 0;
	for (size_t i = 0; i < n; i++)
		w += wc_width(buf[i]);
	return w;
}

int wb_put(int y, int x, int w, const char *s, int align, int pad)
{
	if (w <= 0)
		return 0;
	wchar_t buf[512];
	size_t n = decode(s ? s : "", buf, sizeof buf / sizeof buf[0] - 1);
	int tw = 0;
	for (size_t i = 0; i < n; i++)
		tw += wc_width(buf[i]);
	if (tw > w) {
		/* keep what fits in w-1 columns, then an ellipsis */
		int acc = 0;
		size_t k = 0;
		while (k < n && acc + wc_width(buf[k]) <= w - 1)
			acc += wc_width(buf[k++]);
		buf[k++] = L'…';
		n = k;
		tw = acc + 1;
	}
	buf[n] = 0;
	int lead = align ? w - tw : 0;
	if (pad)
		wb_spaces(y, x, lead);
	mvaddwstr(y, x + lead, buf);
	if (pad && !align)
		wb_spaces(y, x + tw, w - tw);
	return pad ? w : lead + tw;
}

void wb_spaces(int y, int x, int n)
{
	for (int i = 0; i < n; i++)
		mvaddch(y, x + i, ' ');
}

void wb_hline(int y, int x, int w, const char *glyph)
{
	for (int i = 0; i < w; i++)
		mvaddstr(y, x + i, glyph);
}
