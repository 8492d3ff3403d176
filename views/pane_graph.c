/*
 * pane_graph.c — the Graph pane: the active causal graph drawn with box-drawing lines, a node
 * cursor, keys that edit the graph, and a side panel with roles, the minimal adjustment sets
 * and a legend.
 *
 * The drawing comes from engine/layout (a layered layout, Sugiyama et al. 1981) and is turned
 * into a grid of cells once per version of the graph: every draw only copies the visible
 * window, so scrolling costs the same for any graph. The version is a hash of everything the
 * drawing depends on (names, roles, positions, edges, marks, weights), checked before each
 * draw; nothing is laid out again while the graph stays the same.
 *
 * Every key that changes the graph builds a `graph …` command line and submits it
 * (wb_screen_submit), so each edit lands in the log and replays from a script. Keys that need
 * text (a new node's name, a new name) put the command, half written, on the command line.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "screen_impl.h"

#include <curses.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIDE_W 32   /* side panel width, border included */
#define SIDE_MIN 80 /* narrower panes hide the side panel */
#define WEIGHT_ROOM 5

/* line directions of a cell */
enum { UP = 1, DOWN = 2, LEFT = 4, RIGHT = 8 };

struct wb_graph_cell {
	unsigned char bits;   /* UP|DOWN|LEFT|RIGHT */
	unsigned char dashed; /* a bidirected edge */
	int edge;	      /* the edge drawn here last, -1 for none */
	const char *glyph;    /* an arrowhead, a circle mark or a weight's character; or NULL */
};

const char *const wb_graph_help[] = {
    "arrows, h j k l        move the cursor to the nearest node that way",
    "] / [                  next / previous node (in the graph's order)",
    "n                      new node: `graph node ` waits on the command line for the name",
    "R                      rename the cursor node (`graph rename NAME ` waits for the name)",
    "c                      start an edge at the cursor node; move to the other end, then",
    "                         c or Enter   NAME -> OTHER   (`graph edge A -> B`)",
    "                         b            NAME <-> OTHER  (bidirected: a latent common cause)",
    "                         -            NAME -- OTHER   (undirected)",
    "                       an edge already there is replaced: c orients an undirected one",
    "b / -                  start a bidirected / undirected edge the same way",
    "d / Delete             delete the cursor node (`graph drop NAME`); with an edge",
    "                       started: delete the edge between the two nodes",
    "r                      with an edge started: reverse it (`graph reverse A -> B`)",
    "Esc                    forget the started edge",
    "e / o                  exposure / outcome on or off (`graph role NAME exposure`)",
    "u                      latent (unobserved) on or off",
    "a                      adjusted on or off",
    "H J K L                move the cursor node left / down / up / right",
    "                       (`graph move NAME X Y`, in layout units: a layer down is y + 1)",
    "z / Z, Ctrl-R          undo / redo (`graph undo`, `graph redo`)",
    "s / S                  highlight the next / previous minimal adjustment set",
    "",
    "Drawing: ─▶ directed, ╌ with heads at both ends bidirected, plain ── undirected,",
    "o a circle mark; [X] observed, (U) latent; a number on an edge is its weight",
    "(bootstrap frequency). Edges of the cursor node are bold.",
    NULL,
};

/* ---- the cache: layout and cells for one version of the graph ---- */

static unsigned long hash_bytes(unsigned long h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211UL; /* FNV-1a */
	return h;
}

/* Everything the drawing and the side panel depend on. */
static unsigned long signature(const wb_graph *g)
{
	unsigned long h = 1469598103934665603UL;
	size_t n = wb_graph_nnodes(g), ne = wb_graph_nedges(g);
	h = hash_bytes(h, &n, sizeof n);
	for (size_t i = 0; i < n; i++) {
		const char *name = wb_graph_node_name(g, i);
		h = hash_bytes(h, name, strlen(name) + 1);
		int roles = wb_graph_roles(g, i);
		h = hash_bytes(h, &roles, sizeof roles);
		double xy[2] = {0, 0};
		int has = wb_graph_pos(g, i, &xy[0], &xy[1]);
		h = hash_bytes(h, &has, sizeof has);
		h = hash_bytes(h, xy, sizeof xy);
	}
	h = hash_bytes(h, &ne, sizeof ne);
	for (size_t k = 0; k < ne; k++) {
		size_t a, b;
		wb_graph_edge_at(g, k, &a, &b);
		int m[2] = {(int)wb_graph_mark(g, a, b), (int)wb_graph_mark(g, b, a)};
		double w = wb_graph_edge_weight(g, a, b);
		h = hash_bytes(h, &a, sizeof a);
		h = hash_bytes(h, &b, sizeof b);
		h = hash_bytes(h, m, sizeof m);
		if (!isnan(w))
			h = hash_bytes(h, &w, sizeof w);
	}
	return h;
}

static void free_cache(wb_graph_view *v)
{
	wb_layout_free(v->layout);
	v->layout = NULL;
	free(v->cell);
	v->cell = NULL;
	v->cw = v->ch = 0;
	v->have = 0;
}

static void free_ident(wb_graph_view *v);

static void free_names(wb_graph_view *v);

void wb_graph_view_free(wb_graph_view *v)
{
	free_cache(v);
	free_ident(v);
	free_names(v);
	free(v->cur_name);
	free(v->anchor);
	memset(v, 0, sizeof *v);
}

static wb_graph_cell *cell_at(wb_graph_view *v, int x, int y)
{
	if (x < 0 || y < 0 || x >= v->cw || y >= v->ch)
		return NULL;
	return &v->cell[(size_t)y * (size_t)v->cw + (size_t)x];
}

