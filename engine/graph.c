/*
 * graph.c — the causal graph type; see graph.h.
 *
 * Representation: a dense n×n matrix of edge marks (mark[a*cap + b] is the mark at b's end of
 * the edge between a and b), node arrays (name, roles, position), and a short list of edge
 * weights. Undo keeps whole snapshots of the state before each step (the graphs people draw
 * are small; a snapshot of a 50-node graph is a few kilobytes).
 */
#include "graph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct weight {
	size_t a, b; /* a < b */
	double w;
} weight;

/* The edge list in the stable order of wb_graph_edge_at, rebuilt when stale. It lives behind
 * a pointer so that the const accessors can refresh it. */
typedef struct edge_cache {
	size_t *ab; /* 2 per edge */
	size_t cap;
	int stale;
} edge_cache;

typedef struct state {
	size_t n, cap;
	char **names;
	int *roles;
	double *px, *py;
	unsigned char *haspos;
	unsigned char *mark; /* cap*cap */
	size_t nedges;
	weight *w;
	size_t nw;
} state;

struct wb_graph {
	state st;
	state *undo[WB_GRAPH_UNDO_MAX];
	size_t nundo;
	state *redo[WB_GRAPH_UNDO_MAX];
	size_t nredo;
	int depth;    /* begin_edit nesting */
	int recorded; /* the current group already saved its snapshot */
	edge_cache *cache;
};

/* ---- state helpers ---- */

static void state_free(state *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	free(s->roles);
	free(s->px);
	free(s->py);
	free(s->haspos);
	free(s->mark);
	free(s->w);
	memset(s, 0, sizeof *s);
}

/* Grows the node arrays and the mark matrix to hold at least need nodes. */
static int state_reserve(state *s, size_t need)
{
	if (need <= s->cap)
		return 0;
	size_t cap = s->cap ? s->cap : 8;
	while (cap < need)
		cap *= 2;
	char **names = realloc(s->names, cap * sizeof *names);
	if (!names)
		return WB_ENOMEM;
	s->names = names;
	int *roles = realloc(s->roles, cap * sizeof *roles);
	if (!roles)
		return WB_ENOMEM;
	s->roles = roles;
	double *px = realloc(s->px, cap * sizeof *px);
	if (!px)
		return WB_ENOMEM;
	s->px = px;
	double *py = realloc(s->py, cap * sizeof *py);
	if (!py)
		return WB_ENOMEM;
	s->py = py;
	unsigned char *hp = realloc(s->haspos, cap);
	if (!hp)
		return WB_ENOMEM;
	s->haspos = hp;
	unsigned char *m = calloc(cap * cap, 1);
	if (!m)
		return WB_ENOMEM;
	for (size_t i = 0; i < s->n; i++)
		memcpy(m + i * cap, s->mark + i * s->cap, s->n);
	free(s->mark);
	s->mark = m;
	s->cap = cap;
	return 0;
}

static int state_copy(state *d, const state *s)
{
	memset(d, 0, sizeof *d);
	if (state_reserve(d, s->n ? s->n : 1))
		goto fail;
	for (size_t i = 0; i < s->n; i++) {
		if (!(d->names[i] = strdup(s->names[i])))
			goto fail;
		d->n = i + 1;
		d->roles[i] = s->roles[i];
		d->px[i] = s->px[i];
		d->py[i] = s->py[i];
		d->haspos[i] = s->haspos[i];
		memcpy(d->mark + i * d->cap, s->mark + i * s->cap, s->n);
	}
	d->nedges = s->nedges;
	if (s->nw) {
		if (!(d->w = malloc(s->nw * sizeof *d->w)))
			goto fail;
		memcpy(d->w, s->w, s->nw * sizeof *d->w);
		d->nw = s->nw;
	}
	return 0;
fail:
	state_free(d);
	return WB_ENOMEM;
}

static unsigned char *mk(const state *s, size_t a, size_t b)
{
	return s->mark + a * s->cap + b;
}

