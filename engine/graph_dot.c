/*
 * graph_dot.c — Graphviz DOT in and out (the language of graphviz.org/doc/info/lang.html):
 * `strict`, `graph`/`digraph`, quoted, numeral and HTML IDs, `->`/`--`, edge chains and
 * subgraphs as edge ends, attribute lists, `node`/`edge` defaults, comments. Edge marks come
 * from `dir` (forward/back/both/none) and `arrowhead`/`arrowtail` (none = tail, odot = circle,
 * any other shape = arrow). Node roles are the attributes exposure, outcome, latent, adjusted
 * and the position is `pos="x,y"`; an edge's number is its `label`.
 */
#include "graph_io.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct edge_style {
	char dir[16], head[16], tail[16]; /* "" = not set */
	double weight;			  /* NaN = none */
} edge_style;

typedef struct dotp {
	glex lx;
	wb_graph *g;
	int directed;
	edge_style defaults; /* from `edge [...]` statements */
} dotp;

/* A list of node indices (the nodes of an edge end). */
typedef struct ilist {
	size_t *v;
	size_t n, cap;
} ilist;

static int ilist_add(ilist *l, size_t v)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == v)
			return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		size_t *nv = realloc(l->v, cap * sizeof *nv);
		if (!nv)
			return WB_ENOMEM;
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = v;
	return 0;
}

static int next(dotp *p)
{
	return wb_glex_next(&p->lx);
}

static int expect(dotp *p, const char *what)
{
	if (wb_glex_is(&p->lx, what))
		return next(p);
	char got[80];
	return wb_glex_fail(&p->lx, "expected '%s', got %s", what,
			    wb_glex_what(&p->lx, got, sizeof got));
}

/* A flag attribute's value: absent or true/yes/1 = on; false/no/0 = off. */
static int flag_value(dotp *p, const char *v, int *on)
{
	if (!v || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 || strcmp(v, "1") == 0)
		*on = 1;
	else if (strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0 || strcmp(v, "0") == 0)
		*on = 0;
	else
		return wb_glex_fail(&p->lx, "a role attribute is true or false, got '%s'", v);
	return 0;
}

/* Reads `[a=b, c; d]` lists (several in a row) and hands each pair to fn. */
static int attr_lists(dotp *p, wb_gio_attr_fn fn, void *ctx)
{
	while (wb_glex_is(&p->lx, "[")) {
		int rc = next(p);
		if (rc)
			return rc;
		while (!wb_glex_is(&p->lx, "]")) {
			if ((rc = wb_gio_attr(&p->lx, fn, p, ctx)))
				return rc;
			if (wb_glex_is(&p->lx, ",") || wb_glex_is(&p->lx, ";"))
				if ((rc = next(p)))
					return rc;
		}
		if ((rc = next(p)))
			return rc;
	}
	return 0;
}

static int node_attr(void *reader, const char *key, const char *value, long line, long col,
		     void *ctx)
{
	dotp *p = reader;
	const ilist *nodes = ctx;
	int role = wb_gio_role(key);
	if (role) {
		int on = 1, rc = flag_value(p, value, &on);
		for (size_t i = 0; rc == 0 && i < nodes->n; i++)
			rc = wb_graph_set_role(p->g, nodes->v[i], role, on, p->lx.err);
		return rc;
	}
	if (strcasecmp(key, "pos") == 0) {
		double x, y;
		int rc = wb_gio_attr_pos(&p->lx, value, line, col, &x, &y);
		if (rc)
			return rc;
		for (size_t i = 0; i < nodes->n; i++)
			if (wb_graph_set_pos(p->g, nodes->v[i], x, y, p->lx.err))
				return WB_ENOMEM;
	}
	return 0;
}