/* The side of node i that cell p touches, as the direction from p towards the node. */
static int towards(const wb_layout *l, size_t i, wb_layout_point p)
{
	int x, y, w;
	wb_layout_node_box(l, i, &x, &y, &w);
	if (p.y < y)
		return DOWN;
	if (p.y > y)
		return UP;
	return p.x < x ? RIGHT : LEFT;
}

static const char *head_glyph(wb_mark m, int dir)
{
	if (m == WB_MARK_CIRCLE)
		return "o";
	if (m != WB_MARK_ARROW)
		return NULL;
	switch (dir) {
	case DOWN:
		return "▼";
	case UP:
		return "▲";
	case LEFT:
		return "◀";
	default:
		return "▶";
	}
}

static void mark_step(wb_graph_view *v, int x, int y, int bit, int dashed, int edge)
{
	wb_graph_cell *c = cell_at(v, x, y);
	if (!c)
		return;
	c->bits |= (unsigned char)bit;
	c->dashed = (unsigned char)(c->dashed | dashed);
	c->edge = edge;
}

/* 1 if the n cells from (x, y) rightwards are blank (a label fits there). */
static int blank_run(wb_graph_view *v, int x, int y, int n)
{
	for (int i = 0; i < n; i++) {
		wb_graph_cell *c = cell_at(v, x + i, y);
		if (!c || c->bits || c->glyph)
			return 0;
	}
	return 1;
}

/* Puts a weight's text beside its route, as near the middle as there is room: the cells of the
 * route are tried outwards from the middle, right of the line first, then left. */
static void place_weight(wb_graph_view *v, const wb_layout_point *p, size_t np, const char *text)
{
	static const char *const glyph[] = {"0", "1", "2", "3", "4", "5",
					    "6", "7", "8", "9", ".", "-"};
	int len = 0, n = (int)strlen(text);
	for (size_t i = 0; i + 1 < np; i++)
		len += abs(p[i + 1].x - p[i].x) + abs(p[i + 1].y - p[i].y);
	for (int off = 0; off <= len; off++) {
		for (int sgn = 0; sgn < 2; sgn++) {
			int at = len / 2 + (sgn ? -off : off), walked = 0;
			if (at < 0 || at > len || (sgn && off == 0))
				continue;
			int mx = p[np - 1].x, my = p[np - 1].y;
			for (size_t i = 0; i + 1 < np; i++) {
				int seg = abs(p[i + 1].x - p[i].x) + abs(p[i + 1].y - p[i].y);
				if (walked + seg >= at) {
					int t = at - walked;
					mx = p[i].x +
					     t * ((p[i + 1].x > p[i].x) - (p[i + 1].x < p[i].x));
					my = p[i].y +
					     t * ((p[i + 1].y > p[i].y) - (p[i + 1].y < p[i].y));
					break;
				}
				walked += seg;
			}
			int x0 = blank_run(v, mx + 1, my, n)   ? mx + 1
				 : blank_run(v, mx - n, my, n) ? mx - n
							       : -1;
			if (x0 < 0)
				continue;
			for (int i = 0; i < n; i++) {
				const char *c = strchr("0123456789.-", text[i]);
				cell_at(v, x0 + i, my)->glyph = glyph[c ? c - "0123456789.-" : 10];
			}
			return;
		}
	}
}

static int rebuild(wb_graph_view *v, const wb_graph *g)
{
	free_cache(v);
	size_t n = wb_graph_nnodes(g);
	int *width = malloc((n ? n : 1) * sizeof *width);
	if (!width)
		return WB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		width[i] = wb_text_width(wb_graph_node_name(g, i)) + 2;
	wb_err err;
	int rc = wb_layout_compute(g, width, &v->layout, &err);
	free(width);
	if (rc < 0)
		return rc;
	const wb_layout *l = v->layout;
	v->cw = wb_layout_width(l) + WEIGHT_ROOM; /* room for a weight right of the last line */
	v->ch = wb_layout_height(l);
	size_t cells = (size_t)v->cw * (size_t)v->ch;
	v->cell = calloc(cells ? cells : 1, sizeof *v->cell);
	if (!v->cell) {
		free_cache(v);
		return WB_ENOMEM;
	}
	for (size_t i = 0; i < cells; i++)
		v->cell[i].edge = -1;
	size_t ne = wb_layout_nedges(l);
	for (size_t k = 0; k < ne; k++) {
		size_t a, b;
		wb_layout_edge(l, k, &a, &b);
		const wb_layout_point *p;
		size_t np = wb_layout_edge_route(l, k, &p);
		int dashed = wb_graph_is_bidirected(g, a, b);
		for (size_t i = 0; i + 1 < np; i++) {
			int x = p[i].x, y = p[i].y;
			int dx = (p[i + 1].x > x) - (p[i + 1].x < x),
			    dy = (p[i + 1].y > y) - (p[i + 1].y < y);
			int fwd = dx > 0 ? RIGHT : dx < 0 ? LEFT : dy > 0 ? DOWN : UP;
			int back = fwd == RIGHT	 ? LEFT
				   : fwd == LEFT ? RIGHT
				   : fwd == DOWN ? UP
						 : DOWN;
			while (x != p[i + 1].x || y != p[i + 1].y) {
				mark_step(v, x, y, fwd, dashed, (int)k);
				x += dx;
				y += dy;
				mark_step(v, x, y, back, dashed, (int)k);
			}
		}
		int ta = towards(l, a, p[0]), tb = towards(l, b, p[np - 1]);
		mark_step(v, p[0].x, p[0].y, ta, dashed, (int)k);
		mark_step(v, p[np - 1].x, p[np - 1].y, tb, dashed, (int)k);
		wb_graph_cell *ca = cell_at(v, p[0].x, p[0].y),
			      *cb = cell_at(v, p[np - 1].x, p[np - 1].y);
		if (ca)
			ca->glyph = head_glyph(wb_graph_mark(g, b, a), ta);
		if (cb)
			cb->glyph = head_glyph(wb_graph_mark(g, a, b), tb);
	}
	for (size_t k = 0; k < ne; k++) {
		size_t a, b;
		wb_layout_edge(l, k, &a, &b);
		double w = wb_graph_edge_weight(g, a, b);
		if (isnan(w))
			continue;
		char text[32];
		snprintf(text, sizeof text, "%.2f", w < 0 ? 0 : w > 9.99 ? 9.99 : w);
		const wb_layout_point *p;
		size_t np = wb_layout_edge_route(l, k, &p);
		place_weight(v, p, np, text);
	}
	v->have = 1;
	return 0;
}