static long weight_find(const state *s, size_t a, size_t b)
{
	if (a > b) {
		size_t t = a;
		a = b;
		b = t;
	}
	for (size_t k = 0; k < s->nw; k++)
		if (s->w[k].a == a && s->w[k].b == b)
			return (long)k;
	return -1;
}

static void weight_clear(state *s, size_t a, size_t b)
{
	long k = weight_find(s, a, b);
	if (k >= 0)
		s->w[k] = s->w[--s->nw];
}

/* ---- life cycle ---- */

wb_graph *wb_graph_new(void)
{
	wb_graph *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->cache = calloc(1, sizeof *g->cache);
	if (!g->cache || state_reserve(&g->st, 8)) {
		wb_graph_free(g);
		return NULL;
	}
	g->cache->stale = 1;
	return g;
}

static void clear_list(state **list, size_t *n)
{
	for (size_t i = 0; i < *n; i++) {
		state_free(list[i]);
		free(list[i]);
	}
	*n = 0;
}

void wb_graph_free(wb_graph *g)
{
	if (!g)
		return;
	state_free(&g->st);
	clear_list(g->undo, &g->nundo);
	clear_list(g->redo, &g->nredo);
	if (g->cache)
		free(g->cache->ab);
	free(g->cache);
	free(g);
}

wb_graph *wb_graph_copy(const wb_graph *g)
{
	wb_graph *c = wb_graph_new();
	if (!c)
		return NULL;
	state_free(&c->st);
	if (state_copy(&c->st, &g->st)) {
		wb_graph_free(c);
		return NULL;
	}
	return c;
}

/* ---- undo recording ---- */

/* Saves the state before an edit (once per group), and clears the redo list. */
static int record(wb_graph *g)
{
	g->cache->stale = 1;
	if (g->depth > 0 && g->recorded)
		return 0;
	state *snap = malloc(sizeof *snap);
	if (!snap || state_copy(snap, &g->st)) {
		free(snap);
		return WB_ENOMEM;
	}
	if (g->nundo == WB_GRAPH_UNDO_MAX) {
		state_free(g->undo[0]);
		free(g->undo[0]);
		memmove(g->undo, g->undo + 1, (WB_GRAPH_UNDO_MAX - 1) * sizeof *g->undo);
		g->nundo--;
	}
	g->undo[g->nundo++] = snap;
	clear_list(g->redo, &g->nredo);
	if (g->depth > 0)
		g->recorded = 1;
	return 0;
}

