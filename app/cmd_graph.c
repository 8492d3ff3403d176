/* cmd_graph.c — graph commands: graph new/node/edge/drop/reverse/role/rename/move/undo/redo/
 * load/save/show/list/use/check, and identify. The graph pane's keys build these lines. */
#include "cmd.h"
#include "session.h"

#include "../engine/citest.h"
#include "../engine/graph.h"
#include "../engine/identify.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_GRAPH "g"

static int nomem(wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

static const char *node_name(const void *g, size_t i)
{
	return wb_graph_node_name(g, i);
}

/* Index of node name in g, or an error "CMD: unknown node 'x' (did you mean 'y'?)". */
static long node_arg(const wb_graph *g, const char *cmd, const char *name, wb_err *err)
{
	long i = wb_graph_node_index(g, name);
	if (i >= 0)
		return i;
	return wb_cmd_unknown(cmd, "node", name, g, wb_graph_nnodes(g), node_name, err);
}

/* Positional i must be a word (a node name), not an edge operator. */
static const char *word_at(const wb_args *a, size_t i, wb_err *err)
{
	if (i >= a->npos)
		return NULL;
	if (a->pos[i]->kind != WB_TOK_WORD) {
		wb_err_set(err, WB_EINVAL, "%s: expected a node name, got '%s'", a->name,
			   a->pos[i]->text);
		return NULL;
	}
	return a->pos[i]->text;
}

static int edge_usage(const wb_args *a, wb_err *err)
{
	return wb_err_set(err, WB_EINVAL, "%s: expected A -> B, A -- B or A <-> B", a->name);
}

/* Marks of an edge operator: mark at A's end (ma) and at B's end (mb). */
static void op_marks(const char *op, wb_mark *ma, wb_mark *mb)
{
	*ma = strcmp(op, "<->") == 0 ? WB_MARK_ARROW : WB_MARK_TAIL;
	*mb = strcmp(op, "--") == 0 ? WB_MARK_TAIL : WB_MARK_ARROW;
}

static int summary(wb_session *s, wb_err *err, const char *what)
{
	const char *name;
	const wb_graph *g = wb_session_graph(s, &name);
	return wb_session_say(s, err, "%s (graph %s: %zu nodes, %zu edges, %s)", what, name,
			      wb_graph_nnodes(g), wb_graph_nedges(g), wb_graph_kind(g));
}

/* ---- editing ---- */

static int exec_new(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 0, 1, err);
	if (rc)
		return rc;
	const char *name = a->npos ? wb_arg_word(a, 0) : DEFAULT_GRAPH;
	wb_graph *g = wb_graph_new();
	if (!g)
		return nomem(err);
	if ((rc = wb_session_put_graph(s, name, g, err)))
		return rc;
	return wb_session_say(s, err, "new graph %s", name);
}

static int exec_node(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 1000, err);
	wb_graph *g = rc ? NULL : wb_session_need_graph(s, NULL, err);
	if (!g)
		return err->code;
	/* Check every name first, so the command adds all of its nodes or none. */
	for (size_t i = 0; i < a->npos; i++) {
		const char *name = word_at(a, i, err);
		if (!name)
			return err->code;
		if (!*name)
			return wb_err_set(err, WB_EINVAL, "%s: a node needs a name", a->name);
		int taken = wb_graph_node_index(g, name) >= 0;
		for (size_t k = 0; k < i && !taken; k++)
			taken = strcmp(a->pos[k]->text, name) == 0;
		if (taken)
			return wb_err_set(err, WB_EINVAL, "%s: there is already a node called %s",
					  a->name, name);
	}
	wb_graph_begin_edit(g);
	for (size_t i = 0; i < a->npos && rc == 0; i++) {
		long k = wb_graph_add_node(g, a->pos[i]->text, err);
		rc = k < 0 ? (int)k : 0;
	}
	wb_graph_end_edit(g);
	if (rc)
		return rc;
	char what[256];
	if (a->npos == 1)
		snprintf(what, sizeof what, "added node %s", a->pos[0]->text);
	else
		snprintf(what, sizeof what, "added %zu nodes", a->npos);
	return summary(s, err, what);
}

/* Applies the chain A op B op C ... to g; what (may be NULL) gets a description. */
static int apply_chain(wb_graph *g, const wb_args *a, char *what, size_t size, wb_err *err)
{
	size_t used = 0;
	for (size_t i = 0; i + 2 < a->npos; i += 2) {
		const char *na = a->pos[i]->text, *nb = a->pos[i + 2]->text;
		long ia = wb_graph_ensure_node(g, na, err);
		long ib = ia < 0 ? ia : wb_graph_ensure_node(g, nb, err);
		if (ia < 0 || ib < 0)
			return (int)(ia < 0 ? ia : ib);
		wb_mark ma, mb;
		op_marks(a->pos[i + 1]->text, &ma, &mb);
		char before[256], now[256];
		wb_graph_edge_text(g, (size_t)ia, (size_t)ib, before, sizeof before);
		int rc = wb_graph_set_edge(g, (size_t)ia, (size_t)ib, ma, mb, err);
		if (rc)
			return rc;
		if (!what || used >= size)
			continue;
		wb_graph_edge_text(g, (size_t)ia, (size_t)ib, now, sizeof now);
		if (*before && strcmp(before, now) != 0)
			used += (size_t)snprintf(what + used, size - used, "%s%s (was %s)",
						 used ? ", " : "", now, before);
		else
			used += (size_t)snprintf(what + used, size - used, "%s%s", used ? ", " : "",
						 now);
	}
	return 0;
}

