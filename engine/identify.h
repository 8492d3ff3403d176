/*
 * identify.h — what a causal graph says about an effect: d-separation, adjustment sets,
 * frontdoor sets, instruments, the role of each node, and the graph's testable implications.
 *
 * Methods (each cited again at its code in identify.c):
 *   d-separation        reachability over (node, arrival mark) states, the "Bayes-ball" of
 *                       Shachter 1998 / Koller & Friedman 2009 alg. 3.1, extended to bidirected
 *                       edges (m-separation, Richardson 2003): a collider passes when it is an
 *                       ancestor of the conditioning set, any other node when it is not in it.
 *   backdoor criterion  Pearl 2009, def. 3.3.1: Z holds no descendant of X and blocks every
 *                       path between X and Y that starts with an arrow into X.
 *   adjustment sets     the generalized adjustment criterion (Shpitser et al. 2010; Perković et
 *                       al. 2018): Z avoids the descendants of the nodes on proper causal paths
 *                       and d-separates X and Y in the proper backdoor graph. All minimal sets are
 *                       listed with van der Zander, Liśkiewicz & Textor 2019 (AIJ 270): the
 *                       augmented (moral) graph of An(X ∪ Y ∪ I) and Takata's 2010 backtracking
 *                       enumeration of minimal vertex separators, each found in polynomial time.
 *                       For a single exposure these are exactly the minimal backdoor sets.
 *   frontdoor           Pearl 1995: Z intercepts every directed path X → Y, there is no open
 *                       backdoor path from X to Z, and X blocks every backdoor path Z → Y.
 *   instruments         Z is associated with X given W and d-separated from Y given W in the
 *                       graph without X's outgoing edges, W a set of non-descendants of X and Y
 *                       (W = ∅: an instrument; W ≠ ∅: a conditional instrument, Brito & Pearl
 *                       2002; van der Zander, Textor & Liśkiewicz 2015 for searching W among
 *                       the minimal Z–Y separators).
 *   implications        DAGitty's "missing edge" list: for each pair of observed nodes that are
 *                       not adjacent and can be separated, the smallest minimal separators
 *                       (Textor et al. 2016, dagitty's impliedConditionalIndependencies).
 *
 * Graphs: DAGs, ADMGs (a bidirected edge is a latent common cause) and CPDAGs. Latent nodes
 * (WB_ROLE_LATENT) are never conditioned on and never enter a set. A graph with circle marks
 * (a PAG) is refused. Undirected edges (a CPDAG, after discovery): the effect is identified by
 * adjustment only when the graph is amenable (Perković et al. 2018) — no possibly causal path
 * from X to Y starts with an undirected edge; otherwise the edge is named ("X -- M is not
 * oriented and starts a possibly causal path to Y") and no set is listed. In an amenable graph
 * the forbidden nodes are the possible descendants (along -> and --) of the nodes on proper
 * possibly causal paths, and separation is checked in one DAG of the class (a consistent
 * extension, Dor & Tarsi 1992), which Perković et al. 2018 show gives the same sets. Frontdoor
 * and instrument searches need every relevant edge oriented and report "needs a DAG or ADMG"
 * otherwise.
 *
 * Node sets are arrays of node indices (wb_graph order). Sets returned are sorted ascending;
 * lists of sets are sorted by size, then lexicographically by index. Ownership: everything in
 * a wb_sets / wb_identification / wb_implication array belongs to the caller and is released
 * with the matching _free function (which accepts an empty or zeroed structure). Errors: 0 or a
 * negative WB_E* code with one line in err: WB_EINVAL for an index out of range, an empty X or
 * Y, a node both in X and Y, a latent exposure or outcome, a PAG.
 */
#ifndef WB_IDENTIFY_H
#define WB_IDENTIFY_H

#include <stddef.h>

#include "err.h"
#include "graph.h"

/* Listing stops after this many sets (the list is then marked truncated). */
#define WB_IDENTIFY_MAX_SETS 1000

/* A list of node sets. */
typedef struct wb_sets {
	size_t n;     /* how many sets */
	size_t **set; /* set[k]: size[k] node indices, ascending */
	size_t *size;
	int truncated; /* the listing stopped at WB_IDENTIFY_MAX_SETS */
} wb_sets;

void wb_identify_sets_free(wb_sets *s);

/* ---- separation ---- */

/* *separated = 1 if X and Y are d-separated (m-separated) given Z, else 0. X, Y, Z must be
 * disjoint; Z may hold latent nodes only here (a what-if question). */
int wb_identify_dsep(const wb_graph *g, const size_t *x, size_t nx, const size_t *y, size_t ny,
		     const size_t *z, size_t nz, int *separated, wb_err *err);

/* A path between X and Y that is open given Z, written out ("X <- U -> Y", "X <-> Y"), into
 * buf; returns 1 if one was found, 0 if X and Y are d-separated given Z (buf then ""), or a
 * negative error. Prefers short paths. */
int wb_identify_open_path(const wb_graph *g, const size_t *x, size_t nx, const size_t *y, size_t ny,
			  const size_t *z, size_t nz, char *buf, size_t size, wb_err *err);

/* ---- adjustment ---- */