static int nomem(wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

#define RECORD(g, err)                                                                             \
	do {                                                                                       \
		if (record(g))                                                                     \
			return nomem(err);                                                         \
	} while (0)

void wb_graph_begin_edit(wb_graph *g)
{
	if (g->depth++ == 0)
		g->recorded = 0;
}

void wb_graph_end_edit(wb_graph *g)
{
	if (g->depth > 0)
		g->depth--;
}

/* Moves the current state onto to[] and the top of from[] into the graph. */
static int swap_step(wb_graph *g, state **from, size_t *nfrom, state **to, size_t *nto)
{
	state *top = from[--*nfrom];
	state *cur = malloc(sizeof *cur);
	if (!cur) {
		(*nfrom)++;
		return WB_ENOMEM;
	}
	*cur = g->st;
	if (*nto == WB_GRAPH_UNDO_MAX) {
		state_free(to[0]);
		free(to[0]);
		memmove(to, to + 1, (WB_GRAPH_UNDO_MAX - 1) * sizeof *to);
		(*nto)--;
	}
	to[(*nto)++] = cur;
	g->st = *top;
	free(top);
	g->cache->stale = 1;
	return 0;
}

int wb_graph_undo(wb_graph *g, wb_err *err)
{
	if (g->nundo == 0)
		return wb_err_set(err, WB_EINVAL, "nothing to undo");
	if (swap_step(g, g->undo, &g->nundo, g->redo, &g->nredo))
		return nomem(err);
	return 0;
}

int wb_graph_redo(wb_graph *g, wb_err *err)
{
	if (g->nredo == 0)
		return wb_err_set(err, WB_EINVAL, "nothing to redo");
	if (swap_step(g, g->redo, &g->nredo, g->undo, &g->nundo))
		return nomem(err);
	return 0;
}

int wb_graph_can_undo(const wb_graph *g)
{
	return g->nundo > 0;
}

int wb_graph_can_redo(const wb_graph *g)
{
	return g->nredo > 0;
}

/* ---- nodes ---- */

size_t wb_graph_nnodes(const wb_graph *g)
{
	return g->st.n;
}

long wb_graph_node_index(const wb_graph *g, const char *name)
{
	for (size_t i = 0; i < g->st.n; i++)
		if (strcmp(g->st.names[i], name) == 0)
			return (long)i;
	return -1;
}

const char *wb_graph_node_name(const wb_graph *g, size_t i)
{
	return i < g->st.n ? g->st.names[i] : NULL;
}

static int check_node(const wb_graph *g, size_t i, wb_err *err)
{
	if (i >= g->st.n)
		return wb_err_set(err, WB_EINVAL, "no node %zu (the graph has %zu)", i, g->st.n);
	return 0;
}

static int check_name(const wb_graph *g, const char *name, wb_err *err)
{
	if (!name || !*name)
		return wb_err_set(err, WB_EINVAL, "a node needs a name");
	if (wb_graph_node_index(g, name) >= 0)
		return wb_err_set(err, WB_EINVAL, "there is already a node called %s", name);
	return 0;
}

long wb_graph_add_node(wb_graph *g, const char *name, wb_err *err)
{
	int rc = check_name(g, name, err);
	if (rc)
		return rc;
	char *nm = strdup(name);
	if (!nm || state_reserve(&g->st, g->st.n + 1) || record(g)) {
		free(nm);
		return nomem(err);
	}
	state *s = &g->st;
	size_t i = s->n++;
	s->names[i] = nm;
	s->roles[i] = 0;
	s->px[i] = s->py[i] = 0;
	s->haspos[i] = 0;
	for (size_t k = 0; k < s->n; k++)
		*mk(s, i, k) = *mk(s, k, i) = WB_MARK_NONE;
	return (long)i;
}

long wb_graph_ensure_node(wb_graph *g, const char *name, wb_err *err)
{
	long i = name ? wb_graph_node_index(g, name) : -1;
	return i >= 0 ? i : wb_graph_add_node(g, name, err);
}

int wb_graph_rename_node(wb_graph *g, size_t i, const char *name, wb_err *err)
{
	int rc = check_node(g, i, err);
	if (rc)
		return rc;
	if (name && strcmp(g->st.names[i], name) == 0)
		return 0;
	if ((rc = check_name(g, name, err)))
		return rc;
	char *nm = strdup(name);
	if (!nm || record(g)) {
		free(nm);
		return nomem(err);
	}
	free(g->st.names[i]);
	g->st.names[i] = nm;
	return 0;
}

int wb_graph_remove_node(wb_graph *g, size_t i, wb_err *err)
{
	int rc = check_node(g, i, err);
	if (rc)
		return rc;
	RECORD(g, err);
	state *s = &g->st;
	for (size_t k = 0; k < s->n; k++)
		if (*mk(s, i, k))
			s->nedges--;
	free(s->names[i]);
	size_t n = s->n;
	for (size_t a = 0, ra = 0; a < n; a++) {
		if (a == i)
			continue;
		for (size_t b = 0, rb = 0; b < n; b++) {
			if (b == i)
				continue;
			*mk(s, ra, rb++) = *mk(s, a, b);
		}
		ra++;
	}
	for (size_t a = 0; a < n - 1; a++)
		*mk(s, a, n - 1) = *mk(s, n - 1, a) = WB_MARK_NONE;
	memmove(s->names + i, s->names + i + 1, (n - i - 1) * sizeof *s->names);
	memmove(s->roles + i, s->roles + i + 1, (n - i - 1) * sizeof *s->roles);
	memmove(s->px + i, s->px + i + 1, (n - i - 1) * sizeof *s->px);
	memmove(s->py + i, s->py + i + 1, (n - i - 1) * sizeof *s->py);
	memmove(s->haspos + i, s->haspos + i + 1, n - i - 1);
	s->n--;
	for (size_t k = 0; k < s->nw;) {
		weight *w = &s->w[k];
		if (w->a == i || w->b == i) {
			*w = s->w[--s->nw];
			continue;
		}
		if (w->a > i)
			w->a--;
		if (w->b > i)
			w->b--;
		k++;
	}
	return 0;
}

int wb_graph_roles(const wb_graph *g, size_t i)
{
	return i < g->st.n ? g->st.roles[i] : 0;
}

int wb_graph_set_role(wb_graph *g, size_t i, int role, int on, wb_err *err)
{
	int rc = check_node(g, i, err);
	if (rc)
		return rc;
	if (role != WB_ROLE_EXPOSURE && role != WB_ROLE_OUTCOME && role != WB_ROLE_LATENT &&
	    role != WB_ROLE_ADJUSTED)
		return wb_err_set(err, WB_EINVAL, "unknown role %d", role);
	int r = g->st.roles[i];
	if (on) {
		r |= role;
		if (role == WB_ROLE_LATENT)
			r = WB_ROLE_LATENT;
		else
			r &= ~WB_ROLE_LATENT;
	} else {
		r &= ~role;
	}
	if (r == g->st.roles[i])
		return 0;
	RECORD(g, err);
	g->st.roles[i] = r;
	return 0;
}

size_t wb_graph_nodes_with_role(const wb_graph *g, int role, size_t *idx, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < g->st.n; i++)
		if (g->st.roles[i] & role) {
			if (n < cap)
				idx[n] = i;
			n++;
		}
	return n;
}