/* graph edge A -> B [-> C ...]: all or nothing, one undo step for the chain. */
static int exec_edge(wb_session *s, const wb_args *a, wb_err *err)
{
	wb_graph *g = wb_session_need_graph(s, NULL, err);
	if (!g)
		return err->code;
	if (a->npos < 3 || a->npos % 2 == 0)
		return edge_usage(a, err);
	for (size_t i = 0; i < a->npos; i++)
		if ((i % 2 == 0) != (a->pos[i]->kind == WB_TOK_WORD))
			return edge_usage(a, err);
	/* Try it on a copy first: a refused edge late in a chain leaves the graph as it was. */
	wb_graph *trial = wb_graph_copy(g);
	if (!trial)
		return nomem(err);
	int rc = apply_chain(trial, a, NULL, 0, err);
	wb_graph_free(trial);
	if (rc)
		return wb_err_prefix(err, "%s", a->name);
	char what[WB_ERR_MAX] = "";
	wb_graph_begin_edit(g);
	rc = apply_chain(g, a, what, sizeof what, err);
	wb_graph_end_edit(g);
	return rc ? rc : summary(s, err, what);
}

/* graph drop A -> B (the edge, whatever its marks) or graph drop NAME (a node). */
static int exec_drop(wb_session *s, const wb_args *a, wb_err *err)
{
	wb_graph *g = wb_session_need_graph(s, NULL, err);
	if (!g)
		return err->code;
	char what[300];
	if (a->npos == 1) {
		const char *name = word_at(a, 0, err);
		long i = name ? node_arg(g, a->name, name, err) : -1;
		if (i < 0)
			return err->code;
		int rc = wb_graph_remove_node(g, (size_t)i, err);
		if (rc)
			return rc;
		snprintf(what, sizeof what, "dropped node %s", name);
		return summary(s, err, what);
	}
	if (a->npos != 3 || a->pos[1]->kind != WB_TOK_EDGE || !word_at(a, 0, err) ||
	    !word_at(a, 2, err))
		return wb_err_set(err, WB_EINVAL, "%s: expected NAME or A -> B", a->name);
	long ia = node_arg(g, a->name, a->pos[0]->text, err);
	long ib = ia < 0 ? -1 : node_arg(g, a->name, a->pos[2]->text, err);
	if (ia < 0 || ib < 0)
		return err->code;
	char e[256];
	wb_graph_edge_text(g, (size_t)ia, (size_t)ib, e, sizeof e);
	int rc = wb_graph_remove_edge(g, (size_t)ia, (size_t)ib, err);
	if (rc)
		return wb_err_prefix(err, "%s", a->name);
	snprintf(what, sizeof what, "dropped %s", e);
	return summary(s, err, what);
}

static int exec_reverse(wb_session *s, const wb_args *a, wb_err *err)
{
	wb_graph *g = wb_session_need_graph(s, NULL, err);
	if (!g)
		return err->code;
	if (a->npos != 3 || a->pos[1]->kind != WB_TOK_EDGE || strcmp(a->pos[1]->text, "->") ||
	    !word_at(a, 0, err) || !word_at(a, 2, err))
		return wb_err_set(err, WB_EINVAL, "%s: expected A -> B", a->name);
	long ia = node_arg(g, a->name, a->pos[0]->text, err);
	long ib = ia < 0 ? -1 : node_arg(g, a->name, a->pos[2]->text, err);
	if (ia < 0 || ib < 0)
		return err->code;
	int rc = wb_graph_reverse_edge(g, (size_t)ia, (size_t)ib, err);
	if (rc)
		return wb_err_prefix(err, "%s", a->name);
	char what[300];
	snprintf(what, sizeof what, "reversed: %s -> %s", a->pos[2]->text, a->pos[0]->text);
	return summary(s, err, what);
}

static const struct {
	const char *name;
	int role;
} role_words[] = {{"exposure", WB_ROLE_EXPOSURE},
		  {"outcome", WB_ROLE_OUTCOME},
		  {"latent", WB_ROLE_LATENT},
		  {"adjusted", WB_ROLE_ADJUSTED}};

/* "exposure, adjusted" or "none". */
static const char *roles_text(int roles, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < 4; k++)
		if (roles & role_words[k].role)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
						 role_words[k].name);
	if (!used)
		snprintf(buf, size, "none");
	return buf;
}

static int exec_role(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 2, 3, err);
	wb_graph *g = rc ? NULL : wb_session_need_graph(s, NULL, err);
	if (!g)
		return err->code;
	const char *name = word_at(a, 0, err), *role = word_at(a, 1, err);
	const char *off = a->npos == 3 ? word_at(a, 2, err) : NULL;
	if (!name || !role || (a->npos == 3 && !off))
		return err->code;
	if (off && strcmp(off, "off") != 0)
		return wb_err_set(err, WB_EINVAL, "%s: expected 'off' after the role, got '%s'",
				  a->name, off);
	long i = node_arg(g, a->name, name, err);
	if (i < 0)
		return err->code;
	if (strcmp(role, "none") == 0) {
		if (off)
			return wb_err_set(err, WB_EINVAL, "%s: 'none' takes no 'off'", a->name);
		wb_graph_begin_edit(g);
		for (size_t k = 0; k < 4 && rc == 0; k++)
			rc = wb_graph_set_role(g, (size_t)i, role_words[k].role, 0, err);
		wb_graph_end_edit(g);
	} else {
		int flag = 0;
		for (size_t k = 0; k < 4; k++)
			if (strcmp(role, role_words[k].name) == 0)
				flag = role_words[k].role;
		if (!flag)
			return wb_err_set(
			    err, WB_EINVAL,
			    "%s: unknown role '%s' (exposure, outcome, latent, adjusted, "
			    "none)",
			    a->name, role);
		rc = wb_graph_set_role(g, (size_t)i, flag, !off, err);
	}
	if (rc)
		return rc;
	char what[300], roles[64];
	snprintf(what, sizeof what, "%s: %s", name,
		 roles_text(wb_graph_roles(g, (size_t)i), roles, sizeof roles));
	return summary(s, err, what);
}

static int exec_rename(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 2, 2, err);
	wb_graph *g = rc ? NULL : wb_session_need_graph(s, NULL, err);
	if (!g)
		return err->code;
	const char *from = word_at(a, 0, err), *to = word_at(a, 1, err);
	long i = from && to ? node_arg(g, a->name, from, err) : -1;
	if (i < 0)
		return err->code;
	if ((rc = wb_graph_rename_node(g, (size_t)i, to, err)))
		return wb_err_prefix(err, "%s", a->name);
	char what[300];
	snprintf(what, sizeof what, "renamed %s to %s", from, to);
	return summary(s, err, what);
}

