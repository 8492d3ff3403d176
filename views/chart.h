/*
 * chart.h — line charts in braille dots (U+2800..U+28FF), without curses: each character
 * cell holds 2 × 4 dots, so a W × H cell chart has 2W × 4H dots. The Timeline pane draws the
 * result with curses; the bandit bench renders with it to measure the cost of live drawing.
 */
#ifndef WB_CHART_H
#define WB_CHART_H

#include <stddef.h>
#include <stdint.h>

typedef struct wb_chart {
	int w, h;	/* cells */
	uint8_t *dots;	/* w × h braille bit masks */
	uint8_t *owner; /* w × h: 1 + the series that drew last in the cell, 0 for none */
	size_t cap;
} wb_chart;

/* Makes chart an empty w × h chart (reusing its memory); 0, or -1 if out of memory. */
int wb_chart_reset(wb_chart *c, int w, int h);
void wb_chart_free(wb_chart *c);

/* Draws the polyline through (i, y[i]), i = 0 .. n-1, with x from 0 to xmax mapped onto the
 * width and y from lo to hi onto the height (values outside are clipped), as series k. */
void wb_chart_line(wb_chart *c, const double *y, size_t n, double xmax, double lo, double hi,
		   int k);
/* A horizontal dotted line at value v (the zero line). */
void wb_chart_hrule(wb_chart *c, double v, double lo, double hi, int k);

/* The UTF-8 text of a braille cell (3 bytes and a NUL into out); a space when empty. */
const char *wb_chart_glyph(uint8_t bits, char out[4]);

/* A "nice" axis range covering [lo, hi] (rounded to 1, 2 or 5 × 10^k). */
void wb_chart_nice_range(double *lo, double *hi);

#endif
