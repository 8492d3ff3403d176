/* graph_compare.c — SHD and adjacency/arrowhead precision and recall between graphs, the
 * CPDAG of a DAG, and the true graph of generated data. See graph_compare.h. */
#include "graph_compare.h"

#include "discover_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int only_directed(const wb_graph *g)
{
	for (size_t k = 0; k < wb_graph_nedges(g); k++) {
		size_t a, b;
		wb_graph_edge_at(g, k, &a, &b);
		if (!wb_graph_is_directed(g, a, b) && !wb_graph_is_directed(g, b, a))
			return 0;
	}
	return 1;
}

/* g's marks into the p × p matrix m, node i of g at position map[i]. */
static void marks_of(const wb_graph *g, const size_t *map, size_t p, unsigned char *m)
{
	for (size_t k = 0; k < wb_graph_nedges(g); k++) {
		size_t a, b;
		wb_graph_edge_at(g, k, &a, &b);
		m[map[a] * p + map[b]] = (unsigned char)wb_graph_mark(g, a, b);
		m[map[b] * p + map[a]] = (unsigned char)wb_graph_mark(g, b, a);
	}
}

int wb_graph_cpdag(const wb_graph *g, wb_graph **out, wb_err *err)
{
	if (!only_directed(g))
		return wb_err_set(err, WB_EINVAL,
				  "the CPDAG is defined for a DAG; this graph is a %s",
				  wb_graph_kind(g));
	size_t p = wb_graph_nnodes(g);
	size_t *map = calloc(p ? p : 1, sizeof *map);
	wb_pdag *d = wb_pdag_new(p);
	wb_graph *c = wb_graph_copy(g);
	int rc = 0;
	if (!map || !d || !c) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < p; i++)
		map[i] = i;
	marks_of(g, map, p, d->m);
	if (wb_pdag_to_cpdag(d) < 0) {
		rc = wb_err_set(err, WB_EINVAL, "the graph has no DAG extension");
		goto done;
	}
	for (size_t a = 0; a < p && !rc; a++)
		for (size_t b = a + 1; b < p && !rc; b++)
			if (wb_pdag_undir(d, a, b))
				rc = wb_graph_add_undirected(c, a, b, err);
done:
	free(map);
	wb_pdag_free(d);
	if (rc)
		wb_graph_free(c);
	else
		*out = c;
	return rc;
}

static double ratio(size_t num, size_t den)
{
	return den ? (double)num / (double)den : NAN;
}

static int add_measure(wb_result *r, const char *name, double v)
{
	long row = wb_result_add_row(r);
	if (row < 0 || wb_result_set_str(r, (size_t)row, 0, name))
		return WB_ENOMEM;
	return isnan(v) ? 0 : wb_result_set_num(r, (size_t)row, 1, v);
}

/* The edge x–y in a mark matrix as text ("A -> B", "A -- B", "A <-> B", "A o-> B"), or "". */
static const char *mark_text(const unsigned char *m, size_t p, size_t a, size_t b,
			     const char *const *names, char *buf, size_t size)
{
	unsigned char ma = m[b * p + a], mb = m[a * p + b];
	const char *e;
	buf[0] = '\0';
	if (!mb)
		return buf;
	if (ma == WB_MARK_TAIL)
		e = mb == WB_MARK_TAIL ? "--" : mb == WB_MARK_ARROW ? "->" : "--o";
	else if (ma == WB_MARK_ARROW)
		e = mb == WB_MARK_TAIL ? "<-" : mb == WB_MARK_ARROW ? "<->" : "<-o";
	else
		e = mb == WB_MARK_TAIL ? "o--" : mb == WB_MARK_ARROW ? "o->" : "o-o";
	snprintf(buf, size, "%s %s %s", names[a], e, names[b]);
	return buf;
}