static int parse_coord(const wb_args *a, const char *text, double *out, wb_err *err)
{
	char *end;
	*out = strtod(text, &end);
	if (end == text || *end || !isfinite(*out))
		return wb_err_set(err, WB_EINVAL, "%s: a coordinate must be a number, got '%s'",
				  a->name, text);
	return 0;
}

static int exec_move(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 3, 3, err);
	wb_graph *g = rc ? NULL : wb_session_need_graph(s, NULL, err);
	if (!g)
		return err->code;
	const char *name = word_at(a, 0, err);
	long i = name ? node_arg(g, a->name, name, err) : -1;
	double x, y;
	if (i < 0 || !word_at(a, 1, err) || !word_at(a, 2, err) ||
	    parse_coord(a, a->pos[1]->text, &x, err) || parse_coord(a, a->pos[2]->text, &y, err))
		return err->code;
	if ((rc = wb_graph_set_pos(g, (size_t)i, x, y, err)))
		return rc;
	char what[300], bx[32], by[32];
	snprintf(what, sizeof what, "moved %s to %s, %s", name, wb_fmt_num(x, 6, bx, sizeof bx),
		 wb_fmt_num(y, 6, by, sizeof by));
	return summary(s, err, what);
}

static int exec_undo(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 0, 0, err);
	wb_graph *g = rc ? NULL : wb_session_need_graph(s, NULL, err);
	if (!g)
		return err->code;
	int redo = strcmp(a->name, "graph redo") == 0;
	if ((rc = redo ? wb_graph_redo(g, err) : wb_graph_undo(g, err)))
		return wb_err_prefix(err, "%s", a->name);
	return summary(s, err, redo ? "redone" : "undone");
}

/* ---- files and the list of graphs ---- */

static int exec_load(wb_session *s, const wb_args *args, wb_err *err)
{
	wb_args a = *args;
	const char *as;
	int rc = wb_arg_as_count(&a, &as, 1, 1, err);
	if (rc)
		return rc;
	const char *path = wb_arg_word(&a, 0);
	wb_graph *g;
	if ((rc = wb_graph_load(path, &g, err)))
		return rc;
	char name[256];
	wb_load_name(path, as, name, sizeof name);
	if ((rc = wb_session_put_graph(s, name, g, err)))
		return rc;
	char what[600];
	snprintf(what, sizeof what, "loaded %s", path);
	return summary(s, err, what);
}

static int exec_save(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 1, err);
	const char *name;
	wb_graph *g = rc ? NULL : wb_session_need_graph(s, &name, err);
	if (!g)
		return err->code;
	if ((rc = wb_graph_save(g, wb_arg_word(a, 0), err)))
		return rc;
	return wb_session_say(s, err, "saved graph %s to %s", name, wb_arg_word(a, 0));
}

/* Names of the nodes in idx as a set cell. */
static int set_cell(wb_result *r, size_t row, size_t col, const wb_graph *g, const size_t *idx,
		    size_t n)
{
	const char **names = malloc((n ? n : 1) * sizeof *names);
	if (!names)
		return WB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		names[i] = wb_graph_node_name(g, idx[i]);
	int rc = wb_result_set_set(r, row, col, names, n);
	free(names);
	return rc;
}

static int exec_show(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 0, 0, err);
	const char *name;
	wb_graph *g = rc ? NULL : wb_session_need_graph(s, &name, err);
	if (!g)
		return err->code;
	char title[300];
	snprintf(title, sizeof title, "graph %s", name);
	wb_result *r = wb_result_new(title);
	size_t n = wb_graph_nnodes(g);
	size_t *idx = malloc((n ? n : 1) * sizeof *idx);
	if (!r || !idx) {
		wb_result_free(r);
		free(idx);
		return nomem(err);
	}
	const char *cols[] = {"node", "role", "parents", "children", "other edges", "x", "y"};
	for (size_t k = 0; k < 7; k++)
		rc |= wb_result_add_column(r, cols[k]) < 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		long row = wb_result_add_row(r);
		char roles[64];
		if (row < 0) {
			rc = WB_ENOMEM;
			break;
		}
		size_t ri = (size_t)row;
		rc |= wb_result_set_str(r, ri, 0, wb_graph_node_name(g, i));
		int rl = wb_graph_roles(g, i);
		if (rl)
			rc |= wb_result_set_str(r, ri, 1, roles_text(rl, roles, sizeof roles));
		size_t np = wb_graph_parents(g, i, idx, n);
		rc |= set_cell(r, ri, 2, g, idx, np);
		size_t nc = wb_graph_children(g, i, idx, n);
		rc |= set_cell(r, ri, 3, g, idx, nc);
		/* Undirected, bidirected and circle-marked edges, written from this node. */
		size_t nn = wb_graph_neighbours(g, i, idx, n), no = 0;
		const char **other = malloc((nn ? nn : 1) * sizeof *other);
		char(*texts)[256] = malloc((nn ? nn : 1) * sizeof *texts);
		if (!other || !texts) {
			free(other);
			free(texts);
			rc = WB_ENOMEM;
			break;
		}
		for (size_t k = 0; k < nn; k++) {
			size_t j = idx[k];
			if (wb_graph_is_directed(g, i, j) || wb_graph_is_directed(g, j, i))
				continue;
			wb_graph_edge_text(g, i, j, texts[no], sizeof texts[no]);
			/* Keep "op B" only: the row names the node. */
			other[no] = texts[no] + strlen(wb_graph_node_name(g, i)) + 1;
			no++;
		}
		rc |= wb_result_set_set(r, ri, 4, other, no);
		free(other);
		free(texts);
		double x, y;
		if (wb_graph_pos(g, i, &x, &y)) {
			rc |= wb_result_set_num(r, ri, 5, x);
			rc |= wb_result_set_num(r, ri, 6, y);
		}
	}
	free(idx);
	if (rc) {
		wb_result_free(r);
		return nomem(err);
	}
	wb_result_add_note(r, "%s: %zu nodes, %zu edges", wb_graph_kind(g), n, wb_graph_nedges(g));
	return wb_session_emit(s, r, err);
}