static int edge_attr(void *reader, const char *key, const char *value, long line, long col,
		     void *ctx)
{
	dotp *p = reader;
	edge_style *st = ctx;
	char *dst = strcasecmp(key, "dir") == 0		? st->dir
		    : strcasecmp(key, "arrowhead") == 0 ? st->head
		    : strcasecmp(key, "arrowtail") == 0 ? st->tail
							: NULL;
	if (dst) {
		if (!value)
			return wb_glex_fail_at(&p->lx, line, col, WB_EPARSE, "%s needs a value",
					       key);
		if (dst == st->dir && strcmp(value, "forward") && strcmp(value, "back") &&
		    strcmp(value, "both") && strcmp(value, "none"))
			return wb_glex_fail_at(&p->lx, line, col, WB_EPARSE,
					       "dir is forward, back, both or none, got '%s'",
					       value);
		snprintf(dst, sizeof st->dir, "%.15s", value);
	} else if (strcasecmp(key, "label") == 0 && value) {
		double w;
		if (wb_gio_parse_num(value, &w) == 0)
			st->weight = w;
	}
	return 0;
}

/* Graphviz arrow shapes: none = tail, odot = circle, anything else an arrowhead. */
static wb_mark shape_mark(const char *shape)
{
	if (strcmp(shape, "none") == 0)
		return WB_MARK_TAIL;
	if (strcmp(shape, "odot") == 0)
		return WB_MARK_CIRCLE;
	return WB_MARK_ARROW;
}

static void marks_of(const dotp *p, const edge_style *st, wb_mark *ma, wb_mark *mb)
{
	const char *dir = *st->dir ? st->dir : p->directed ? "forward" : "none";
	const char *head = *st->head ? st->head : "normal";
	const char *tail = *st->tail ? st->tail : "normal";
	if (strcmp(dir, "none") == 0) {
		*ma = *mb = WB_MARK_TAIL;
	} else if (strcmp(dir, "back") == 0) {
		*ma = shape_mark(tail);
		*mb = WB_MARK_TAIL;
	} else if (strcmp(dir, "both") == 0) {
		*ma = shape_mark(tail);
		*mb = shape_mark(head);
	} else {
		*ma = WB_MARK_TAIL;
		*mb = shape_mark(head);
	}
}

static int stmt_list(dotp *p, ilist *seen);

/* The node called name (its ID just read), with an ignored :port[:compass], into out. */
static int node_end(dotp *p, const char *name, long line, long col, ilist *out)
{
	long i = wb_graph_ensure_node(p->g, name, p->lx.err);
	if (i < 0)
		return wb_glex_fail_at(&p->lx, line, col, (int)i, "%s", p->lx.err->msg);
	int rc = ilist_add(out, (size_t)i);
	for (int k = 0; rc == 0 && k < 2 && wb_glex_is(&p->lx, ":"); k++)
		if ((rc = next(p)) == 0)
			rc = next(p);
	return rc;
}

/* The current ID, copied, and the token after it read. */
static int take_id(dotp *p, char **name, long *line, long *col)
{
	*line = p->lx.tok.line;
	*col = p->lx.tok.col;
	if (!(*name = strdup(p->lx.tok.text)))
		return wb_err_set(p->lx.err, WB_ENOMEM, "out of memory");
	int rc = next(p);
	if (rc) {
		free(*name);
		*name = NULL;
	}
	return rc;
}

/* A node ID or a subgraph: its nodes into out. */
static int edge_end(dotp *p, ilist *out)
{
	int rc;
	char got[80];
	if (wb_glex_is(&p->lx, "subgraph") || wb_glex_is(&p->lx, "{")) {
		if (wb_glex_is(&p->lx, "subgraph")) {
			if ((rc = next(p)))
				return rc;
			if (p->lx.tok.kind == GT_ID && (rc = next(p)))
				return rc;
		}
		if ((rc = expect(p, "{")) || (rc = stmt_list(p, out)))
			return rc;
		return expect(p, "}");
	}
	if (p->lx.tok.kind != GT_ID)
		return wb_glex_fail(&p->lx, "expected a node name, got %s",
				    wb_glex_what(&p->lx, got, sizeof got));
	char *name;
	long line, col;
	if ((rc = take_id(p, &name, &line, &col)))
		return rc;
	rc = node_end(p, name, line, col, out);
	free(name);
	return rc;
}