int wb_graph_pos(const wb_graph *g, size_t i, double *x, double *y)
{
	if (i >= g->st.n || !g->st.haspos[i])
		return 0;
	*x = g->st.px[i];
	*y = g->st.py[i];
	return 1;
}

int wb_graph_set_pos(wb_graph *g, size_t i, double x, double y, wb_err *err)
{
	int rc = check_node(g, i, err);
	if (rc)
		return rc;
	if (!isfinite(x) || !isfinite(y))
		return wb_err_set(err, WB_EINVAL, "a position must be two finite numbers");
	state *s = &g->st;
	if (s->haspos[i] && s->px[i] == x && s->py[i] == y)
		return 0;
	RECORD(g, err);
	s->px[i] = x;
	s->py[i] = y;
	s->haspos[i] = 1;
	return 0;
}

void wb_graph_clear_pos(wb_graph *g, size_t i)
{
	if (i >= g->st.n || !g->st.haspos[i] || record(g))
		return;
	g->st.haspos[i] = 0;
}

/* ---- edges ---- */

wb_mark wb_graph_mark(const wb_graph *g, size_t a, size_t b)
{
	if (a >= g->st.n || b >= g->st.n || a == b)
		return WB_MARK_NONE;
	return (wb_mark)*mk(&g->st, a, b);
}

int wb_graph_adjacent(const wb_graph *g, size_t a, size_t b)
{
	return wb_graph_mark(g, a, b) != WB_MARK_NONE;
}

static int marks_are(const wb_graph *g, size_t a, size_t b, wb_mark ma, wb_mark mb)
{
	return wb_graph_mark(g, b, a) == ma && wb_graph_mark(g, a, b) == mb;
}

int wb_graph_is_directed(const wb_graph *g, size_t a, size_t b)
{
	return marks_are(g, a, b, WB_MARK_TAIL, WB_MARK_ARROW);
}

int wb_graph_is_undirected(const wb_graph *g, size_t a, size_t b)
{
	return marks_are(g, a, b, WB_MARK_TAIL, WB_MARK_TAIL);
}

int wb_graph_is_bidirected(const wb_graph *g, size_t a, size_t b)
{
	return marks_are(g, a, b, WB_MARK_ARROW, WB_MARK_ARROW);
}

/* A directed path from `from` to `to` that does not use the edge between a and b (the one
 * being replaced), written into path (nodes, from first); returns its length in nodes, or 0. */
