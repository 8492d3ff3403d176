/*
 * graph_dagitty.c — the dagitty model syntax in and out (Textor et al. 2016, dagitty.net):
 *
 *   dag {
 *   X [exposure,pos="0,1"]
 *   Y [outcome]
 *   U [latent]
 *   X -> Y <- U
 *   X <-> M
 *   M -> {Y Z}
 *   }
 *
 * Headers dag, pdag, mag, pag (and graph); statements separated by blanks, newlines or ';';
 * edge operators -> <- -- <-> and the circle-mark forms with @ (@-> <-@ @-@ --@ @--); { } groups
 * as edge ends; node attributes exposure, outcome, latent, adjusted, selected (ignored), pos;
 * edge attributes after a chain (weight = the edge's number; others ignored); `bb="..."`.
 */
#include "graph_io.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct dgp {
	glex lx;
	wb_graph *g;
} dgp;

static int next(dgp *p)
{
	return wb_glex_next(&p->lx);
}

static const struct {
	const char *op;
	wb_mark a, b;
} ops[] = {
    {"->", WB_MARK_TAIL, WB_MARK_ARROW},     {"<-", WB_MARK_ARROW, WB_MARK_TAIL},
    {"<->", WB_MARK_ARROW, WB_MARK_ARROW},   {"--", WB_MARK_TAIL, WB_MARK_TAIL},
    {"@->", WB_MARK_CIRCLE, WB_MARK_ARROW},  {"<-@", WB_MARK_ARROW, WB_MARK_CIRCLE},
    {"@-@", WB_MARK_CIRCLE, WB_MARK_CIRCLE}, {"--@", WB_MARK_TAIL, WB_MARK_CIRCLE},
    {"@--", WB_MARK_CIRCLE, WB_MARK_TAIL},
};

/* Reads one [ ... ] list; hands each key[=value] to fn. */
static int attr_list(dgp *p, wb_gio_attr_fn fn, void *ctx)
{
	int rc = next(p); /* past '[' */
	while (rc == 0 && !wb_glex_is(&p->lx, "]")) {
		rc = wb_gio_attr(&p->lx, fn, p, ctx);
		if (rc == 0 && wb_glex_is(&p->lx, ","))
			rc = next(p);
	}
	return rc ? rc : next(p);
}

static int node_attr(void *reader, const char *key, const char *value, long line, long col,
		     void *ctx)
{
	dgp *p = reader;
	size_t i = *(const size_t *)ctx;
	int role = wb_gio_role(key);
	if (role)
		return wb_graph_set_role(p->g, i, role, 1, p->lx.err);
	if (strcasecmp(key, "pos") == 0) {
		double x, y;
		int rc = wb_gio_attr_pos(&p->lx, value, line, col, &x, &y);
		return rc ? rc : wb_graph_set_pos(p->g, i, x, y, p->lx.err);
	}
	if (strcasecmp(key, "selected") == 0 || strcasecmp(key, "source") == 0 ||
	    strcasecmp(key, "target") == 0)
		return 0;
	return wb_glex_fail_at(&p->lx, line, col, WB_EPARSE,
			       "unknown node attribute '%s' (exposure, outcome, latent, adjusted, "
			       "pos)",
			       key);
}

static int edge_attr(void *reader, const char *key, const char *value, long line, long col,
		     void *ctx)
{
	dgp *p = reader;
	double *w = ctx;
	if (strcasecmp(key, "weight") == 0) {
		if (!value || wb_gio_parse_num(value, w))
			return wb_glex_fail_at(&p->lx, line, col, WB_EPARSE,
					       "weight must be a number, got '%s'",
					       value ? value : "");
	}
	return 0;
}

/* One edge end: a name or a { } group of names; names may carry attributes inside a group
 * and at the start of a statement (after the end of a chain, [ ] holds the edge's). */
static int end_nodes(dgp *p, size_t **v, size_t *n, int attrs)
{
	char got[80];
	int group = wb_glex_is(&p->lx, "{"), rc = 0;
	if (group && (rc = next(p)))
		return rc;
	do {
		if (group && wb_glex_is(&p->lx, "}"))
			return next(p);
		if (p->lx.tok.kind != GT_ID)
			return wb_glex_fail(&p->lx, "expected a node name, got %s",
					    wb_glex_what(&p->lx, got, sizeof got));
		long i = wb_graph_ensure_node(p->g, p->lx.tok.text, p->lx.err);
		if (i < 0)
			return wb_glex_fail(&p->lx, "%s", p->lx.err->msg);
		size_t *nv = realloc(*v, (*n + 1) * sizeof *nv);
		if (!nv)
			return wb_err_set(p->lx.err, WB_ENOMEM, "out of memory");
		*v = nv;
		nv[(*n)++] = (size_t)i;
		if ((rc = next(p)))
			return rc;
		size_t node = (size_t)i;
		if ((attrs || group) && wb_glex_is(&p->lx, "[") &&
		    (rc = attr_list(p, node_attr, &node)))
			return rc;
		if (group && wb_glex_is(&p->lx, ",") && (rc = next(p)))
			return rc;
		if (group && p->lx.tok.kind == GT_END)
			return wb_glex_fail(&p->lx, "the file ends inside a { } group");
	} while (group);
	return 0;
}

