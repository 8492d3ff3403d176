/*
 * graph.h — the causal graph: one type for DAGs, CPDAGs, and graphs with latent confounding.
 *
 * A wb_graph holds named nodes (named like frame columns) and at most one edge between any two
 * of them. An edge carries a mark at each end:
 *
 *     A -> B    tail at A, arrow at B         (directed)
 *     A -- B    tail at both ends             (undirected: a CPDAG's unoriented edge)
 *     A <-> B   arrow at both ends            (bidirected: a latent common cause)
 *     A o-> B, A o-o B, A o-- B               (circle marks: "not known", as in PAGs)
 *
 * So the same type serves a DAG (only ->), an ADMG (-> and <->), a CPDAG (-> and --) and a PAG.
 * The graph never holds a directed cycle: an edit that would close one is refused and the
 * message names the cycle ("A -> B would make a cycle: A -> B -> C -> A").
 *
 * Nodes carry roles (bit flags: exposure, outcome, latent, adjusted) and an optional position
 * (for layouts and the dagitty `pos` attribute). Nodes are addressed by index 0 .. nnodes-1;
 * removing a node shifts the indices above it down by one.
 *
 * Undo/redo: every successful edit (node, edge, role, position, name) is recorded; undo
 * restores the graph as it was before the last edit, redo re-applies it. A new edit clears
 * the redo list. wb_graph_begin_edit/end_edit group several edits into one undo step (a load,
 * a discovery result, a command that changes many things). History keeps the last
 * WB_GRAPH_UNDO_MAX steps.
 *
 * Ownership: objects returned as `wb_graph *` or through `**out` belong to the caller (free
 * with wb_graph_free, which accepts NULL); `const char *` arguments are copied; strings returned
 * by accessors are borrowed and live until the graph is next modified.
 * Errors: 0 or a negative WB_E* code with one line in err; parse errors say
 * "NAME:LINE:COL: problem".
 */
#ifndef WB_GRAPH_H
#define WB_GRAPH_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

typedef struct wb_graph wb_graph;

/* An edge end. WB_MARK_NONE means "no edge". */
typedef enum { WB_MARK_NONE = 0, WB_MARK_TAIL, WB_MARK_ARROW, WB_MARK_CIRCLE } wb_mark;

/* Node roles, as bit flags. A latent node is never exposure, outcome or adjusted. */
enum {
	WB_ROLE_EXPOSURE = 1 << 0,
	WB_ROLE_OUTCOME = 1 << 1,
	WB_ROLE_LATENT = 1 << 2,
	WB_ROLE_ADJUSTED = 1 << 3
};

#define WB_GRAPH_UNDO_MAX 200

/* ---- life cycle ---- */

/* New empty graph; NULL if out of memory. */
wb_graph *wb_graph_new(void);
void wb_graph_free(wb_graph *g);
/* Deep copy (without the undo history); NULL if out of memory. */
wb_graph *wb_graph_copy(const wb_graph *g);

/* ---- nodes ---- */

size_t wb_graph_nnodes(const wb_graph *g);
/* Index of the node called name, or -1. */
long wb_graph_node_index(const wb_graph *g, const char *name);
const char *wb_graph_node_name(const wb_graph *g, size_t i);
/* Adds a node; returns its index (>= 0), or WB_EINVAL if the name is empty or taken. */
long wb_graph_add_node(wb_graph *g, const char *name, wb_err *err);
/* Index of name, adding the node if it is new (>= 0), or a negative error. */
long wb_graph_ensure_node(wb_graph *g, const char *name, wb_err *err);
/* Renames node i; its edges, roles and position are kept. WB_EINVAL if the name is taken. */
int wb_graph_rename_node(wb_graph *g, size_t i, const char *name, wb_err *err);
/* Removes node i and its edges; nodes above i move down one index. */
int wb_graph_remove_node(wb_graph *g, size_t i, wb_err *err);

/* Role flags of node i (WB_ROLE_*). */
int wb_graph_roles(const wb_graph *g, size_t i);
/* Sets (on != 0) or clears one role of node i. Setting latent clears exposure, outcome and
 * adjusted, and setting any of those clears latent. */
int wb_graph_set_role(wb_graph *g, size_t i, int role, int on, wb_err *err);
/* Nodes having role, in index order, into idx (capacity cap); returns how many there are
 * (which may exceed cap). */
size_t wb_graph_nodes_with_role(const wb_graph *g, int role, size_t *idx, size_t cap);

/* Position of node i; returns 1 and fills *x, *y if one is set, else 0. */
int wb_graph_pos(const wb_graph *g, size_t i, double *x, double *y);
int wb_graph_set_pos(wb_graph *g, size_t i, double x, double y, wb_err *err);
void wb_graph_clear_pos(wb_graph *g, size_t i);

/* ---- edges ---- */

/* The mark at b's end of the edge between a and b; WB_MARK_NONE if they are not adjacent
 * (or a == b). So a -> b holds when mark(a, b) == ARROW and mark(b, a) == TAIL. */
wb_mark wb_graph_mark(const wb_graph *g, size_t a, size_t b);
int wb_graph_adjacent(const wb_graph *g, size_t a, size_t b);
int wb_graph_is_directed(const wb_graph *g, size_t a, size_t b);   /* a -> b */
int wb_graph_is_undirected(const wb_graph *g, size_t a, size_t b); /* a -- b */
int wb_graph_is_bidirected(const wb_graph *g, size_t a, size_t b); /* a <-> b */