/* ---- identification, recomputed with the drawing ---- */

/* Frees n malloc'd strings and their array; leaves *list NULL and *n 0. */
static void free_strings(char ***list, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free((*list)[i]);
	free(*list);
	*list = NULL;
	*n = 0;
}

static void free_ident(wb_graph_view *v)
{
	free_strings(&v->sets, &v->nsets);
	free(v->setmember);
	v->setmember = NULL;
	free(v->nrole);
	v->nrole = NULL;
	v->ident_msg[0] = v->adjust_msg[0] = '\0';
}

/* "{A, B}" for a set of node indices ("{}" for the empty set). */
static char *set_text(const wb_graph *g, const size_t *set, size_t n)
{
	size_t len = 3;
	for (size_t i = 0; i < n; i++)
		len += strlen(wb_graph_node_name(g, set[i])) + 2;
	char *t = malloc(len);
	if (!t)
		return NULL;
	size_t used = 0;
	t[used++] = '{';
	for (size_t i = 0; i < n; i++)
		used +=
		    (size_t)sprintf(t + used, "%s%s", i ? ", " : "", wb_graph_node_name(g, set[i]));
	t[used++] = '}';
	t[used] = '\0';
	return t;
}

/* The minimal adjustment sets for the exposures and outcomes marked in g, each node's role for
 * that effect, and whether the nodes marked adjusted form a valid adjustment set: all from
 * engine/identify (van der Zander, Liśkiewicz & Textor 2019), never computed here. */
static void identify(wb_graph_view *v, const wb_graph *g)
{
	free_ident(v);
	v->set_sel = 0;
	size_t n = wb_graph_nnodes(g), m = n ? n : 1;
	size_t *x = malloc(m * sizeof *x), *y = malloc(m * sizeof *y), *z = malloc(m * sizeof *z);
	v->nrole = calloc(m, sizeof *v->nrole);
	if (!x || !y || !z || !v->nrole) {
		snprintf(v->ident_msg, sizeof v->ident_msg, "out of memory");
		goto done;
	}
	size_t nx = wb_graph_nodes_with_role(g, WB_ROLE_EXPOSURE, x, n);
	size_t ny = wb_graph_nodes_with_role(g, WB_ROLE_OUTCOME, y, n);
	size_t nz = wb_graph_nodes_with_role(g, WB_ROLE_ADJUSTED, z, n);
	if (nx == 0 || ny == 0) {
		snprintf(v->ident_msg, sizeof v->ident_msg,
			 "mark an exposure (e) and an outcome (o)");
		goto done;
	}
	wb_err err;
	wb_sets sets = {0};
	if (wb_identify_adjustment_sets(g, x, nx, y, ny, NULL, 0, &sets, &err) < 0) {
		snprintf(v->ident_msg, sizeof v->ident_msg, "%s", err.msg);
		goto done;
	}
	v->sets = calloc(sets.n ? sets.n : 1, sizeof *v->sets);
	for (size_t k = 0; v->sets && k < sets.n; k++)
		if ((v->sets[v->nsets] = set_text(g, sets.set[k], sets.size[k])))
			v->nsets++;
	/* which nodes are in which set, for the highlight (set k: bit k of the first 32) */
	v->setmember = calloc(m, sizeof *v->setmember);
	for (size_t k = 0; v->setmember && k < sets.n && k < 32; k++)
		for (size_t j = 0; j < sets.size[k]; j++)
			v->setmember[sets.set[k][j]] |= 1u << k;
	if (sets.n == 0) {
		wb_identification id;
		memset(&id, 0, sizeof id);
		if (wb_identify_effect(g, x, nx, y, ny, &id, &err) == 0)
			snprintf(v->ident_msg, sizeof v->ident_msg, "none: %.*s",
				 (int)sizeof v->ident_msg - 8, id.adjustment_why);
		else
			snprintf(v->ident_msg, sizeof v->ident_msg, "none: %.*s",
				 (int)sizeof v->ident_msg - 8, err.msg);
		wb_identify_free(&id);
	} else if (sets.truncated) {
		snprintf(v->ident_msg, sizeof v->ident_msg, "(first %zu sets)", sets.n);
	}
	wb_identify_sets_free(&sets);
	if (nz > 0) {
		int valid = 0;
		char why[WB_ERR_MAX] = "";
		char *zt = set_text(g, z, nz);
		if (wb_identify_is_adjustment(g, x, nx, y, ny, z, nz, &valid, why, sizeof why,
					      &err) < 0)
			snprintf(why, sizeof why, "%s", err.msg);
		snprintf(v->adjust_msg, sizeof v->adjust_msg, "adjusted %s: %s%s", zt ? zt : "",
			 valid ? "sufficient" : "not sufficient: ", valid ? "" : why);
		free(zt);
	}
	if (wb_identify_roles(g, x, nx, y, ny, v->nrole, &err) < 0)
		memset(v->nrole, 0, m * sizeof *v->nrole);
done:
	free(x);
	free(y);
	free(z);
}

