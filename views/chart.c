/* chart.c — braille line charts. See chart.h. */
#include "chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int wb_chart_reset(wb_chart *c, int w, int h)
{
	size_t n = (size_t)(w > 0 ? w : 0) * (size_t)(h > 0 ? h : 0);
	if (n > c->cap) {
		uint8_t *d = realloc(c->dots, n), *o = realloc(c->owner, n);
		if (d)
			c->dots = d;
		if (o)
			c->owner = o;
		if (!d || !o)
			return -1;
		c->cap = n;
	}
	c->w = w > 0 ? w : 0;
	c->h = h > 0 ? h : 0;
	if (n) {
		memset(c->dots, 0, n);
		memset(c->owner, 0, n);
	}
	return 0;
}

void wb_chart_free(wb_chart *c)
{
	free(c->dots);
	free(c->owner);
	memset(c, 0, sizeof *c);
}

/* Braille dot numbering: left column rows 0-2 are bits 0-2 and row 3 bit 6; the right
 * column rows 0-2 bits 3-5 and row 3 bit 7 (Unicode 3.0, "Braille Patterns"). */
static void dot(wb_chart *c, int x, int y, int k)
{
	if (x < 0 || y < 0 || x >= 2 * c->w || y >= 4 * c->h)
		return;
	static const uint8_t bit[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};
	size_t cell = (size_t)(y / 4) * (size_t)c->w + (size_t)(x / 2);
	c->dots[cell] |= bit[x % 2][y % 4];
	c->owner[cell] = (uint8_t)(k + 1);
}

static int to_y(const wb_chart *c, double v, double lo, double hi)
{
	double f = hi > lo ? (hi - v) / (hi - lo) : 0.5;
	int y = (int)lround(f * (4 * c->h - 1));
	return y < 0 ? 0 : y > 4 * c->h - 1 ? 4 * c->h - 1 : y;
}

/* Bresenham's line between two dots (Bresenham 1965). */
static void segment(wb_chart *c, int x0, int y0, int x1, int y1, int k)
{
	int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	int e = dx + dy;
	for (;;) {
		dot(c, x0, y0, k);
		if (x0 == x1 && y0 == y1)
			return;
		int e2 = 2 * e;
		if (e2 >= dy) {
			e += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			e += dx;
			y0 += sy;
		}
	}
}

void wb_chart_line(wb_chart *c, const double *y, size_t n, double xmax, double lo, double hi, int k)
{
	if (!c->w || !c->h || n == 0)
		return;
	double sx = xmax > 0 ? (2 * c->w - 1) / xmax : 0;
	int px = 0, py = to_y(c, y[0], lo, hi);
	dot(c, 0, py, k);
	for (size_t i = 1; i < n; i++) {
		int x = (int)lround((double)i * sx), yy = to_y(c, y[i], lo, hi);
		if (x == px && yy == py)
			continue;
		segment(c, px, py, x, yy, k);
		px = x;
		py = yy;
	}
}

void wb_chart_hrule(wb_chart *c, double v, double lo, double hi, int k)
{
	if (!c->w || !c->h || v < lo || v > hi)
		return;
	int y = to_y(c, v, lo, hi);
	for (int x = 0; x < 2 * c->w; x += 4)
		dot(c, x, y, k);
}

const char *wb_chart_glyph(uint8_t bits, char out[4])
{
	if (!bits) {
		out[0] = ' ';
		out[1] = '\0';
		return out;
	}
	unsigned cp = 0x2800u + bits;
	out[0] = (char)(0xE0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[2] = (char)(0x80 | (cp & 0x3F));
	out[3] = '\0';
	return out;
}

void wb_chart_nice_range(double *lo, double *hi)
{
	double a = *lo, b = *hi;
	if (!(b > a)) {
		double pad = fabs(a) > 1 ? fabs(a) * 0.1 : 1;
		a -= pad;
		b += pad;
	}
	double span = b - a, step = pow(10, floor(log10(span / 4)));
	double m = span / 4 / step;
	step *= m > 5 ? 10 : m > 2 ? 5 : m > 1 ? 2 : 1;
	*lo = floor(a / step) * step;
	*hi = ceil(b / step) * step;
}