static size_t directed_path(const wb_graph *g, size_t from, size_t to, size_t skip_a, size_t skip_b,
			    size_t *path)
{
	const state *s = &g->st;
	size_t n = s->n;
	size_t *prev = malloc(n * sizeof *prev), *queue = malloc(n * sizeof *queue);
	size_t len = 0;
	if (!prev || !queue)
		goto out;
	for (size_t i = 0; i < n; i++)
		prev[i] = (size_t)-1;
	size_t head = 0, tail = 0;
	queue[tail++] = from;
	prev[from] = from;
	while (head < tail) {
		size_t u = queue[head++];
		if (u == to)
			break;
		for (size_t v = 0; v < n; v++) {
			if (prev[v] != (size_t)-1 || !wb_graph_is_directed(g, u, v))
				continue;
			if ((u == skip_a && v == skip_b) || (u == skip_b && v == skip_a))
				continue;
			prev[v] = u;
			queue[tail++] = v;
		}
	}
	if (prev[to] == (size_t)-1)
		goto out;
	for (size_t v = to;; v = prev[v]) {
		len++;
		if (v == from)
			break;
	}
	size_t k = len;
	for (size_t v = to;; v = prev[v]) {
		path[--k] = v;
		if (v == from)
			break;
	}
out:
	free(prev);
	free(queue);
	return len;
}

/* The cycle a -> b would close: "A -> B would make a cycle: A -> B -> C -> A". */
static int cycle_error(const wb_graph *g, size_t a, size_t b, wb_err *err)
{
	size_t *path = malloc(g->st.n * sizeof *path);
	if (!path)
		return nomem(err);
	size_t len = directed_path(g, b, a, a, b, path);
	if (len == 0) {
		free(path);
		return 0;
	}
	char msg[WB_ERR_MAX];
	size_t used = (size_t)snprintf(msg, sizeof msg, "%s -> %s would make a cycle: %s",
				       g->st.names[a], g->st.names[b], g->st.names[a]);
	for (size_t k = 0; k < len && used < sizeof msg; k++)
		used +=
		    (size_t)snprintf(msg + used, sizeof msg - used, " -> %s", g->st.names[path[k]]);
	free(path);
	return wb_err_set(err, WB_EINVAL, "%s", msg);
}

int wb_graph_set_edge(wb_graph *g, size_t a, size_t b, wb_mark ma, wb_mark mb, wb_err *err)
{
	int rc = check_node(g, a, err);
	if (rc || (rc = check_node(g, b, err)))
		return rc;
	if (a == b)
		return wb_err_set(err, WB_EINVAL,
				  "an edge needs two different nodes (got %s twice)",
				  g->st.names[a]);
	if (ma < WB_MARK_TAIL || ma > WB_MARK_CIRCLE || mb < WB_MARK_TAIL || mb > WB_MARK_CIRCLE)
		return wb_err_set(err, WB_EINVAL, "an edge needs a mark at both ends");
	if (wb_graph_mark(g, b, a) == ma && wb_graph_mark(g, a, b) == mb)
		return 0;
	if (ma == WB_MARK_TAIL && mb == WB_MARK_ARROW && (rc = cycle_error(g, a, b, err)))
		return rc;
	if (ma == WB_MARK_ARROW && mb == WB_MARK_TAIL && (rc = cycle_error(g, b, a, err)))
		return rc;
	RECORD(g, err);
	state *s = &g->st;
	if (*mk(s, a, b) == WB_MARK_NONE)
		s->nedges++;
	else
		weight_clear(s, a, b);
	*mk(s, b, a) = (unsigned char)ma;
	*mk(s, a, b) = (unsigned char)mb;
	return 0;
}

int wb_graph_add_directed(wb_graph *g, size_t a, size_t b, wb_err *err)
{
	return wb_graph_set_edge(g, a, b, WB_MARK_TAIL, WB_MARK_ARROW, err);
}

int wb_graph_add_undirected(wb_graph *g, size_t a, size_t b, wb_err *err)
{
	return wb_graph_set_edge(g, a, b, WB_MARK_TAIL, WB_MARK_TAIL, err);
}