/* ---- cursor ---- */

static void set_cursor(wb_graph_view *v, const wb_graph *g, size_t i)
{
	v->cur = i;
	free(v->cur_name);
	v->cur_name = i < wb_graph_nnodes(g) ? strdup(wb_graph_node_name(g, i)) : NULL;
}

static void free_names(wb_graph_view *v)
{
	free_strings(&v->names, &v->nnames);
}

/* The node of g whose name was not there at the last sync, when exactly one was added; -1 if
 * none. */
static long added_node(const wb_graph_view *v, const wb_graph *g)
{
	size_t n = wb_graph_nnodes(g);
	if (!v->names || n != v->nnames + 1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *name = wb_graph_node_name(g, i);
		size_t j = 0;
		while (j < v->nnames && strcmp(v->names[j], name) != 0)
			j++;
		if (j == v->nnames)
			return (long)i;
	}
	return -1;
}

/* Remembers the names of g's nodes (to see which one is added next). */
static void keep_names(wb_graph_view *v, const wb_graph *g)
{
	free_names(v);
	size_t n = wb_graph_nnodes(g);
	v->names = calloc(n ? n : 1, sizeof *v->names);
	for (size_t i = 0; v->names && i < n; i++)
		if ((v->names[v->nnames] = strdup(wb_graph_node_name(g, i))))
			v->nnames++;
}

/* After any change: a node just added takes the cursor (the same graph, one new name);
 * otherwise the cursor follows its node by name, and a deleted node leaves it on the node
 * that took its index. */
static void sync(wb_screen *s, const wb_graph *g)
{
	wb_graph_view *v = &s->graph;
	unsigned long sig = signature(g);
	if (v->have && sig == v->sig && g == v->seen)
		return;
	if (rebuild(v, g) < 0)
		wb_screen_log(s, WB_LOG_ERROR, "graph pane: out of memory");
	identify(v, g);
	v->sig = sig;
	size_t n = wb_graph_nnodes(g);
	long at = v->cur_name ? wb_graph_node_index(g, v->cur_name) : -1;
	long added = g == v->seen ? added_node(v, g) : -1;
	if (added >= 0)
		set_cursor(v, g, (size_t)added);
	else if (at >= 0)
		v->cur = (size_t)at;
	else
		set_cursor(v, g, n > 0 && v->cur >= n ? n - 1 : v->cur);
	if (v->anchor && wb_graph_node_index(g, v->anchor) < 0) {
		free(v->anchor);
		v->anchor = NULL;
	}
	v->seen = g;
	keep_names(v, g);
}

static void centre(const wb_layout *l, size_t i, int *cx, int *cy)
{
	int x, y, w;
	wb_layout_node_box(l, i, &x, &y, &w);
	*cx = x + w / 2;
	*cy = y;
}

/* The nearest node in direction (dx, dy): ahead of the cursor, scored by the distance ahead
 * plus twice the distance aside (rows count three columns: layers are far apart in cells). */
static long nearest(const wb_layout *l, size_t from, int dx, int dy)
{
	int fx, fy;
	centre(l, from, &fx, &fy);
	long best = -1;
	double bests = 0;
	for (size_t i = 0; i < wb_layout_nnodes(l); i++) {
		if (i == from)
			continue;
		int x, y;
		centre(l, i, &x, &y);
		double ax = x - fx, ay = 3.0 * (y - fy);
		double ahead = dx ? ax * dx : ay * dy, aside = dx ? fabs(ay) : fabs(ax);
		if (ahead <= 0)
			continue;
		double score = ahead + 2 * aside;
		if (best < 0 || score < bests) {
			best = (long)i;
			bests = score;
		}
	}
	return best;
}

/* ---- drawing ---- */

static const char *line_glyph(unsigned bits, int dashed)
{
	static const char *const solid[16] = {" ", "│", "│", "│", "─", "┘", "┐", "┤",
					      "─", "└", "┌", "├", "─", "┴", "┬", "┼"};
	static const char *const dash[16] = {" ", "╎", "╎", "╎", "╌", "╯", "╮", "┤",
					     "╌", "╰", "╭", "├", "╌", "┴", "┬", "┼"};
	return (dashed ? dash : solid)[bits & 15];
}

/* The attribute a node is drawn in: its role's colour, the cursor over everything. */
static int node_attr(wb_screen *s, const wb_graph *g, size_t i)
{
	wb_graph_view *v = &s->graph;
	int roles = wb_graph_roles(g, i), a;
	if (i == v->cur)
		return wb_theme_attr(WB_TH_CURSOR);
	if (roles & WB_ROLE_EXPOSURE)
		a = wb_theme_attr(WB_TH_EXPOSURE);
	else if (roles & WB_ROLE_OUTCOME)
		a = wb_theme_attr(WB_TH_OUTCOME);
	else if (roles & WB_ROLE_LATENT)
		a = wb_theme_attr(WB_TH_LATENT);
	else if (roles & WB_ROLE_ADJUSTED)
		a = wb_theme_attr(WB_TH_ADJUSTED);
	else if (v->nrole && (v->nrole[i] & WB_NODE_CONFOUNDER))
		a = wb_theme_attr(WB_TH_CONFOUNDER);
	else if (v->nrole && (v->nrole[i] & WB_NODE_MEDIATOR))
		a = wb_theme_attr(WB_TH_MEDIATOR);
	else
		a = wb_theme_attr(WB_TH_NORMAL);
	if (v->setmember && v->set_sel < 32 && (v->setmember[i] >> v->set_sel & 1))
		a |= wb_theme_attr(WB_TH_INSET);
	if (v->anchor && strcmp(v->anchor, wb_graph_node_name(g, i)) == 0)
		a |= A_BOLD | A_UNDERLINE;
	return a;
}