/* Pearl's backdoor criterion for Z relative to (X, Y): *valid = 1 or 0; when 0, why (may be
 * NULL) says which condition fails: "Z contains M, a descendant of X" or "open backdoor
 * path: X <- U -> Y". */
int wb_identify_is_backdoor(const wb_graph *g, const size_t *x, size_t nx, const size_t *y,
			    size_t ny, const size_t *z, size_t nz, int *valid, char *why,
			    size_t whysize, wb_err *err);

/* The generalized adjustment criterion for Z relative to (X, Y) (see the top); *valid and why
 * as for wb_identify_is_backdoor. */
int wb_identify_is_adjustment(const wb_graph *g, const size_t *x, size_t nx, const size_t *y,
			      size_t ny, const size_t *z, size_t nz, int *valid, char *why,
			      size_t whysize, wb_err *err);

/* All minimal adjustment sets for the effect of X on Y that contain every node of include
 * (may be NULL; "I-minimal" as in van der Zander et al. 2019: no proper subset that still
 * contains include is valid). out->n == 0 means no adjustment set exists (see
 * wb_identify_effect for why); the empty set, when valid, is one set of size 0 and is then the
 * only one. This is the call behind the default adjust= of estimate and the graph pane. */
int wb_identify_adjustment_sets(const wb_graph *g, const size_t *x, size_t nx, const size_t *y,
				size_t ny, const size_t *include, size_t ninclude, wb_sets *out,
				wb_err *err);

/* ---- everything about one effect ---- */

typedef struct wb_instrument {
	size_t node;   /* the instrument */
	size_t *given; /* the conditioning set W (ngiven == 0: unconditional) */
	size_t ngiven;
} wb_instrument;

typedef struct wb_identification {
	int amenable;			 /* 0: an undirected edge starts a possibly causal path */
	wb_sets adjustment;		 /* all minimal adjustment sets */
	char adjustment_why[WB_ERR_MAX]; /* when none: why, with the open path written out */
	wb_sets frontdoor;		 /* minimal frontdoor sets (one exposure, one outcome) */
	char frontdoor_why[WB_ERR_MAX];
	wb_instrument *instruments; /* by node index; each with the smallest W found */
	size_t ninstruments;
	char instrument_why[WB_ERR_MAX];
} wb_identification;

/* Runs every strategy for the effect of X on Y. Frontdoor sets and instruments are searched
 * for one exposure and one outcome only (with several, their lists stay empty and the why
 * says so). Free with wb_identify_free. */
int wb_identify_effect(const wb_graph *g, const size_t *x, size_t nx, const size_t *y, size_t ny,
		       wb_identification *out, wb_err *err);
void wb_identify_free(wb_identification *id);

/* ---- roles ---- */

/* What a node is for the effect of X on Y (bit flags; a node may have several). */
enum {
	WB_NODE_EXPOSURE = 1 << 0,
	WB_NODE_OUTCOME = 1 << 1,
	WB_NODE_CONFOUNDER = 1 << 2,	 /* ancestor of X and, not through X, of Y */
	WB_NODE_MEDIATOR = 1 << 3,	 /* on a directed path X → … → Y */
	WB_NODE_COLLIDER = 1 << 4, /* arrowheads meet at it from nodes joined to X and to Y by paths
				    * that avoid it: a collider on a path between X and Y */
	WB_NODE_OUTCOME_DESC = 1 << 5,	 /* descendant of Y */
	WB_NODE_EXPOSURE_DESC = 1 << 6,	 /* descendant of X, not a mediator */
	WB_NODE_EXPOSURE_CAUSE = 1 << 7, /* ancestor of X only */
	WB_NODE_OUTCOME_CAUSE = 1 << 8,	 /* ancestor of Y only, not through X */
	WB_NODE_INSTRUMENT = 1 << 9,	 /* an instrument (possibly conditional) */
	WB_NODE_LATENT = 1 << 10
};
#define WB_NODE_NROLES 11

/* roles[i] (nnodes entries) = WB_NODE_* flags of node i; 0 means irrelevant to the effect. */
int wb_identify_roles(const wb_graph *g, const size_t *x, size_t nx, const size_t *y, size_t ny,
		      int *roles, wb_err *err);
/* "exposure", "outcome", "confounder", "mediator", "collider", "descendant of outcome",
 * "descendant of exposure", "cause of exposure", "cause of outcome", "instrument", "latent"
 * for one flag; "irrelevant" for 0. */
const char *wb_identify_role_name(int flag);

/* ---- testable implications ---- */

typedef struct wb_implication {
	size_t a, b;   /* a < b, not adjacent */
	size_t *given; /* a minimal separator of the smallest size (may be empty) */
	size_t ngiven;
} wb_implication;

/* The conditional independences the graph implies, DAGitty's "missing edge" list: for each
 * non-adjacent pair of observed nodes (a < b, in index order) that some set of observed nodes
 * separates, one entry per minimal separator of the smallest size (at most 8 per pair).
 * *out is a new array of *n entries (NULL if none); free with wb_identify_implications_free. */
int wb_identify_implications(const wb_graph *g, wb_implication **out, size_t *n, wb_err *err);
void wb_identify_implications_free(wb_implication *imp, size_t n);

#endif