static int stmt(dotp *p, ilist *seen)
{
	int rc;
	glex *lx = &p->lx;
	/* Attribute statements: graph/node/edge [...]. */
	if (lx->tok.kind == GT_ID && !lx->tok.quoted &&
	    (wb_glex_is(lx, "graph") || wb_glex_is(lx, "node") || wb_glex_is(lx, "edge"))) {
		int is_edge = wb_glex_is(lx, "edge");
		if ((rc = next(p)))
			return rc;
		if (is_edge)
			return attr_lists(p, edge_attr, &p->defaults);
		ilist none = {0};
		return attr_lists(p, node_attr, &none);
	}
	ilist left = {0};
	if (lx->tok.kind == GT_ID && !wb_glex_is(lx, "subgraph")) {
		char *name;
		long line, col;
		if ((rc = take_id(p, &name, &line, &col)))
			return rc;
		if (wb_glex_is(lx, "=")) {
			/* A graph attribute: ID = ID. */
			free(name);
			if ((rc = next(p)))
				return rc;
			return next(p);
		}
		rc = node_end(p, name, line, col, &left);
		free(name);
	} else {
		rc = edge_end(p, &left);
	}
	if (rc)
		goto out;
	if (lx->tok.kind != GT_EDGE) {
		/* A node statement (or a bare subgraph). */
		if ((rc = attr_lists(p, node_attr, &left)))
			goto out;
		for (size_t i = 0; i < left.n && rc == 0; i++)
			rc = ilist_add(seen, left.v[i]);
		goto out;
	}
	/* An edge chain: every pair of neighbouring ends is joined; the attributes after the
	 * chain apply to all its edges. */
	size_t cap = 8, nends = 0;
	ilist *ends = calloc(cap, sizeof *ends);
	long *lines = calloc(cap, sizeof *lines), *cols = calloc(cap, sizeof *cols);
	if (!ends || !lines || !cols) {
		free(ends);
		free(lines);
		free(cols);
		rc = wb_err_set(lx->err, WB_ENOMEM, "out of memory");
		goto out;
	}
	ends[nends++] = left;
	left = (ilist){0};
	while (rc == 0 && lx->tok.kind == GT_EDGE) {
		const char *want = p->directed ? "->" : "--";
		if (strcmp(lx->tok.text, want) != 0) {
			rc = wb_glex_fail(
			    lx, p->directed ? "'--' in a digraph: write A -> B [dir=none] for an "
					      "undirected edge"
					    : "'->' in an undirected graph: use digraph, or --");
			break;
		}
		if (nends == cap) {
			cap *= 2;
			ilist *ne = realloc(ends, cap * sizeof *ne);
			long *nl = realloc(lines, cap * sizeof *nl);
			long *nc = realloc(cols, cap * sizeof *nc);
			if (ne)
				ends = ne;
			if (nl)
				lines = nl;
			if (nc)
				cols = nc;
			if (!ne || !nl || !nc) {
				rc = wb_err_set(lx->err, WB_ENOMEM, "out of memory");
				break;
			}
		}
		lines[nends] = lx->tok.line;
		cols[nends] = lx->tok.col;
		ends[nends] = (ilist){0};
		rc = next(p);
		if (rc == 0)
			rc = edge_end(p, &ends[nends]);
		nends++;
	}
	edge_style st = p->defaults;
	if (rc == 0)
		rc = attr_lists(p, edge_attr, &st);
	wb_mark ma = WB_MARK_TAIL, mb = WB_MARK_ARROW;
	marks_of(p, &st, &ma, &mb);
	for (size_t k = 1; k < nends && rc == 0; k++)
		for (size_t i = 0; i < ends[k - 1].n && rc == 0; i++)
			for (size_t j = 0; j < ends[k].n && rc == 0; j++) {
				size_t a = ends[k - 1].v[i], b = ends[k].v[j];
				rc = wb_gio_edge(lx, p->g, a, b, ma, mb, lines[k], cols[k]);
				if (rc == 0 && !isnan(st.weight))
					rc = wb_graph_set_edge_weight(p->g, a, b, st.weight,
								      lx->err);
			}
	for (size_t k = 0; k < nends; k++) {
		for (size_t i = 0; i < ends[k].n && rc == 0; i++)
			rc = ilist_add(seen, ends[k].v[i]);
		free(ends[k].v);
	}
	free(ends);
	free(lines);
	free(cols);
out:
	free(left.v);
	return rc;
}