/* Keeps the cursor node inside the visible w × h window. */
static void scroll_to_cursor(wb_graph_view *v, int w, int h)
{
	if (!v->layout || wb_layout_nnodes(v->layout) == 0)
		return;
	int x, y, bw;
	wb_layout_node_box(v->layout, v->cur, &x, &y, &bw);
	int mx = w > 20 ? 4 : 0, my = h > 8 ? 2 : 0;
	if (x - mx < v->left)
		v->left = x - mx;
	if (x + bw + mx > v->left + w)
		v->left = x + bw + mx - w;
	if (y - my < v->top)
		v->top = y - my;
	if (y + 1 + my > v->top + h)
		v->top = y + 1 + my - h;
	if (v->left > v->cw - w)
		v->left = v->cw - w;
	if (v->top > v->ch - h)
		v->top = v->ch - h;
	if (v->left < 0)
		v->left = 0;
	if (v->top < 0)
		v->top = 0;
}

static int touches_cursor(const wb_graph_view *v, int edge)
{
	size_t a, b;
	wb_layout_edge(v->layout, (size_t)edge, &a, &b);
	return a == v->cur || b == v->cur;
}

static void draw_drawing(wb_screen *s, const wb_graph *g, wb_rect r)
{
	wb_graph_view *v = &s->graph;
	const wb_layout *l = v->layout;
	/* a drawing smaller than the window sits in its middle, one row down */
	int dw = v->cw - WEIGHT_ROOM, ox = dw < r.w ? (r.w - dw) / 2 : 0;
	int oy = v->ch + 2 <= r.h ? 1 : 0;
	r.x += ox;
	r.w -= ox;
	r.y += oy;
	r.h -= oy;
	scroll_to_cursor(v, r.w, r.h);
	int bold = A_BOLD;
	for (int y = 0; y < r.h; y++) {
		int gy = v->top + y;
		for (int x = 0; x < r.w; x++) {
			wb_graph_cell *c = cell_at(v, v->left + x, gy);
			if (!c || (!c->bits && !c->glyph))
				continue;
			int hot = c->edge >= 0 && touches_cursor(v, c->edge);
			attrset(hot ? bold : wb_theme_attr(WB_TH_NORMAL));
			mvaddstr(r.y + y, r.x + x,
				 c->glyph ? c->glyph : line_glyph(c->bits, c->dashed));
		}
	}
	for (size_t i = 0; i < wb_layout_nnodes(l); i++) {
		int x, y, w;
		wb_layout_node_box(l, i, &x, &y, &w);
		if (y < v->top || y >= v->top + r.h || x + w <= v->left || x >= v->left + r.w)
			continue;
		const char *name = wb_graph_node_name(g, i);
		int latent = wb_graph_roles(g, i) & WB_ROLE_LATENT;
		char label[512];
		int nw = wb_text_width(name), pad = w - 2 - nw;
		snprintf(label, sizeof label, "%c%*s%s%*s%c", latent ? '(' : '[', pad / 2, "", name,
			 pad - pad / 2, "", latent ? ')' : ']');
		/* clip to the window: skip the columns left of it, cut at its right edge */
		int sx = x - v->left, skip = sx < 0 ? -sx : 0;
		const char *p = label;
		for (int k = 0; k < skip && *p; k++) {
			p++;
			while ((*p & 0xC0) == 0x80)
				p++;
		}
		attrset(node_attr(s, g, i));
		wb_put(r.y + y - v->top, r.x + sx + skip, r.w - (sx + skip), p, 0, 0);
	}
	attrset(A_NORMAL);
}

/* One line of the side panel; returns the next row. */
static int side_line(wb_rect r, int y, int attr, const char *text)
{
	if (y >= r.y + r.h)
		return y;
	attrset(attr);
	wb_put(y, r.x, r.w, text, 0, 0);
	attrset(A_NORMAL);
	return y + 1;
}

static void names_with(const wb_graph *g, int role, char *buf, size_t size);

/* The side panel's identification lines from row y; returns the next free row. */
/* Writes text from row y, wrapped at spaces to the panel's width, on rows before ylimit;
 * indent starts the lines after the first. A word wider than the panel ends in "…". Returns
 * the next free row. */
static int side_wrap(wb_rect t, int y, int ylimit, int attr, const char *text, const char *indent)
{
	char line[512];
	size_t used = 0;
	const char *p = text;
	while (*p && y < ylimit) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char trial[512];
		snprintf(trial, sizeof trial, "%.*s%s%.*s", (int)used, line, used ? " " : "",
			 (int)len, p);
		if (used && wb_text_width(trial) > t.w) {
			line[used] = '\0';
			y = side_line(t, y, attr, line);
			used = (size_t)snprintf(line, sizeof line, "%s", indent);
			continue;
		}
		used = (size_t)snprintf(line, sizeof line, "%s", trial);
		if (used >= sizeof line)
			used = sizeof line - 1;
		p += len;
		while (*p == ' ')
			p++;
	}
	if (used && y < ylimit)
		y = side_line(t, y, attr, line);
	return y;
}