static int exec_list(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 0, 0, err);
	if (rc)
		return rc;
	const char *const cols[] = {"name", "nodes", "edges", "kind", "active"};
	wb_result *r = wb_cmd_result("graphs", cols, 5);
	if (!r)
		return nomem(err);
	const char *active;
	wb_session_graph(s, &active);
	for (size_t i = 0; i < wb_session_ngraphs(s) && rc == 0; i++) {
		const wb_graph *g = wb_session_graph_at(s, i);
		const char *name = wb_session_graph_name(s, i);
		long row = wb_result_add_row(r);
		if (row < 0) {
			rc = WB_ENOMEM;
			break;
		}
		rc |= wb_result_set_str(r, (size_t)row, 0, name);
		rc |= wb_result_set_num(r, (size_t)row, 1, (double)wb_graph_nnodes(g));
		rc |= wb_result_set_num(r, (size_t)row, 2, (double)wb_graph_nedges(g));
		rc |= wb_result_set_str(r, (size_t)row, 3, wb_graph_kind(g));
		rc |= wb_result_set_str(r, (size_t)row, 4, strcmp(active, name) == 0 ? "*" : "");
	}
	if (rc) {
		wb_result_free(r);
		return nomem(err);
	}
	return wb_session_emit(s, r, err);
}

static int exec_use(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 1, err);
	if (rc || (rc = wb_session_use_graph(s, wb_arg_word(a, 0), err)))
		return rc;
	return summary(s, err, "using");
}

/* ---- identify ---- */

/* Node list "A" or "A,B" into idx (capacity cap); returns the count or a negative error. */
static long node_list(const wb_graph *g, const char *cmd, const char *text, size_t *idx, size_t cap,
		      wb_err *err)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", text);
	size_t n = 0;
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		long i = node_arg(g, cmd, t, err);
		if (i < 0)
			return i;
		if (n == cap)
			return wb_err_set(err, WB_EINVAL, "%s: too many nodes", cmd);
		idx[n++] = (size_t)i;
	}
	return (long)n;
}

/* One row: strategy, identified, set, given, note. */
static int add_row(wb_result *r, const wb_graph *g, const char *strategy, int yes,
		   const size_t *set, size_t nset, int has_set, const size_t *given, size_t ngiven,
		   int has_given, const char *note)
{
	long row = wb_result_add_row(r);
	if (row < 0)
		return WB_ENOMEM;
	size_t i = (size_t)row;
	int rc = wb_result_set_str(r, i, 0, strategy);
	rc |= wb_result_set_str(r, i, 1, yes ? "yes" : "no");
	if (has_set)
		rc |= set_cell(r, i, 2, g, set, nset);
	if (has_given)
		rc |= set_cell(r, i, 3, g, given, ngiven);
	if (note && *note)
		rc |= wb_result_set_str(r, i, 4, note);
	return rc ? WB_ENOMEM : 0;
}

/* Notes: the nodes of each role, and whether the adjusted nodes form a valid set. */
static int role_notes(wb_result *r, const wb_graph *g, const size_t *x, size_t nx, const size_t *y,
		      size_t ny, wb_err *err)
{
	size_t n = wb_graph_nnodes(g);
	int *roles = malloc((n ? n : 1) * sizeof *roles);
	size_t *idx = malloc((n ? n : 1) * sizeof *idx);
	int rc = roles && idx ? wb_identify_roles(g, x, nx, y, ny, roles, err) : nomem(err);
	static const int shown[] = {
	    WB_NODE_CONFOUNDER,	   WB_NODE_MEDIATOR,	   WB_NODE_COLLIDER,
	    WB_NODE_INSTRUMENT,	   WB_NODE_EXPOSURE_CAUSE, WB_NODE_OUTCOME_CAUSE,
	    WB_NODE_EXPOSURE_DESC, WB_NODE_OUTCOME_DESC,   WB_NODE_LATENT};
	for (size_t k = 0; rc == 0 && k < sizeof shown / sizeof *shown; k++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (roles[i] & shown[k])
				idx[m++] = i;
		if (m) {
			char list[WB_ERR_MAX];
			wb_cmd_nodes_text(g, idx, m, list, sizeof list);
			wb_result_add_note(r, "%s: %s", wb_identify_role_name(shown[k]), list);
		}
	}
	size_t nadj = rc ? 0 : wb_graph_nodes_with_role(g, WB_ROLE_ADJUSTED, idx, n);
	if (nadj) {
		int valid = 0;
		char why[WB_ERR_MAX], list[WB_ERR_MAX];
		wb_cmd_nodes_text(g, idx, nadj, list, sizeof list);
		rc = wb_identify_is_adjustment(g, x, nx, y, ny, idx, nadj, &valid, why, sizeof why,
					       err);
		if (rc == 0 && valid)
			wb_result_add_note(r, "the adjusted nodes {%s} are a valid adjustment set",
					   list);
		else if (rc == 0)
			wb_result_add_note(r,
					   "the adjusted nodes {%s} are not a valid adjustment "
					   "set: %s",
					   list, why);
	}
	free(roles);
	free(idx);
	return rc;
}