int wb_graph_add_bidirected(wb_graph *g, size_t a, size_t b, wb_err *err)
{
	return wb_graph_set_edge(g, a, b, WB_MARK_ARROW, WB_MARK_ARROW, err);
}

static int no_edge(const wb_graph *g, size_t a, size_t b, wb_err *err)
{
	return wb_err_set(err, WB_ENOTFOUND, "no edge between %s and %s", g->st.names[a],
			  g->st.names[b]);
}

int wb_graph_remove_edge(wb_graph *g, size_t a, size_t b, wb_err *err)
{
	int rc = check_node(g, a, err);
	if (rc || (rc = check_node(g, b, err)))
		return rc;
	if (!wb_graph_adjacent(g, a, b))
		return no_edge(g, a, b, err);
	RECORD(g, err);
	state *s = &g->st;
	*mk(s, a, b) = *mk(s, b, a) = WB_MARK_NONE;
	s->nedges--;
	weight_clear(s, a, b);
	return 0;
}

int wb_graph_reverse_edge(wb_graph *g, size_t a, size_t b, wb_err *err)
{
	int rc = check_node(g, a, err);
	if (rc || (rc = check_node(g, b, err)))
		return rc;
	if (!wb_graph_is_directed(g, a, b))
		return wb_err_set(err, WB_EINVAL, "no edge %s -> %s to reverse", g->st.names[a],
				  g->st.names[b]);
	return wb_graph_add_directed(g, b, a, err);
}

double wb_graph_edge_weight(const wb_graph *g, size_t a, size_t b)
{
	if (!wb_graph_adjacent(g, a, b))
		return NAN;
	long k = weight_find(&g->st, a, b);
	return k >= 0 ? g->st.w[k].w : NAN;
}

int wb_graph_set_edge_weight(wb_graph *g, size_t a, size_t b, double w, wb_err *err)
{
	int rc = check_node(g, a, err);
	if (rc || (rc = check_node(g, b, err)))
		return rc;
	if (!wb_graph_adjacent(g, a, b))
		return no_edge(g, a, b, err);
	state *s = &g->st;
	long k = weight_find(s, a, b);
	if (k >= 0 && (s->w[k].w == w || (isnan(w) && isnan(s->w[k].w))))
		return 0;
	if (k < 0 && isnan(w))
		return 0;
	RECORD(g, err);
	if (isnan(w)) {
		weight_clear(s, a, b);
		return 0;
	}
	if (k < 0) {
		weight *nw = realloc(s->w, (s->nw + 1) * sizeof *nw);
		if (!nw)
			return nomem(err);
		s->w = nw;
		k = (long)s->nw++;
		s->w[k].a = a < b ? a : b;
		s->w[k].b = a < b ? b : a;
	}
	s->w[k].w = w;
	return 0;
}

size_t wb_graph_nedges(const wb_graph *g)
{
	return g->st.nedges;
}

static void refresh_cache(const wb_graph *g)
{
	edge_cache *c = g->cache;
	if (!c->stale)
		return;
	const state *s = &g->st;
	if (c->cap < s->nedges) {
		size_t *ab = realloc(c->ab, 2 * s->nedges * sizeof *ab);
		if (!ab)
			return;
		c->ab = ab;
		c->cap = s->nedges;
	}
	size_t k = 0;
	for (size_t a = 0; a < s->n; a++)
		for (size_t b = a + 1; b < s->n; b++)
			if (*mk(s, a, b)) {
				c->ab[2 * k] = a;
				c->ab[2 * k + 1] = b;
				k++;
			}
	c->stale = 0;
}

void wb_graph_edge_at(const wb_graph *g, size_t k, size_t *a, size_t *b)
{
	refresh_cache(g);
	if (g->cache->stale || k >= g->st.nedges) {
		*a = *b = 0;
		return;
	}
	*a = g->cache->ab[2 * k];
	*b = g->cache->ab[2 * k + 1];
}

typedef int (*rel_fn)(const wb_graph *g, size_t i, size_t x);