static wb_result *summary_table(const wb_graph_diff *d, int a_cpdag, int b_cpdag)
{
	wb_result *r = wb_result_new("graph comparison");
	if (!r || wb_result_add_column(r, "measure") < 0 || wb_result_add_column(r, "value") < 0)
		goto fail;
	wb_result_set_digits(r, 1, 4);
	if (add_measure(r, "SHD", (double)d->shd) ||
	    add_measure(r, "missing adjacencies", (double)d->missing) ||
	    add_measure(r, "extra adjacencies", (double)d->extra) ||
	    add_measure(r, "orientation differences", (double)d->orientation) ||
	    add_measure(r, "adjacency precision", d->adj_precision) ||
	    add_measure(r, "adjacency recall", d->adj_recall) ||
	    add_measure(r, "arrowhead precision", d->arrow_precision) ||
	    add_measure(r, "arrowhead recall", d->arrow_recall))
		goto fail;
	wb_result_add_note(r,
			   "adjacencies: %zu in A, %zu in B, %zu in both; arrowheads: %zu in A, "
			   "%zu in B, %zu in both",
			   d->adj_a, d->adj_b, d->adj_both, d->arrow_a, d->arrow_b, d->arrow_both);
	if (a_cpdag || b_cpdag)
		wb_result_add_note(r, "%s a DAG, compared through its CPDAG",
				   a_cpdag && b_cpdag ? "A and B are each"
				   : a_cpdag	      ? "A is"
						      : "B is");
	if (isnan(d->adj_precision) || isnan(d->arrow_precision) || isnan(d->adj_recall) ||
	    isnan(d->arrow_recall))
		wb_result_add_note(r,
				   "an empty value: the measure divides by zero (no adjacencies or "
				   "arrowheads to count)");
	wb_result_add_note(r, "SHD: one per missing or extra adjacency, one per edge whose marks "
			      "differ");
	return r;
fail:
	wb_result_free(r);
	return NULL;
}

int wb_graph_compare(const wb_graph *a, const wb_graph *b, int as_cpdag, wb_graph_diff *diff,
		     wb_result **summary, wb_result **edges, wb_err *err)
{
	wb_graph *ca = NULL, *cb = NULL;
	int a_cp = as_cpdag && wb_graph_nedges(a) && only_directed(a);
	int b_cp = as_cpdag && wb_graph_nedges(b) && only_directed(b);
	int rc = 0;
	if ((a_cp && (rc = wb_graph_cpdag(a, &ca, err))) ||
	    (b_cp && (rc = wb_graph_cpdag(b, &cb, err)))) {
		wb_graph_free(ca);
		return rc;
	}
	const wb_graph *A = ca ? ca : a, *B = cb ? cb : b;
	size_t na = wb_graph_nnodes(A), nb = wb_graph_nnodes(B), p = na;
	const char **names = malloc((na + nb + 1) * sizeof *names);
	size_t *mapa = malloc((na + 1) * sizeof *mapa), *mapb = malloc((nb + 1) * sizeof *mapb);
	unsigned char *ma = NULL, *mb = NULL;
	wb_result *ed = NULL;
	if (!names || !mapa || !mapb)
		goto nomem;
	for (size_t i = 0; i < na; i++) {
		names[i] = wb_graph_node_name(A, i);
		mapa[i] = i;
	}
	for (size_t i = 0; i < nb; i++) {
		long j = wb_graph_node_index(A, wb_graph_node_name(B, i));
		if (j >= 0) {
			mapb[i] = (size_t)j;
		} else {
			names[p] = wb_graph_node_name(B, i);
			mapb[i] = p++;
		}
	}
	ma = calloc(p * p + 1, 1);
	mb = calloc(p * p + 1, 1);
	if (!ma || !mb)
		goto nomem;
	marks_of(A, mapa, p, ma);
	marks_of(B, mapb, p, mb);
	if (edges) {
		static const char *cols[] = {"x", "y", "in_a", "in_b", "difference"};
		if (!(ed = wb_result_new("graph differences")))
			goto nomem;
		for (size_t c = 0; c < 5; c++)
			if (wb_result_add_column(ed, cols[c]) < 0)
				goto nomem;
	}
	wb_graph_diff d = {0};
	for (size_t x = 0; x < p; x++)
		for (size_t y = x + 1; y < p; y++) {
			int ia = ma[x * p + y] != 0, ib = mb[x * p + y] != 0;
			const char *what = NULL;
			d.adj_a += ia;
			d.adj_b += ib;
			d.adj_both += ia && ib;
			d.arrow_a +=
			    (ma[x * p + y] == WB_MARK_ARROW) + (ma[y * p + x] == WB_MARK_ARROW);
			d.arrow_b +=
			    (mb[x * p + y] == WB_MARK_ARROW) + (mb[y * p + x] == WB_MARK_ARROW);
			if (ia && ib)
				d.arrow_both += (ma[x * p + y] == WB_MARK_ARROW &&
						 mb[x * p + y] == WB_MARK_ARROW) +
						(ma[y * p + x] == WB_MARK_ARROW &&
						 mb[y * p + x] == WB_MARK_ARROW);
			if (ia && !ib)
				what = "extra", d.extra++;
			else if (!ia && ib)
				what = "missing", d.missing++;
			else if (ia &&
				 (ma[x * p + y] != mb[x * p + y] || ma[y * p + x] != mb[y * p + x]))
				what = "orientation", d.orientation++;
			if (what && ed) {
				char ta[256], tb[256];
				long row = wb_result_add_row(ed);
				if (row < 0 || wb_result_set_str(ed, (size_t)row, 0, names[x]) ||
				    wb_result_set_str(ed, (size_t)row, 1, names[y]) ||
				    wb_result_set_str(
					ed, (size_t)row, 2,
					mark_text(ma, p, x, y, names, ta, sizeof ta)) ||
				    wb_result_set_str(
					ed, (size_t)row, 3,
					mark_text(mb, p, x, y, names, tb, sizeof tb)) ||
				    wb_result_set_str(ed, (size_t)row, 4, what))
					goto nomem;
			}
		}
	d.shd = d.missing + d.extra + d.orientation;
	d.adj_precision = ratio(d.adj_both, d.adj_a);
	d.adj_recall = ratio(d.adj_both, d.adj_b);
	d.arrow_precision = ratio(d.arrow_both, d.arrow_a);
	d.arrow_recall = ratio(d.arrow_both, d.arrow_b);
	if (diff)
		*diff = d;
	if (summary && !(*summary = summary_table(&d, a_cp, b_cp)))
		goto nomem;
	if (ed && d.shd == 0)
		wb_result_add_note(ed, "no differences: the graphs are the same");
	if (edges)
		*edges = ed;
	ed = NULL;
	goto done;
nomem:
	rc = wb_err_set(err, WB_ENOMEM, "out of memory");
done:
	wb_result_free(ed);
	free(names);
	free(mapa);
	free(mapb);
	free(ma);
	free(mb);
	wb_graph_free(ca);
	wb_graph_free(cb);
	return rc;
}