static int exec_identify(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 0, 2, err);
	const char *gname;
	wb_graph *g = rc ? NULL : wb_session_need_graph(s, &gname, err);
	if (!g)
		return err->code;
	size_t n = wb_graph_nnodes(g);
	size_t *x = malloc((n ? n : 1) * sizeof *x), *y = malloc((n ? n : 1) * sizeof *y);
	long nx = 0, ny = 0;
	if (!x || !y) {
		rc = nomem(err);
		goto out;
	}
	if (a->npos == 2) {
		if (!word_at(a, 0, err) || !word_at(a, 1, err)) {
			rc = err->code;
			goto out;
		}
		nx = node_list(g, a->name, a->pos[0]->text, x, n, err);
		ny = nx < 0 ? 0 : node_list(g, a->name, a->pos[1]->text, y, n, err);
		if (nx < 0 || ny < 0) {
			rc = err->code;
			goto out;
		}
	} else if (a->npos == 0) {
		nx = (long)wb_graph_nodes_with_role(g, WB_ROLE_EXPOSURE, x, n);
		ny = (long)wb_graph_nodes_with_role(g, WB_ROLE_OUTCOME, y, n);
		if (nx == 0 || ny == 0) {
			rc =
			    wb_err_set(err, WB_EINVAL,
				       "identify: name the effect (identify T Y) or set roles with "
				       "graph role NAME exposure / outcome");
			goto out;
		}
	} else {
		rc = wb_err_set(err, WB_EINVAL,
				"identify: expected T Y (or nothing, to use the "
				"exposure and outcome roles)");
		goto out;
	}
	wb_identification id;
	if ((rc = wb_identify_effect(g, x, (size_t)nx, y, (size_t)ny, &id, err))) {
		wb_err_prefix(err, "identify");
		goto out;
	}
	char xs[WB_ERR_MAX / 2], ys[WB_ERR_MAX / 2], title[WB_ERR_MAX + 16];
	wb_cmd_nodes_text(g, x, (size_t)nx, xs, sizeof xs);
	wb_cmd_nodes_text(g, y, (size_t)ny, ys, sizeof ys);
	snprintf(title, sizeof title, "identify %s -> %s", xs, ys);
	wb_result *r = wb_result_new(title);
	if (!r) {
		wb_identify_free(&id);
		rc = nomem(err);
		goto out;
	}
	const char *cols[] = {"strategy", "identified", "set", "given", "note"};
	for (size_t k = 0; k < 5; k++)
		rc |= wb_result_add_column(r, cols[k]) < 0;
	for (size_t k = 0; k < id.adjustment.n && rc == 0; k++)
		rc = add_row(
		    r, g, "backdoor", 1, id.adjustment.set[k], id.adjustment.size[k], 1, NULL, 0, 0,
		    id.adjustment.size[k] ? "minimal adjustment set" : "no adjustment needed");
	if (rc == 0 && id.adjustment.n == 0)
		rc = add_row(r, g, "backdoor", 0, NULL, 0, 0, NULL, 0, 0, id.adjustment_why);
	for (size_t k = 0; k < id.frontdoor.n && rc == 0; k++)
		rc = add_row(r, g, "frontdoor", 1, id.frontdoor.set[k], id.frontdoor.size[k], 1,
			     NULL, 0, 0, "minimal frontdoor set");
	if (rc == 0 && id.frontdoor.n == 0)
		rc = add_row(r, g, "frontdoor", 0, NULL, 0, 0, NULL, 0, 0, id.frontdoor_why);
	for (size_t k = 0; k < id.ninstruments && rc == 0; k++) {
		const wb_instrument *iv = &id.instruments[k];
		rc = add_row(r, g, "instrument", 1, &iv->node, 1, 1, iv->given, iv->ngiven, 1,
			     iv->ngiven ? "conditional instrument" : "instrument");
	}
	if (rc == 0 && id.ninstruments == 0)
		rc = add_row(r, g, "instrument", 0, NULL, 0, 0, NULL, 0, 0, id.instrument_why);
	if (rc == 0 && id.adjustment.truncated)
		wb_result_add_note(r, "the list of adjustment sets stops at %d",
				   WB_IDENTIFY_MAX_SETS);
	wb_identify_free(&id);
	if (rc) {
		wb_result_free(r);
		rc = nomem(err);
		goto out;
	}
	if ((rc = role_notes(r, g, x, (size_t)nx, y, (size_t)ny, err))) {
		wb_result_free(r);
		goto out;
	}
	rc = wb_session_emit(s, r, err);
out:
	free(x);
	free(y);
	return rc;
}

/* ---- graph implications ---- */

static int exec_implications(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 0, 0, err);
	const char *gname;
	const wb_graph *g = rc ? NULL : wb_session_need_graph(s, &gname, err);
	if (!g)
		return err->code;
	wb_implication *imp;
	size_t nimp;
	if ((rc = wb_identify_implications(g, &imp, &nimp, err)))
		return wb_err_prefix(err, "%s", a->name);
	char title[300];
	snprintf(title, sizeof title, "implications of graph %s", gname);
	const char *const cols[] = {"a", "b", "given"};
	wb_result *r = wb_cmd_result(title, cols, 3);
	int bad = !r;
	for (size_t k = 0; k < nimp && !bad; k++) {
		long row = wb_result_add_row(r);
		if (row < 0) {
			bad = 1;
			break;
		}
		bad |= wb_result_set_str(r, (size_t)row, 0, wb_graph_node_name(g, imp[k].a));
		bad |= wb_result_set_str(r, (size_t)row, 1, wb_graph_node_name(g, imp[k].b));
		bad |= set_cell(r, (size_t)row, 2, g, imp[k].given, imp[k].ngiven);
	}
	wb_identify_implications_free(imp, nimp);
	if (!bad)
		bad |=
		    wb_result_add_note(r, nimp ? "a _||_ b | given: a and b are independent given "
						 "the set (graph check tests them on the data)"
					       : "the graph implies no conditional independence");
	if (bad) {
		wb_result_free(r);
		return nomem(err);
	}
	return wb_session_emit(s, r, err);
}

/* ---- graph check ---- */

/* How one implication is tested: on the shared Fisher-z context, with G² on its own columns,
 * or not at all (why says so). */
enum { CHECK_FISHERZ, CHECK_GSQ, CHECK_SKIP };

static int discrete(const wb_frame *f, size_t col)
{
	wb_col_kind k = wb_frame_col_kind(f, col);
	return k == WB_COL_BINARY || k == WB_COL_CATEGORICAL;
}

static int many_levels(const wb_frame *f, size_t col)
{
	return wb_frame_col_kind(f, col) == WB_COL_CATEGORICAL && wb_frame_nlevels(f, col) > 2;
}