static int rel_parent(const wb_graph *g, size_t i, size_t x)
{
	return wb_graph_is_directed(g, x, i);
}

static int rel_child(const wb_graph *g, size_t i, size_t x)
{
	return wb_graph_is_directed(g, i, x);
}

static int rel_adjacent(const wb_graph *g, size_t i, size_t x)
{
	return wb_graph_adjacent(g, i, x);
}

static size_t collect(const wb_graph *g, size_t i, rel_fn rel, size_t *idx, size_t cap)
{
	size_t n = 0;
	for (size_t x = 0; x < g->st.n; x++)
		if (rel(g, i, x)) {
			if (n < cap)
				idx[n] = x;
			n++;
		}
	return n;
}

size_t wb_graph_parents(const wb_graph *g, size_t i, size_t *idx, size_t cap)
{
	return collect(g, i, rel_parent, idx, cap);
}

size_t wb_graph_children(const wb_graph *g, size_t i, size_t *idx, size_t cap)
{
	return collect(g, i, rel_child, idx, cap);
}

size_t wb_graph_neighbours(const wb_graph *g, size_t i, size_t *idx, size_t cap)
{
	return collect(g, i, rel_adjacent, idx, cap);
}

char *wb_graph_edge_text(const wb_graph *g, size_t a, size_t b, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (!wb_graph_adjacent(g, a, b))
		return buf;
	/* The mark at a's end is written on the left, at b's end on the right; rows and
	 * columns: tail, arrow, circle. */
	static const char *const ops[3][3] = {
	    {"--", "->", "--o"}, {"<-", "<->", "<-o"}, {"o--", "o->", "o-o"}};
	wb_mark ma = wb_graph_mark(g, b, a), mb = wb_graph_mark(g, a, b);
	snprintf(buf, size, "%s %s %s", g->st.names[a], ops[ma - 1][mb - 1], g->st.names[b]);
	return buf;
}

const char *wb_graph_kind(const wb_graph *g)
{
	int undirected = 0, bidirected = 0;
	const state *s = &g->st;
	for (size_t a = 0; a < s->n; a++)
		for (size_t b = a + 1; b < s->n; b++) {
			unsigned char x = *mk(s, a, b), y = *mk(s, b, a);
			if (x == WB_MARK_CIRCLE || y == WB_MARK_CIRCLE)
				return "pag";
			undirected |= x == WB_MARK_TAIL && y == WB_MARK_TAIL;
			bidirected |= x == WB_MARK_ARROW && y == WB_MARK_ARROW;
		}
	if (undirected && bidirected)
		return "mixed";
	return undirected ? "pdag" : bidirected ? "admg" : "dag";
}

/* Kahn's algorithm, always taking the lowest-index node that is free (a stable order). */
void wb_graph_topo_order(const wb_graph *g, size_t *order)
{
	size_t n = g->st.n;
	size_t *indeg = calloc(n ? n : 1, sizeof *indeg);
	unsigned char *done = calloc(n ? n : 1, 1);
	if (!indeg || !done) {
		for (size_t i = 0; i < n; i++)
			order[i] = i;
		free(indeg);
		free(done);
		return;
	}
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++)
			indeg[b] += (size_t)wb_graph_is_directed(g, a, b);
	for (size_t k = 0; k < n; k++) {
		size_t u = 0;
		while (u < n && (done[u] || indeg[u]))
			u++;
		if (u == n) /* cannot happen: the graph is acyclic */
			for (u = 0; done[u]; u++)
				;
		done[u] = 1;
		order[k] = u;
		for (size_t v = 0; v < n; v++)
			if (wb_graph_is_directed(g, u, v))
				indeg[v]--;
	}
	free(indeg);
	free(done);
}

int wb_graph_has_directed_path(const wb_graph *g, size_t a, size_t b)
{
	if (a >= g->st.n || b >= g->st.n)
		return 0;
	if (a == b)
		return 1;
	size_t *path = malloc(g->st.n * sizeof *path);
	if (!path)
		return 0;
	size_t len = directed_path(g, a, b, (size_t)-1, (size_t)-1, path);
	free(path);
	return len > 0;
}