/* Sets the edge between a and b with mark ma at a's end and mb at b's end, adding it or
 * replacing the one there. Refused (WB_EINVAL, graph unchanged): a == b, a mark NONE, or a
 * directed edge that would close a directed cycle (the message names the cycle). */
int wb_graph_set_edge(wb_graph *g, size_t a, size_t b, wb_mark ma, wb_mark mb, wb_err *err);
/* Shorthands for set_edge: a -> b, a -- b, a <-> b. */
int wb_graph_add_directed(wb_graph *g, size_t a, size_t b, wb_err *err);
int wb_graph_add_undirected(wb_graph *g, size_t a, size_t b, wb_err *err);
int wb_graph_add_bidirected(wb_graph *g, size_t a, size_t b, wb_err *err);
/* Removes the edge between a and b; WB_ENOTFOUND ("no edge between A and B") if none. */
int wb_graph_remove_edge(wb_graph *g, size_t a, size_t b, wb_err *err);
/* Turns a -> b into b -> a; WB_EINVAL if there is no a -> b or the result has a cycle. */
int wb_graph_reverse_edge(wb_graph *g, size_t a, size_t b, wb_err *err);

/* A number attached to the edge between a and b — the bootstrap frequency of a discovered edge,
 * say — shown by the graph pane and written by the file writers; NaN when none is set. It is
 * kept by copies and cleared when the edge is removed or replaced. WB_ENOTFOUND if no edge. */
double wb_graph_edge_weight(const wb_graph *g, size_t a, size_t b);
int wb_graph_set_edge_weight(wb_graph *g, size_t a, size_t b, double w, wb_err *err);

size_t wb_graph_nedges(const wb_graph *g);
/* Edges in a stable order (by the lower node index, then the higher): edge k joins *a < *b. */
void wb_graph_edge_at(const wb_graph *g, size_t k, size_t *a, size_t *b);

/* Parents (x -> i), children (i -> x), and all adjacent nodes of i, in index order, into idx
 * (capacity cap); each returns how many there are (which may exceed cap). */
size_t wb_graph_parents(const wb_graph *g, size_t i, size_t *idx, size_t cap);
size_t wb_graph_children(const wb_graph *g, size_t i, size_t *idx, size_t cap);
size_t wb_graph_neighbours(const wb_graph *g, size_t i, size_t *idx, size_t cap);

/* The edge between a and b as text, "A -> B", "A <- B", "A -- B", "A <-> B", "A o-> B"...,
 * written from a's side; "" if not adjacent. Returns buf. */
char *wb_graph_edge_text(const wb_graph *g, size_t a, size_t b, char *buf, size_t size);

/* What kind of graph the edges make: "dag" (only ->), "admg" (-> and <->), "pdag" (-> and --),
 * "pag" (any circle mark), "mixed" (-- together with <->); "dag" when there are no edges. */
const char *wb_graph_kind(const wb_graph *g);

/* Nodes in a topological order of the directed edges (other edges ignored) into order
 * (nnodes entries). Always succeeds: the graph has no directed cycle. */
void wb_graph_topo_order(const wb_graph *g, size_t *order);
/* Nonzero if there is a directed path from a to b (a == b counts). */
int wb_graph_has_directed_path(const wb_graph *g, size_t a, size_t b);

/* ---- undo ---- */

/* Groups the edits until the matching end_edit into one undo step (they nest). */
void wb_graph_begin_edit(wb_graph *g);
void wb_graph_end_edit(wb_graph *g);
/* WB_EINVAL "nothing to undo" / "nothing to redo" when the history is empty. */
int wb_graph_undo(wb_graph *g, wb_err *err);
int wb_graph_redo(wb_graph *g, wb_err *err);
int wb_graph_can_undo(const wb_graph *g);
int wb_graph_can_redo(const wb_graph *g);

/* ---- files ---- */

/* Graphviz DOT: `digraph`/`graph`, `strict`, quoted and unquoted IDs, `->` and `--`, edge
 * chains (A -> B -> C), node and edge attribute lists, `dir=none|both|back`, comments
 * (//, #, block). In a digraph `A -> B [dir=none]` is undirected and `dir=both` bidirected;
 * in an undirected `graph` every `--` edge is undirected. Node attributes `exposure`,
 * `outcome`, `latent`, `adjusted` (as flags or `=true`) and `pos="x,y"` are read.
 * buf need not be NUL-terminated; name appears in error messages. */
int wb_graph_parse_dot(const char *name, const char *buf, size_t len, wb_graph **out,
		       wb_err *err);
/* dagitty: `dag { X [exposure] Y [outcome] U [latent] A [adjusted] X [pos="0,1"] X -> Y
 * X <-> Y  X -- Y }` (also `pdag`, `mag`, `pag` headers and `bb=` lines). */
int wb_graph_parse_dagitty(const char *name, const char *buf, size_t len, wb_graph **out,
			   wb_err *err);
/* Writes the graph in either syntax; what is written reads back to the same graph (nodes in
 * index order, edges, marks, roles and positions). */
int wb_graph_write_dot(const wb_graph *g, FILE *fp, wb_err *err);
int wb_graph_write_dagitty(const wb_graph *g, FILE *fp, wb_err *err);
/* Loads a file, choosing the syntax by extension (.dot/.gv: DOT; .dagitty: dagitty) or, for
 * any other name, by its first word (digraph/graph/strict: DOT; dag/pdag/mag/pag: dagitty). */
int wb_graph_load(const char *path, wb_graph **out, wb_err *err);
/* Saves atomically (temporary file + rename), in the syntax the extension names. */
int wb_graph_save(const wb_graph *g, const char *path, wb_err *err);

#endif