static int statement(dgp *p)
{
	glex *lx = &p->lx;
	int rc;
	if (wb_glex_is(lx, "bb")) {
		if ((rc = next(p)))
			return rc;
		if (wb_glex_is(lx, "=")) {
			if ((rc = next(p)))
				return rc;
			return next(p);
		}
		/* Not bb=...: a node called bb would have been quoted by the writer. */
		return wb_glex_fail(lx, "expected '=' after bb");
	}
	size_t *left = NULL, nleft = 0;
	if ((rc = end_nodes(p, &left, &nleft, 1))) {
		free(left);
		return rc;
	}
	while (rc == 0 && lx->tok.kind == GT_EDGE) {
		long line = lx->tok.line, col = lx->tok.col;
		wb_mark ma = WB_MARK_TAIL, mb = WB_MARK_ARROW;
		for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
			if (strcmp(ops[k].op, lx->tok.text) == 0) {
				ma = ops[k].a;
				mb = ops[k].b;
			}
		size_t *right = NULL, nright = 0;
		if ((rc = next(p)) || (rc = end_nodes(p, &right, &nright, 0))) {
			free(right);
			break;
		}
		double w = NAN;
		if (wb_glex_is(lx, "[") && (rc = attr_list(p, edge_attr, &w))) {
			free(right);
			break;
		}
		for (size_t i = 0; i < nleft && rc == 0; i++)
			for (size_t j = 0; j < nright && rc == 0; j++) {
				rc = wb_gio_edge(lx, p->g, left[i], right[j], ma, mb, line, col);
				if (rc == 0 && !isnan(w))
					rc = wb_graph_set_edge_weight(p->g, left[i], right[j], w,
								      lx->err);
			}
		free(left);
		left = right;
		nleft = nright;
	}
	free(left);
	if (rc == 0 && wb_glex_is(lx, ";"))
		rc = next(p);
	return rc;
}

int wb_graph_parse_dagitty(const char *name, const char *buf, size_t len, wb_graph **out,
			   wb_err *err)
{
	dgp p = {0};
	*out = NULL;
	char got[80];
	int rc = wb_gio_start(&p.lx, &p.g, name, buf, len, 1, err);
	if (rc)
		goto fail;
	if (!(wb_glex_is(&p.lx, "dag") || wb_glex_is(&p.lx, "pdag") || wb_glex_is(&p.lx, "mag") ||
	      wb_glex_is(&p.lx, "pag") || wb_glex_is(&p.lx, "graph"))) {
		rc = p.lx.tok.kind == GT_END
			 ? wb_glex_fail(&p.lx, "empty file: expected dag { ... }")
			 : wb_glex_fail(&p.lx, "expected dag, pdag, mag or pag, got %s",
					wb_glex_what(&p.lx, got, sizeof got));
		goto fail;
	}
	if ((rc = wb_gio_skip_header(&p.lx)))
		goto fail;
	if (!wb_glex_is(&p.lx, "{")) {
		rc = wb_glex_fail(&p.lx, "expected '{', got %s",
				  wb_glex_what(&p.lx, got, sizeof got));
		goto fail;
	}
	if ((rc = next(&p)))
		goto fail;
	while (!wb_glex_is(&p.lx, "}")) {
		if (p.lx.tok.kind == GT_END) {
			rc = wb_glex_fail(&p.lx, "the file ends before the closing '}'");
			goto fail;
		}
		if ((rc = statement(&p)))
			goto fail;
	}
	rc = next(&p);
fail:
	return wb_gio_finish(&p.lx, p.g, rc, out);
}

/* ---- writing ---- */

int wb_graph_write_dagitty(const wb_graph *g, FILE *fp, wb_err *err)
{
	const char *kind = wb_graph_kind(g);
	const char *header = strcmp(kind, "pag") == 0				       ? "pag"
			     : strcmp(kind, "pdag") == 0 || strcmp(kind, "mixed") == 0 ? "pdag"
										       : "dag";
	fprintf(fp, "%s {\n", header);
	for (size_t i = 0; i < wb_graph_nnodes(g); i++) {
		wb_gio_put_name(fp, wb_graph_node_name(g, i));
		wb_gio_put_node_attrs(fp, g, i, ",", "");
		fputc('\n', fp);
	}
	for (size_t k = 0; k < wb_graph_nedges(g); k++) {
		size_t a, b;
		wb_mark ma, mb;
		wb_gio_edge_ends(g, k, &a, &b, &ma, &mb);
		const char *op = "->";
		for (size_t j = 0; j < sizeof ops / sizeof *ops; j++)
			if (ops[j].a == ma && ops[j].b == mb)
				op = ops[j].op;
		wb_gio_put_name(fp, wb_graph_node_name(g, a));
		fprintf(fp, " %s ", op);
		wb_gio_put_name(fp, wb_graph_node_name(g, b));
		double w = wb_graph_edge_weight(g, a, b);
		if (!isnan(w)) {
			char bw[64];
			fprintf(fp, " [weight=%s]", wb_gio_num(w, bw, sizeof bw));
		}
		fputc('\n', fp);
	}
	fputs("}\n", fp);
	return ferror(fp) ? wb_err_set(err, WB_EIO, "write error") : 0;
}