typedef struct checker {
	const wb_graph *g;
	const wb_frame *f;
	long *col;     /* frame column of each node, or -1 */
	long *var;     /* position of each node in the Fisher-z context, or -1 */
	wb_citest *fz; /* Fisher-z over the numeric and binary nodes (NULL if fewer than 2) */
	wb_ci_kind force;
	int threads;
} checker;

/* Tests one implication: 0 with *out and *kind filled, or CHECK_SKIP with why. */
static int check_one(checker *c, const wb_implication *imp, wb_ci_outcome *out, int *kind,
		     char *why, size_t whysize, wb_err *err)
{
	size_t nv = imp->ngiven + 2;
	size_t *nodes = malloc(nv * sizeof *nodes), *cols = malloc(nv * sizeof *cols);
	if (!nodes || !cols) {
		free(nodes);
		free(cols);
		return nomem(err);
	}
	nodes[0] = imp->a;
	nodes[1] = imp->b;
	memcpy(nodes + 2, imp->given, imp->ngiven * sizeof *nodes);
	int all_discrete = 1, any_many = 0;
	for (size_t i = 0; i < nv; i++) {
		cols[i] = (size_t)c->col[nodes[i]];
		all_discrete &= discrete(c->f, cols[i]);
		any_many |= many_levels(c->f, cols[i]);
	}
	int rc = 0;
	wb_err e;
	*kind = c->force == WB_CI_GSQ || (c->force == WB_CI_AUTO && all_discrete) ? CHECK_GSQ
		: any_many							  ? CHECK_SKIP
										  : CHECK_FISHERZ;
	if (*kind == CHECK_SKIP) {
		snprintf(why, whysize,
			 "not tested: a categorical column with more than two levels among "
			 "numeric ones (try test=gsq)");
	} else if (*kind == CHECK_FISHERZ) {
		size_t *S = malloc((imp->ngiven ? imp->ngiven : 1) * sizeof *S);
		if (!S) {
			rc = nomem(err);
		} else {
			for (size_t i = 0; i < imp->ngiven; i++)
				S[i] = (size_t)c->var[imp->given[i]];
			if (wb_citest_test(c->fz, (size_t)c->var[imp->a], (size_t)c->var[imp->b], S,
					   imp->ngiven, out, &e)) {
				*kind = CHECK_SKIP;
				snprintf(why, whysize, "not tested: %s", e.msg);
			}
			free(S);
		}
	} else {
		wb_citest *t = NULL;
		wb_ci_options opt = {WB_CI_GSQ, NULL, 0, c->threads};
		/* The context holds a, b, then the conditioning nodes. */
		size_t *S = malloc(nv * sizeof *S);
		for (size_t i = 0; S && i < imp->ngiven; i++)
			S[i] = i + 2;
		if (!S) {
			rc = nomem(err);
		} else if (wb_citest_new(c->f, cols, nv, &opt, NULL, &t, &e) ||
			   wb_citest_test(t, 0, 1, S, imp->ngiven, out, &e)) {
			*kind = CHECK_SKIP;
			snprintf(why, whysize, "not tested: %s", e.msg);
		}
		free(S);
		wb_citest_free(t);
	}
	free(nodes);
	free(cols);
	return rc;
}

/* x to d significant digits: test statistics are reported, not computed with, and the last
 * bits of a BLAS correlation differ between machines (and under valgrind). */
static double round_sig(double x, int d)
{
	if (x == 0 || !isfinite(x))
		return x;
	double scale = pow(10, d - 1 - (int)floor(log10(fabs(x))));
	return round(x * scale) / scale;
}

