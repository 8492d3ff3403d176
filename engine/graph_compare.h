/*
 * graph_compare.h — how far a graph is from another (a discovered CPDAG from the truth), the
 * CPDAG of a DAG, and the true graph a generated dataset carries.
 *
 * Comparison (METHODS.md; Tsamardinos, Brown & Aliferis 2006 for SHD on CPDAGs): nodes are
 * matched by name (a node missing from one graph counts as having no edges there). With
 * `as_cpdag`, a graph with only directed edges (a DAG) is first replaced by its CPDAG, so a
 * discovered equivalence class is compared with the truth's equivalence class.
 *   SHD  = one per adjacency in exactly one graph (missing or extra) + one per adjacency in
 *          both whose edge differs (its marks, e.g. A -> B against A -- B or B -> A).
 *   adjacency precision = shared adjacencies / adjacencies of A; recall = … / adjacencies of B.
 *   arrowhead precision = arrowheads of A also in B (same edge, same end) / arrowheads of A;
 *          recall = … / arrowheads of B. An undirected edge has no arrowhead.
 * A ratio with a zero denominator is undefined: NaN in wb_graph_diff, an empty cell in the
 * result table, with a note.
 *
 * Ownership: objects returned through `**out` are the caller's. Errors: 0 or negative WB_E*
 * with one line in err.
 */
#ifndef WB_GRAPH_COMPARE_H
#define WB_GRAPH_COMPARE_H

#include <stddef.h>

#include "err.h"
#include "frame.h"
#include "graph.h"
#include "result.h"

typedef struct wb_graph_diff {
	size_t shd, missing, extra, orientation;
	size_t adj_a, adj_b, adj_both;	     /* adjacencies in A, in B, in both */
	size_t arrow_a, arrow_b, arrow_both; /* arrowheads likewise */
	double adj_precision, adj_recall, arrow_precision, arrow_recall;
} wb_graph_diff;

/* Compares a (the estimate) with b (the reference). Fills *diff (may be NULL); *summary (may
 * be NULL) is a new result with one row per measure (columns measure, value) and *edges (may
 * be NULL) a new result with one row per differing pair (columns x, y, in_a, in_b,
 * difference = "missing" | "extra" | "orientation"), in the order of a's nodes then b's. */
int wb_graph_compare(const wb_graph *a, const wb_graph *b, int as_cpdag, wb_graph_diff *diff,
		     wb_result **summary, wb_result **edges, wb_err *err);

/* The CPDAG (completed partially directed graph) of a DAG: its skeleton, its v-structures,
 * and the edges Meek's rules R1–R3 compel (Meek 1995; Chickering 1995). Node names, order,
 * roles and positions are kept. WB_EINVAL if g has an edge other than ->. *out is new. */
int wb_graph_cpdag(const wb_graph *g, wb_graph **out, wb_err *err);

/* The true graph of a generated dataset: the frame's attribute "truth" ("A -> B; C -> D", as
 * written by wb_simulate) over all the frame's columns as nodes, in column order.
 * WB_ENOTFOUND "the dataset has no true graph (only generated data carry one)" if absent;
 * WB_EPARSE if the text is not such a list. *out is new. */
int wb_graph_from_truth(const wb_frame *f, wb_graph **out, wb_err *err);

#endif