/* The side panel's identification lines from row y; returns the next free row. */
static int side_identify(wb_screen *s, const wb_graph *g, wb_rect t, int y)
{
	wb_graph_view *v = &s->graph;
	int ylimit = t.y + t.h - 5; /* keep the cursor lines and the legend */
	char buf[512], xs[200], ys[200];
	names_with(g, WB_ROLE_EXPOSURE, xs, sizeof xs);
	names_with(g, WB_ROLE_OUTCOME, ys, sizeof ys);
	snprintf(buf, sizeof buf, "Adjustment sets %s → %s", xs, ys);
	y = side_wrap(t, y, ylimit, wb_theme_attr(WB_TH_HEADER), buf, "  ");
	size_t shown = 0;
	for (size_t k = 0; k < v->nsets && y < ylimit - (k + 1 < v->nsets); k++, shown++) {
		int sel = (int)k == v->set_sel;
		snprintf(buf, sizeof buf, "%s %s", sel ? "▸" : " ", v->sets[k]);
		y = side_wrap(t, y, ylimit, sel ? wb_theme_attr(WB_TH_INSET) : (int)A_NORMAL, buf,
			      "   ");
	}
	if (shown < v->nsets) {
		snprintf(buf, sizeof buf, "  … %zu more (s / S)", v->nsets - shown);
		y = side_line(t, y, wb_theme_attr(WB_TH_DIM), buf);
	}
	y = side_wrap(t, y, ylimit, wb_theme_attr(WB_TH_INFO), v->ident_msg, "");
	return side_wrap(t, y, ylimit, wb_theme_attr(WB_TH_INFO), v->adjust_msg, "");
}

void wb_graph_select_set(wb_screen *s, int step)
{
	wb_graph_view *v = &s->graph;
	if (v->nsets == 0)
		return;
	int n = (int)v->nsets;
	v->set_sel = ((v->set_sel + step) % n + n) % n;
}

/* Names of the nodes having role, joined with ", " ("—" if none). */
static void names_with(const wb_graph *g, int role, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < wb_graph_nnodes(g) && used + 1 < size; i++)
		if (wb_graph_roles(g, i) & role)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
						 wb_graph_node_name(g, i));
	if (!buf[0])
		snprintf(buf, size, "—");
}

static void draw_side(wb_screen *s, const wb_graph *g, const char *gname, wb_rect r)
{
	wb_graph_view *v = &s->graph;
	attrset(wb_theme_attr(WB_TH_BORDER));
	for (int y = r.y; y < r.y + r.h; y++)
		mvaddstr(y, r.x, "│");
	attrset(A_NORMAL);
	wb_rect t = {r.y, r.x + 2, r.h, r.w - 3};
	char buf[512], names[400];
	int y = t.y;
	snprintf(buf, sizeof buf, "%s · %s", gname && *gname ? gname : "(unnamed)",
		 wb_graph_kind(g));
	y = side_line(t, y, wb_theme_attr(WB_TH_HEADER), buf);
	snprintf(buf, sizeof buf, "%zu nodes · %zu edges", wb_graph_nnodes(g), wb_graph_nedges(g));
	y = side_line(t, y, wb_theme_attr(WB_TH_DIM), buf);
	static const struct {
		int role;
		wb_role th;
		const char *label;
	} roles[] = {{WB_ROLE_EXPOSURE, WB_TH_EXPOSURE, "exposure"},
		     {WB_ROLE_OUTCOME, WB_TH_OUTCOME, "outcome "},
		     {WB_ROLE_ADJUSTED, WB_TH_ADJUSTED, "adjusted"},
		     {WB_ROLE_LATENT, WB_TH_LATENT, "latent  "}};
	for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++) {
		names_with(g, roles[k].role, names, sizeof names);
		if (y >= t.y + t.h)
			break;
		attrset(wb_theme_attr(roles[k].th));
		int w = wb_put(y, t.x, t.w, roles[k].label, 0, 0);
		attrset(A_NORMAL);
		wb_put(y, t.x + w + 1, t.w - w - 1, names, 0, 0);
		y++;
	}
	y = side_identify(s, g, t, y + 1);
	if (wb_graph_nnodes(g) > 0 && y + 2 < t.y + t.h) {
		y++;
		size_t c = v->cur, idx[64];
		snprintf(buf, sizeof buf, "cursor: %s", wb_graph_node_name(g, c));
		y = side_line(t, y, wb_theme_attr(WB_TH_HEADER), buf);
		static const char *const rel[] = {"parents ", "children", "adjacent"};
		for (int k = 0; k < 3; k++) {
			size_t m = k == 0   ? wb_graph_parents(g, c, idx, 64)
				   : k == 1 ? wb_graph_children(g, c, idx, 64)
					    : wb_graph_neighbours(g, c, idx, 64);
			size_t used = (size_t)snprintf(buf, sizeof buf, "%s ", rel[k]);
			for (size_t j = 0; j < m && j < 64 && used + 1 < sizeof buf; j++)
				used +=
				    (size_t)snprintf(buf + used, sizeof buf - used, "%s%s",
						     j ? ", " : "", wb_graph_node_name(g, idx[j]));
			if (m == 0)
				snprintf(buf + used, sizeof buf - used, "—");
			y = side_line(t, y, A_NORMAL, buf);
		}
	}
	if (v->anchor && y + 1 < t.y + t.h) {
		snprintf(buf, sizeof buf, "edge from %s: move, then c b - d r", v->anchor);
		y = side_line(t, y + 1, wb_theme_attr(WB_TH_INFO), buf);
	}
	/* legend at the bottom */
	static const struct {
		wb_role th;
		const char *text;
	} legend[] = {{WB_TH_EXPOSURE, "exposure"},	{WB_TH_OUTCOME, "outcome"},
		      {WB_TH_CONFOUNDER, "confounder"}, {WB_TH_MEDIATOR, "mediator"},
		      {WB_TH_ADJUSTED, "adjusted"},	{WB_TH_LATENT, "(latent)"},
		      {WB_TH_INSET, "in the set"}};
	int ly = t.y + t.h - 4;
	if (ly <= y)
		return;
	int x = t.x;
	ly = side_line(t, ly, wb_theme_attr(WB_TH_DIM), "legend");
	for (size_t k = 0; k < sizeof legend / sizeof legend[0]; k++) {
		int w = wb_text_width(legend[k].text);
		if (x + w > t.x + t.w) {
			x = t.x;
			if (++ly >= t.y + t.h)
				break;
		}
		attrset(wb_theme_attr(legend[k].th));
		wb_put(ly, x, w, legend[k].text, 0, 0);
		attrset(A_NORMAL);
		x += w + 1;
	}
	(void)y;
}