static int exec_check(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 0, 0, err);
	const char *gname, *dname;
	const wb_graph *g = rc ? NULL : wb_session_need_graph(s, &gname, err);
	const wb_frame *f = g ? wb_session_need_frame(s, &dname, err) : NULL;
	if (!f)
		return err->code;
	double alpha;
	if ((rc = wb_arg_double(a, "alpha", 0.05, &alpha, err)))
		return rc;
	if (!(alpha > 0 && alpha < 1))
		return wb_err_set(err, WB_EINVAL, "%s: alpha must be between 0 and 1", a->name);
	checker c = {g, f, NULL, NULL, NULL, WB_CI_AUTO, wb_session_threads(s)};
	const char *test = wb_arg_opt(a, "test", "auto");
	if ((rc = wb_ci_kind_parse(test, &c.force, err)))
		return wb_err_prefix(err, "%s", a->name);
	size_t n = wb_graph_nnodes(g);
	c.col = malloc((n ? n : 1) * sizeof *c.col);
	c.var = malloc((n ? n : 1) * sizeof *c.var);
	size_t *fzcols = malloc((n ? n : 1) * sizeof *fzcols), nfz = 0;
	char missing[WB_ERR_MAX] = "";
	size_t nmissing = 0, used = 0;
	wb_implication *imp = NULL;
	size_t nimp = 0;
	wb_result *r = NULL;
	if (!c.col || !c.var || !fzcols) {
		rc = nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		c.col[i] = c.var[i] = -1;
		if (wb_graph_roles(g, i) & WB_ROLE_LATENT)
			continue;
		c.col[i] = wb_frame_col_index(f, wb_graph_node_name(g, i));
		if (c.col[i] < 0) {
			nmissing++;
			if (used < sizeof missing)
				used +=
				    (size_t)snprintf(missing + used, sizeof missing - used, "%s%s",
						     used ? ", " : "", wb_graph_node_name(g, i));
		} else if (!many_levels(f, (size_t)c.col[i])) {
			c.var[i] = (long)nfz;
			fzcols[nfz++] = (size_t)c.col[i];
		}
	}
	if ((rc = wb_identify_implications(g, &imp, &nimp, err)))
		goto out;
	if (nfz >= 2 && c.force != WB_CI_GSQ) {
		wb_ci_options opt = {WB_CI_FISHERZ, NULL, 0, c.threads};
		if ((rc = wb_citest_new(f, fzcols, nfz, &opt, wb_session_progress(s), &c.fz, err)))
			goto out;
	}
	char title[600];
	snprintf(title, sizeof title, "graph check: %s against %s", gname, dname);
	const char *const cols[] = {"a", "b", "given", "test", "statistic", "df", "p", "result"};
	if (!(r = wb_cmd_result(title, cols, 8))) {
		rc = nomem(err);
		goto out;
	}
	wb_result_set_digits(r, 4, 4);
	wb_result_set_digits(r, 6, 3);
	size_t tested = 0, failed = 0, skipped = 0, fused = 0;
	char fails[WB_ERR_MAX] = "";
	int bad = 0;
	for (size_t k = 0; k < nimp && rc == 0 && !bad; k++) {
		const wb_implication *m = &imp[k];
		int absent = c.col[m->a] < 0 || c.col[m->b] < 0;
		for (size_t i = 0; i < m->ngiven; i++)
			absent |= c.col[m->given[i]] < 0;
		if (absent)
			continue;
		wb_ci_outcome o = {0};
		int kind = CHECK_SKIP;
		char why[WB_ERR_MAX + 32];
		if ((rc = check_one(&c, m, &o, &kind, why, sizeof why, err)))
			break;
		long row = wb_result_add_row(r);
		if (row < 0) {
			bad = 1;
			break;
		}
		size_t ri = (size_t)row;
		bad |= wb_result_set_str(r, ri, 0, wb_graph_node_name(g, m->a));
		bad |= wb_result_set_str(r, ri, 1, wb_graph_node_name(g, m->b));
		bad |= set_cell(r, ri, 2, g, m->given, m->ngiven);
		if (kind == CHECK_SKIP) {
			bad |= wb_result_set_str(r, ri, 7, why);
			skipped++;
			continue;
		}
		bad |= wb_result_set_str(r, ri, 3, kind == CHECK_GSQ ? "G²" : "Fisher z");
		bad |= wb_result_set_num(r, ri, 4, round_sig(o.stat, 6));
		if (kind == CHECK_GSQ)
			bad |= wb_result_set_num(r, ri, 5, o.df);
		bad |= wb_result_set_num(r, ri, 6, round_sig(o.p, 6));
		bad |= wb_result_set_str(r, ri, 7, o.p < alpha ? "FAILS" : "holds");
		tested++;
		if (o.p < alpha && fused < sizeof fails) {
			char given[WB_ERR_MAX / 2];
			wb_cmd_nodes_text(g, m->given, m->ngiven, given, sizeof given);
			fused += (size_t)snprintf(
			    fails + fused, sizeof fails - fused, "%s%s _||_ %s%s%s",
			    failed ? "; " : "", wb_graph_node_name(g, m->a),
			    wb_graph_node_name(g, m->b), m->ngiven ? " | " : "", given);
		}
		failed += o.p < alpha;
	}
	if (bad && rc == 0)
		rc = nomem(err);
	if (rc)
		goto out;
	if (nimp == 0)
		wb_result_add_note(r, "the graph implies no conditional independence to test");
	else
		wb_result_add_note(r, "%zu of %zu tested implications fail at alpha = %g%s", failed,
				   tested, alpha,
				   failed ? ": the data contradict the graph there" : "");
	if (failed)
		wb_result_add_note(r, "failing: %s", fails);
	if (nmissing)
		wb_result_add_note(
		    r, "not in the data, so implications with them are not tested: %s", missing);
	if (skipped)
		wb_result_add_note(r, "%zu implication%s could not be tested (see result)", skipped,
				   skipped == 1 ? "" : "s");
	if (c.fz && wb_citest_ndropped(c.fz))
		wb_result_add_note(r, "%zu rows with a missing value left out",
				   wb_citest_ndropped(c.fz));
	wb_result_add_note(r, "each implication tested on its own at level alpha (no correction "
			      "for multiple tests)");
	rc = wb_session_emit(s, r, err);
	r = NULL;
out:
	wb_result_free(r);
	wb_identify_implications_free(imp, nimp);
	wb_citest_free(c.fz);
	free(c.col);
	free(c.var);
	free(fzcols);
	return rc;
}

/* ---- the table ---- */

#define EDIT (WB_CMD_MODIFIES)

static const wb_option check_opts[] = {
    {"alpha", "A", "level below which an implication fails (default 0.05)"},
    {"test", "T", "auto (default), fisherz or gsq"},
    {NULL, NULL, NULL}};