static int stmt_list(dotp *p, ilist *seen)
{
	while (!wb_glex_is(&p->lx, "}")) {
		if (p->lx.tok.kind == GT_END)
			return wb_glex_fail(&p->lx, "the file ends before the closing '}'");
		int rc = stmt(p, seen);
		if (rc)
			return rc;
		if (wb_glex_is(&p->lx, ";") && (rc = next(p)))
			return rc;
	}
	return 0;
}

int wb_graph_parse_dot(const char *name, const char *buf, size_t len, wb_graph **out, wb_err *err)
{
	dotp p = {0};
	*out = NULL;
	p.defaults.weight = NAN;
	int rc = wb_gio_start(&p.lx, &p.g, name, buf, len, 0, err);
	if (rc)
		goto fail;
	char got[80];
	if (p.lx.tok.kind == GT_END) {
		rc = wb_glex_fail(&p.lx, "empty file: expected digraph { ... } or graph { ... }");
		goto fail;
	}
	if (wb_glex_is(&p.lx, "strict") && (rc = next(&p)))
		goto fail;
	if (wb_glex_is(&p.lx, "digraph"))
		p.directed = 1;
	else if (!wb_glex_is(&p.lx, "graph")) {
		rc = wb_glex_fail(&p.lx, "expected digraph or graph, got %s",
				  wb_glex_what(&p.lx, got, sizeof got));
		goto fail;
	}
	if ((rc = wb_gio_skip_header(&p.lx)))
		goto fail;
	ilist seen = {0};
	if ((rc = expect(&p, "{")) == 0 && (rc = stmt_list(&p, &seen)) == 0)
		rc = expect(&p, "}");
	free(seen.v);
fail:
	return wb_gio_finish(&p.lx, p.g, rc, out);
}

/* ---- writing ---- */

static const char *shape_of(wb_mark m)
{
	return m == WB_MARK_TAIL ? "none" : m == WB_MARK_CIRCLE ? "odot" : "normal";
}

int wb_graph_write_dot(const wb_graph *g, FILE *fp, wb_err *err)
{
	size_t n = wb_graph_nnodes(g), m = wb_graph_nedges(g);
	/* All edges undirected: an undirected graph. */
	int undirected = m > 0;
	for (size_t k = 0; k < m && undirected; k++) {
		size_t a, b;
		wb_graph_edge_at(g, k, &a, &b);
		undirected = wb_graph_is_undirected(g, a, b);
	}
	fputs(undirected ? "graph {\n" : "digraph {\n", fp);
	for (size_t i = 0; i < n; i++) {
		fputc('\t', fp);
		wb_gio_put_name(fp, wb_graph_node_name(g, i));
		wb_gio_put_node_attrs(fp, g, i, ", ", "=true");
		fputs(";\n", fp);
	}
	for (size_t k = 0; k < m; k++) {
		size_t a, b;
		wb_mark ma, mb;
		wb_gio_edge_ends(g, k, &a, &b, &ma, &mb);
		fputc('\t', fp);
		wb_gio_put_name(fp, wb_graph_node_name(g, a));
		fputs(undirected ? " -- " : " -> ", fp);
		wb_gio_put_name(fp, wb_graph_node_name(g, b));
		char attrs[160] = "";
		if (!undirected && ma == WB_MARK_TAIL && mb == WB_MARK_TAIL)
			snprintf(attrs, sizeof attrs, "dir=none");
		else if (ma == WB_MARK_ARROW && mb == WB_MARK_ARROW)
			snprintf(attrs, sizeof attrs, "dir=both");
		else if (ma == WB_MARK_CIRCLE || mb == WB_MARK_CIRCLE)
			snprintf(attrs, sizeof attrs, "dir=both, arrowtail=%s, arrowhead=%s",
				 shape_of(ma), shape_of(mb));
		double w = wb_graph_edge_weight(g, a, b);
		if (!isnan(w)) {
			char bw[64];
			size_t len = strlen(attrs);
			snprintf(attrs + len, sizeof attrs - len, "%slabel=\"%s\"", len ? ", " : "",
				 wb_gio_num(w, bw, sizeof bw));
		}
		if (*attrs)
			fprintf(fp, " [%s]", attrs);
		fputs(";\n", fp);
	}
	fputs("}\n", fp);
	return ferror(fp) ? wb_err_set(err, WB_EIO, "write error") : 0;
}