/* ---- the true graph of generated data ---- */

int wb_graph_from_truth(const wb_frame *f, wb_graph **out, wb_err *err)
{
	const char *text = wb_frame_attr(f, "truth");
	if (!text)
		return wb_err_set(err, WB_ENOTFOUND,
				  "the dataset has no true graph (only generated data carry one)");
	wb_graph *g = wb_graph_new();
	if (!g)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	int rc = 0;
	for (size_t j = 0; j < wb_frame_ncols(f) && !rc; j++)
		if (wb_graph_add_node(g, wb_frame_colname(f, j), err) < 0)
			rc = err->code;
	for (const char *p = text; *p && !rc;) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		char *piece = wb_disc_trimmed(p, len), *arrow = piece ? strstr(piece, "->") : NULL;
		char *from = arrow ? wb_disc_trimmed(piece, (size_t)(arrow - piece)) : NULL;
		char *to = arrow ? wb_disc_trimmed(arrow + 2, strlen(arrow + 2)) : NULL;
		long a = from ? wb_graph_node_index(g, from) : -1;
		long b = to ? wb_graph_node_index(g, to) : -1;
		if (!piece)
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		else if (a < 0 || b < 0)
			rc = wb_err_set(err, WB_EPARSE,
					"truth: '%s' is not an edge between columns", piece);
		else
			rc = wb_graph_add_directed(g, (size_t)a, (size_t)b, err);
		free(piece);
		free(from);
		free(to);
		p = semi ? semi + 1 : p + len;
	}
	if (rc) {
		wb_graph_free(g);
		return rc;
	}
	*out = g;
	return 0;
}