const wb_cmd wb_cmds_graph[] = {
    {"graph new", "graph new [NAME]", "start an empty causal graph",
     "Makes a new empty graph called NAME (default g), replacing a graph of that name, and "
     "makes it the active graph: the graph commands, identify and the Graph pane work on "
     "it.\n\nExample:\n  graph new study",
     NULL, 0, EDIT, exec_new},
    {"graph node", "graph node NAME [NAME...]", "add nodes to the graph",
     "Adds one or more nodes (named like the dataset's columns, so that graph check and "
     "estimate find them). Edges add their nodes by themselves.\n\nExample:\n  graph node "
     "Age Income",
     NULL, WB_COMPLETE_COLUMNS, EDIT, exec_node},
    {"graph edge", "graph edge A -> B | A -- B | A <-> B", "add or change an edge",
     "Adds the edge, and its nodes if they are new. An edge already between A and B is "
     "replaced, so `graph edge A -> B` orients an undirected A -- B and turns A <-> B into A "
     "-> B. A <-> B is a latent common cause; A -- B an unoriented (CPDAG) edge. Chains "
     "(A -> B -> C) are one edit. An edge that would close a directed cycle is refused, and "
     "the message names the cycle.\n\nExample:\n  graph edge UserEngagementLevel -> "
     "PersonalizedRecommendation",
     NULL, WB_COMPLETE_NODES | WB_COMPLETE_COLUMNS, EDIT, exec_edge},
    {"graph drop", "graph drop A -> B | graph drop NAME", "remove an edge or a node",
     "With A -> B (any operator): removes the edge between A and B, whatever its marks. With "
     "one NAME: removes the node and its edges.\n\nExample:\n  graph drop A -> B",
     NULL, WB_COMPLETE_NODES, EDIT, exec_drop},
    {"graph reverse", "graph reverse A -> B", "turn A -> B into B -> A",
     "Reverses a directed edge; refused when the result would have a cycle.\n\nExample:\n  "
     "graph reverse A -> B",
     NULL, WB_COMPLETE_NODES, EDIT, exec_reverse},
    {"graph role", "graph role NAME exposure|outcome|latent|adjusted [off] | graph role NAME none",
     "set or clear a node's role",
     "Marks a node as exposure (treatment), outcome, latent (unobserved: never adjusted for "
     "and not in the data) or adjusted (already conditioned on: identify says whether the "
     "adjusted nodes form a valid set). `off` clears one role, `none` all of them. Latent "
     "excludes the other roles.\n\nExample:\n  graph role PersonalizedRecommendation "
     "exposure",
     NULL, WB_COMPLETE_NODES, EDIT, exec_role},
    {"graph rename", "graph rename OLD NEW", "rename a node, keeping its edges",
     "Renames a node; its edges, roles and position stay.\n\nExample:\n  graph rename Eng "
     "UserEngagementLevel",
     NULL, WB_COMPLETE_NODES, EDIT, exec_rename},
    {"graph move", "graph move NAME X Y", "place a node",
     "Sets a node's position (the dagitty pos attribute, written by graph save). The Graph "
     "pane lays out nodes without one automatically.\n\nExample:\n  graph move Age 0 1",
     NULL, WB_COMPLETE_NODES, EDIT, exec_move},
    {"graph undo", "graph undo", "undo the last graph edit",
     "Restores the active graph as it was before its last edit (a load, a chain of edges "
     "and `graph role NAME none` are one edit each); up to 200 steps.\n\nExample:\n  graph "
     "undo",
     NULL, 0, EDIT, exec_undo},
    {"graph redo", "graph redo", "redo an undone graph edit",
     "Re-applies the edit that graph undo took back (a new edit clears the redo "
     "list).\n\nExample:\n  graph redo",
     NULL, 0, EDIT, exec_undo},
    {"graph load", "graph load PATH [as NAME]", "read a graph from a DOT or dagitty file",
     "Reads a Graphviz DOT file (.dot, .gv: digraph/graph, quoted names, -> and --, "
     "attribute lists, dir=none for an undirected and dir=both for a bidirected edge in a "
     "digraph; node attributes exposure, outcome, latent, adjusted, pos) or a dagitty model "
     "(.dagitty: dag { X [exposure] Y [outcome] X -> Y X <-> Y }); other names are told apart "
     "by their first word. The graph is named after the file unless `as NAME`. Errors give "
     "FILE:LINE:COLUMN.\n\nExample:\n  graph load sample-data/musicapp.dagitty",
     NULL, WB_COMPLETE_PATHS, EDIT, exec_load},
    {"graph save", "graph save PATH", "write the active graph as DOT or dagitty",
     "Writes the active graph, atomically, in the syntax the extension names (.dot, .gv or "
     ".dagitty). Nodes, edges and their marks, roles, positions and edge numbers read back "
     "exactly.\n\nExample:\n  graph save /tmp/study.dagitty",
     NULL, WB_COMPLETE_PATHS, 0, exec_save},
    {"graph show", "graph show", "the active graph as a table",
     "Lists each node with its roles, parents, children, other edges (-- , <->, circle marks) "
     "and position.\n\nExample:\n  graph show",
     NULL, 0, 0, exec_show},
    {"graph list", "graph list", "the graphs in the workspace",
     "Lists the graphs with their size and kind (dag, admg, pdag, pag, mixed); * marks the "
     "active one.\n\nExample:\n  graph list",
     NULL, 0, 0, exec_list},
    {"graph use", "graph use NAME", "make another graph the active one",
     "Makes the graph NAME active.\n\nExample:\n  graph use study", NULL, 0, EDIT, exec_use},
    {"graph implications", "graph implications", "the independences the active graph implies",
     "Lists the testable implications of the active graph, as DAGitty does: for each pair of "
     "observed nodes that are not adjacent and can be separated, the smallest sets of "
     "observed nodes that make them independent (latent nodes are never conditioned on). "
     "graph check tests them on the data.\n\nExample:\n  graph implications",
     NULL, 0, 0, exec_implications},
    {"graph check", "graph check [alpha=A] [test=auto|fisherz|gsq]",
     "test the graph's implied independences on the active dataset",
     "Lists the conditional independences the active graph implies (for each pair of "
     "observed nodes that are not adjacent, the smallest sets that separate them, as "
     "DAGitty's testable implications) and tests each on the active dataset: partial "
     "correlation (Fisher z, from one correlation matrix) when a numeric column is involved, "
     "G² when all are binary or categorical (test= forces one). An implication with p < alpha "
     "FAILS: the data contradict the graph there. Nodes that are not columns of the dataset "
     "are named and their implications skipped; latent nodes are never conditioned "
     "on.\n\nExample:\n  generate musicapp; graph load sample-data/musicapp.dagitty; graph "
     "check",
     check_opts, 0, 0, exec_check},
    {"identify", "identify [T Y]", "how the effect of T on Y can be identified from the graph",
     "For the effect of T on Y in the active graph (default: the exposure and outcome "
     "roles; T and Y may be comma-separated lists), lists per strategy whether it is "
     "identified: backdoor — every minimal adjustment set (generalized adjustment "
     "criterion, Perković et al. 2018, enumerated as van der Zander et al. 2019; for one "
     "exposure these are the minimal backdoor sets of Pearl 2009), frontdoor — minimal sets "
     "meeting Pearl's 1995 conditions, instrument — instruments, conditional ones with the "
     "set W they need. When a strategy fails it says why, with the open path written out "
     "(X <- U -> Y). Notes name each node's role (confounder, mediator, collider, "
     "instrument, …) and judge the nodes marked adjusted. Latent nodes are never adjusted "
     "for. With undirected edges (a CPDAG) the effect is identified only if no possibly "
     "causal path starts with an undirected edge (amenability); frontdoor and instruments "
     "then need every edge oriented.\n\nExample:\n  identify PersonalizedRecommendation "
     "HoursOfContentConsumed",
     NULL, WB_COMPLETE_NODES, 0, exec_identify},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, NULL}};
