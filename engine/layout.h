/*
 * layout.h — automatic layered drawing of a wb_graph on a grid of character cells.
 *
 * The method is Sugiyama's (Sugiyama, Tagawa & Toda 1981) in the form Gansner, Koutsofios,
 * North & Vo (1993, "A technique for drawing directed graphs") describe:
 *
 *   1. layers — longest path over the directed edges, each node one layer below its lowest
 *      parent; an undirected edge counts as directed along a topological order (so a CPDAG
 *      still draws top to bottom), a bidirected edge does not constrain layers; a source is
 *      then pulled down to sit just above its highest child;
 *   2. dummy nodes split every edge that spans more than one layer;
 *   3. crossing reduction — barycenter sweeps down and up (Sugiyama et al. 1981, §3), keeping
 *      the best order seen, then Gansner et al.'s transposition of neighbours;
 *   4. coordinates — each node as near the mean of its neighbours in the layer just placed as
 *      the order and the spacing allow: a weighted least-squares placement under order
 *      constraints, solved exactly per layer by pool-adjacent-violators (Best & Chakravarti
 *      1990), swept down and up; edge chains through dummies weigh more, so long edges run
 *      straight (the Ω weights of Gansner et al. 1993, §4);
 *   5. routes — orthogonal polylines: down from a port under the upper node, along a
 *      horizontal track in the gap between the layers, down into a port over the lower node.
 *      Tracks are assigned so that horizontal runs keep a blank column between them and an
 *      edge that leaves a column turns off above one that arrives in it; where two edges swap
 *      columns within one gap, one of them jogs through a free column on two tracks. So
 *      routes cross but never run together. Ports are spread over a node's width in the
 *      order of the other ends, so edges do not share a column. Two
 *      nodes side by side in one layer are joined straight along their row; other edges
 *      within a layer run through a track in the gap above it.
 *
 * Node positions set in the graph (wb_graph_pos: a dagitty `pos`, `graph move`) are kept:
 * a positioned node sits in layer round(y) (y grows downwards, as in dagitty) and its centre
 * at column x·WB_LAYOUT_XUNIT, relative to the unpositioned nodes, whose positions are in the
 * same units (wb_layout_node_unit). Edges may then run upwards; arrows follow the marks.
 *
 * Coordinates: column x, row y, both from 0 at the top left of the drawing, which is
 * wb_layout_width × wb_layout_height cells. Each node is drawn on one row, as a label
 * `width[i]` cells wide. Pure computation: no curses, no output.
 *
 * Ownership: wb_layout_compute returns a new layout the caller frees with wb_layout_free
 * (which accepts NULL); it keeps no pointer to the graph. Routes returned by
 * wb_layout_edge_route are borrowed and live as long as the layout.
 */
#ifndef WB_LAYOUT_H
#define WB_LAYOUT_H

#include <stddef.h>

#include "err.h"
#include "graph.h"

/* Columns per position unit in x (a position's y is a layer). */
#define WB_LAYOUT_XUNIT 6

typedef struct wb_layout wb_layout;

/* One cell of a route. */
typedef struct wb_layout_point {
	int x, y;
} wb_layout_point;

/* Lays out g. width[i] is the number of cells node i's label takes (at least 1); NULL means
 * the name's length in characters plus 2 (for brackets). Deterministic: the same graph and
 * widths give the same layout. *out is a new layout (caller frees); on failure *out is NULL
 * and the result is WB_ENOMEM ("out of memory") or WB_EINVAL (a width below 1). */
int wb_layout_compute(const wb_graph *g, const int *width, wb_layout **out, wb_err *err);
void wb_layout_free(wb_layout *l);

/* Size of the drawing in cells. */
int wb_layout_width(const wb_layout *l);
int wb_layout_height(const wb_layout *l);

/* Number of nodes (the graph's, in its index order) and of layers. */
size_t wb_layout_nnodes(const wb_layout *l);
int wb_layout_nlayers(const wb_layout *l);

/* Node i's label: row *y, columns *x .. *x + *w - 1. *w is the width asked for, or more for
 * a node with many edges on one side (a port every other column): draw the label centred. */
void wb_layout_node_box(const wb_layout *l, size_t i, int *x, int *y, int *w);
/* Node i's layer (0 at the top) and its place in the layer's left-to-right order (0 first;
 * dummy nodes count). */
int wb_layout_node_layer(const wb_layout *l, size_t i);
int wb_layout_node_order(const wb_layout *l, size_t i);
/* Where node i is in position units (what `graph move` takes): x = centre column /
 * WB_LAYOUT_XUNIT, y = layer, both before the drawing is shifted to start at 0, so setting
 * these as its position leaves the node where it is. */
void wb_layout_node_unit(const wb_layout *l, size_t i, double *x, double *y);

/* Edges, in the graph's wb_graph_edge_at order: edge k joins nodes *a < *b. */
size_t wb_layout_nedges(const wb_layout *l);
void wb_layout_edge(const wb_layout *l, size_t k, size_t *a, size_t *b);
/* The cells edge k passes through, from the cell next to node a (where a's mark is drawn) to
 * the cell next to node b; consecutive points are in one row or one column (the cells between
 * are part of the route). Returns the number of points (at least 1); *pts is borrowed. */
size_t wb_layout_edge_route(const wb_layout *l, size_t k, const wb_layout_point **pts);

/* Crossings between consecutive layers (edge segments through dummies count), as Sugiyama's
 * criterion counts them: *initial for the first order (nodes by index), *final for the order
 * drawn. Either pointer may be NULL. */
void wb_layout_crossings(const wb_layout *l, long *initial, long *final);

#endif