void wb_graph_draw(wb_screen *s, wb_rect r)
{
	wb_graph_view *v = &s->graph;
	const char *name = NULL;
	const wb_graph *g = s->host->graph ? s->host->graph(s->host->ctx, &name) : NULL;
	attrset(A_NORMAL);
	if (!g) {
		const char *msg =
		    "No graph yet: n adds a node, or `graph load PATH`, or `discover pc`.";
		int w = wb_text_width(msg);
		wb_put(r.y + r.h / 2 - 1, r.x + (w < r.w ? (r.w - w) / 2 : 1), r.w - 1, msg, 0, 0);
		return;
	}
	sync(s, g);
	int side = r.w >= SIDE_MIN ? SIDE_W : 0;
	wb_rect d = {r.y, r.x, r.h, r.w - side};
	if (side)
		draw_side(s, g, name, (wb_rect){r.y, r.x + r.w - side, r.h, side});
	if (wb_graph_nnodes(g) == 0) {
		const char *msg = "Empty graph: n adds a node.";
		wb_put(d.y + d.h / 2 - 1, d.x + (d.w - wb_text_width(msg)) / 2, d.w, msg, 0, 0);
		return;
	}
	if (!v->layout)
		return;
	draw_drawing(s, g, d);
}

/* ---- keys ---- */

static void submit(wb_screen *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void submit(wb_screen *s, const char *fmt, ...)
{
	char line[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	wb_screen_submit(s, line);
}

static const char *qname(const wb_graph *g, size_t i, char *buf, size_t size)
{
	wb_quote_word(wb_graph_node_name(g, i), buf, size);
	return buf;
}

static void toggle_role(wb_screen *s, const wb_graph *g, int role, const char *word)
{
	char q[512];
	int on = wb_graph_roles(g, s->graph.cur) & role;
	submit(s, "graph role %s %s%s", qname(g, s->graph.cur, q, sizeof q), word,
	       on ? " off" : "");
}

/* Finishes an edge started at the anchor with key ch (c/Enter, b, -, d, r). */
static void finish_edge(wb_screen *s, const wb_graph *g, unsigned int ch)
{
	wb_graph_view *v = &s->graph;
	long a = wb_graph_node_index(g, v->anchor);
	size_t b = v->cur;
	free(v->anchor);
	v->anchor = NULL;
	if (a < 0)
		return;
	if ((size_t)a == b) {
		wb_screen_log(s, WB_LOG_INFO,
			      "an edge needs two nodes: move to the other end first");
		return;
	}
	char qa[512], qb[512];
	qname(g, (size_t)a, qa, sizeof qa);
	qname(g, b, qb, sizeof qb);
	if (ch == 'd' || ch == 'r') {
		if (!wb_graph_adjacent(g, (size_t)a, b)) {
			wb_screen_log(s, WB_LOG_INFO, "no edge between %s and %s", qa, qb);
			return;
		}
		/* the edge as it stands, in the syntax graph drop / reverse read */
		int ab = wb_graph_is_directed(g, (size_t)a, b),
		    ba = wb_graph_is_directed(g, b, (size_t)a);
		const char *op = ab || ba				   ? "->"
				 : wb_graph_is_bidirected(g, (size_t)a, b) ? "<->"
									   : "--";
		const char *l = ba ? qb : qa, *r = ba ? qa : qb;
		if (ch == 'r' && !ab && !ba) {
			wb_screen_log(s, WB_LOG_INFO,
				      "only a directed edge reverses; c orients %s %s %s", qa, op,
				      qb);
			return;
		}
		submit(s, "graph %s %s %s %s", ch == 'd' ? "drop" : "reverse", l, op, r);
		return;
	}
	const char *op = ch == 'b' ? "<->" : ch == '-' ? "--" : "->";
	submit(s, "graph edge %s %s %s", qa, op, qb);
}

static void start_edge(wb_screen *s, const wb_graph *g, unsigned int ch)
{
	wb_graph_view *v = &s->graph;
	free(v->anchor);
	v->anchor = strdup(wb_graph_node_name(g, v->cur));
	v->anchor_key = ch;
	wb_screen_log(s, WB_LOG_INFO,
		      "edge from %s: move to the other end, then c (->), b (<->), "
		      "- (--), d (delete) or r (reverse); Esc cancels",
		      v->anchor);
}

/* Moves the cursor node one step: a layer down is y + 1, a step aside one layout unit. */
static void move_node(wb_screen *s, const wb_graph *g, int dx, int dy)
{
	wb_graph_view *v = &s->graph;
	double x, y;
	if (!wb_graph_pos(g, v->cur, &x, &y))
		wb_layout_node_unit(v->layout, v->cur, &x, &y);
	char q[512];
	/* whole units keep the logged commands short; the first move may shift a node a little */
	submit(s, "graph move %s %.6g %.6g", qname(g, v->cur, q, sizeof q), round(x) + dx,
	       round(y) + dy);
}

int wb_graph_key(wb_screen *s, int is_key, unsigned int ch)
{
	wb_graph_view *v = &s->graph;
	const wb_graph *g = s->host->graph ? s->host->graph(s->host->ctx, NULL) : NULL;
	if (!is_key && ch == 'n') {
		wb_screen_prompt(s, g ? "graph node " : "graph new; graph node ");
		return 1;
	}
	if (!g || wb_graph_nnodes(g) == 0) {
		if (!is_key && (ch == 'z' || ch == 'Z' || ch == 18)) {
			wb_screen_submit(s, ch == 'z' ? "graph undo" : "graph redo");
			return 1;
		}
		return 0;
	}
	sync(s, g);
	if (!v->layout)
		return 0;
	int dx = 0, dy = 0;
	if (is_key) {
		switch (ch) {
		case KEY_LEFT:
			dx = -1;
			break;
		case KEY_RIGHT:
			dx = 1;
			break;
		case KEY_UP:
			dy = -1;
			break;
		case KEY_DOWN:
			dy = 1;
			break;
		case KEY_DC:
			ch = 'd';
			is_key = 0;
			break;
		case KEY_ENTER:
			ch = '\n';
			is_key = 0;
			break;
		case KEY_SLEFT:
			ch = 'H';
			is_key = 0;
			break;
		case KEY_SRIGHT:
			ch = 'L';
			is_key = 0;
			break;
		default:
			return 0;
		}
	} else {
		switch (ch) {
		case 'h':
			dx = -1;
			break;
		case 'l':
			dx = 1;
			break;
		case 'k':
			dy = -1;
			break;
		case 'j':
			dy = 1;
			break;
		default:
			break;
		}
	}
	if (dx || dy) {
		long to = nearest(v->layout, v->cur, dx, dy);
		if (to >= 0)
			set_cursor(v, g, (size_t)to);
		return 1;
	}
	if (is_key)
		return 0;
	static const struct {
		unsigned int key;
		int role;
		const char *word;
	} role_keys[] = {{'e', WB_ROLE_EXPOSURE, "exposure"},
			 {'o', WB_ROLE_OUTCOME, "outcome"},
			 {'u', WB_ROLE_LATENT, "latent"},
			 {'a', WB_ROLE_ADJUSTED, "adjusted"}};
	for (size_t k = 0; k < sizeof role_keys / sizeof role_keys[0]; k++)
		if (ch == role_keys[k].key) {
			toggle_role(s, g, role_keys[k].role, role_keys[k].word);
			return 1;
		}
	char q[512];
	size_t n = wb_graph_nnodes(g);
	switch (ch) {
	case ']':
	case '[':
		set_cursor(v, g, (v->cur + (ch == ']' ? 1 : n - 1)) % n);
		return 1;
	case 'c':
	case 'b':
	case '-':
		if (v->anchor)
			finish_edge(s, g, ch);
		else
			start_edge(s, g, ch);
		return 1;
	case '\n':
	case '\r':
		if (v->anchor)
			finish_edge(s, g, v->anchor_key);
		return 1;
	case 'd':
		if (v->anchor)
			finish_edge(s, g, 'd');
		else
			submit(s, "graph drop %s", qname(g, v->cur, q, sizeof q));
		return 1;
	case 'r':
		if (v->anchor)
			finish_edge(s, g, 'r');
		else
			wb_screen_log(s, WB_LOG_INFO,
				      "r reverses an edge: c at one end, move to the "
				      "other, then r");
		return 1;
	case 27:
		if (v->anchor) {
			free(v->anchor);
			v->anchor = NULL;
			wb_screen_log(s, WB_LOG_INFO, "edge cancelled");
		}
		return 1;
	case 'R': {
		char line[600];
		snprintf(line, sizeof line, "graph rename %s ", qname(g, v->cur, q, sizeof q));
		wb_screen_prompt(s, line);
		return 1;
	}
	case 'H':
		move_node(s, g, -1, 0);
		return 1;
	case 'L':
		move_node(s, g, 1, 0);
		return 1;
	case 'K':
		move_node(s, g, 0, -1);
		return 1;
	case 'J':
		move_node(s, g, 0, 1);
		return 1;
	case 'z':
		wb_screen_submit(s, "graph undo");
		return 1;
	case 'Z':
	case 18: /* Ctrl-R */
		wb_screen_submit(s, "graph redo");
		return 1;
	case 's':
	case 'S':
		wb_graph_select_set(s, ch == 's' ? 1 : -1);
		return 1;
	default:
		return 0;
	}
}

/* Status line text: the cursor node and the drawing's size. */
void wb_graph_status(wb_screen *s, char *buf, size_t size)
{
	wb_graph_view *v = &s->graph;
	buf[0] = '\0';
	if (v->have && v->cur_name)
		snprintf(buf, size, " node %s · %d layers · %d×%d cells ", v->cur_name,
			 wb_layout_nlayers(v->layout), v->cw, v->ch);
}
