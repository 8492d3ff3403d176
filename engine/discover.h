/*
 * discover.h — causal discovery: PC-stable and GES, background knowledge, bootstrap stability.
 *
 * Both algorithms read a frame's columns and return a CPDAG as a wb_graph (nodes named like
 * the columns, `->` for compelled edges, `--` for reversible ones) together with result tables:
 * the edges, for PC the adjacencies removed (with the separating set and the test that removed
 * them), and, when asked, the bootstrap frequencies.
 *
 *   PC-stable (Spirtes, Glymour & Scheines 2000; Colombo & Maathuis 2014, JMLR 15): at each
 *     conditioning depth d = 0, 1, ... the adjacency sets are frozen before any edge is
 *     removed; the pair X–Y is tested given every d-subset of adj(X)\{Y}, then of adj(Y)\{X},
 *     and removed at the first p > alpha, keeping that subset as sepset(X, Y) and the test's
 *     statistic and p-value. Unshielded triples X–Z–Y with Z not in sepset(X, Y) become
 *     colliders X -> Z <- Y. All colliders are found before any is applied; when two of them
 *     want arrowheads at both ends of one edge (a collider conflict) that edge is left
 *     undirected, is not oriented later, and the conflict is listed in the notes. Then Meek's
 *     rules R1–R4 (Meek 1995) orient what follows.
 *   GES (Chickering 2002, JMLR 3): greedy equivalence search over CPDAGs, forward (Insert)
 *     then backward (Delete), with the BIC score of linear-Gaussian data,
 *     s(Y, Pa) = −(n/2)·ln(σ²_{Y|Pa}) − λ·|Pa|, λ = ½·ln n (times `penalty`); local scores
 *     come from the correlation matrix (computed once) and are cached.
 *
 * Order independence: the variables are processed in the byte order of their names, not in
 * column order, and PC-stable's skeleton does not depend on the order of the edges, so the
 * same columns in any order give the same graph and tables.
 *
 * Background knowledge (wb_knowledge) — tiers (a temporal order: no edge from a later tier to
 * an earlier one; nodes in no tier are free), forbidden edges (A->B forbids that direction;
 * forbidding both directions forbids the adjacency) and required edges (A->B):
 *   PC: a forbidden adjacency is removed before any test (it has no sepset, so it makes no
 *     collider); a required adjacency is never tested or removed. Orientation: required and
 *     tier/forbid-implied directions are set first; a collider or Meek orientation that would
 *     put an arrowhead where knowledge forbids it is not made (it is noted).
 *   GES: an Insert whose new arrowheads break knowledge is skipped; required edges start in
 *     the graph and are never deleted; finally the implied directions are set and Meek's rules
 *     propagate them.
 *   Contradictory knowledge is refused by wb_knowledge_bind, with the reason.
 *
 * Ownership: objects returned through `**out` are the caller's; `const char *` arguments are
 * copied. Errors: 0 or a negative WB_E* code with one line in err; WB_ECANCEL when progress
 * was cancelled.
 */
#ifndef WB_DISCOVER_H
#define WB_DISCOVER_H

#include <stddef.h>

#include "citest.h"
#include "err.h"
#include "frame.h"
#include "graph.h"
#include "progress.h"
#include "result.h"
#include "rng.h"

/* ---- background knowledge ---- */

typedef struct wb_knowledge wb_knowledge;

/* New empty knowledge; NULL if out of memory. Free with wb_knowledge_free (NULL ok). */
wb_knowledge *wb_knowledge_new(void);
void wb_knowledge_free(wb_knowledge *k);

/* Adds tiers from text "A,B | C | Y" (tiers separated by '|', names by ',', blanks around
 * a name ignored, so a name may hold inner spaces; first tier earliest). WB_EPARSE for an empty
 * tier ("tiers: tier 2 is empty") or a name given twice ("tiers: 'A' is in tier 1 and tier 3"); the
 * knowledge is unchanged on error. Tiers may be given once. */
int wb_knowledge_set_tiers(wb_knowledge *k, const char *text, wb_err *err);
/* Adds forbidden (required == 0) or required edges from text "A->B, C->D" (also "A -> B").
 * WB_EPARSE for anything else ("forbid: 'A-B' is not an edge (write A->B)"). */
int wb_knowledge_add_edges(wb_knowledge *k, const char *text, int required, wb_err *err);
/* Nonzero if nothing was added. */
int wb_knowledge_empty(const wb_knowledge *k);
/* The knowledge as one line ("tiers A,B | C; forbid A->B; require C->D"), into buf. */
char *wb_knowledge_text(const wb_knowledge *k, char *buf, size_t size);

/* Checks the knowledge against variable names (the columns discovery will use) and for
 * contradictions, refusing (WB_EINVAL, one line) on: a name not among them ("knowledge:
 * unknown column 'Q'"), an edge from a node to itself, an edge both required and forbidden
 * ("knowledge: A -> B is both required and forbidden"), a required edge against the tiers
 * ("knowledge: required A -> B goes against the tiers: 'B' (tier 1) precedes 'A' (tier 2)"),
 * and required edges that make a cycle ("knowledge: required edges make a cycle: A -> B ->
 * A"). Discovery calls this itself; commands call it to reject knowledge when entered. */
int wb_knowledge_check(const wb_knowledge *k, const char *const *names, size_t n, wb_err *err);

/* ---- discovery ---- */

typedef struct wb_discover_options {
	double alpha;		       /* PC: significance level, 0 < alpha < 1; 0 means 0.05 */
	long depth;		       /* PC: largest conditioning set; < 0 unlimited */
	wb_ci_kind test;	       /* PC: CI test (WB_CI_AUTO: from the column kinds) */
	double penalty;		       /* GES: multiplier of the BIC penalty; 0 means 1 */
	const wb_knowledge *knowledge; /* may be NULL */
	size_t bootstrap;	       /* resamples for edge stability; 0: none */
	int threads;		       /* 0: 2 */
} wb_discover_options;

typedef enum { WB_DISCOVER_PC = 0, WB_DISCOVER_GES } wb_discover_algo;

/* What a discovery run returns. */
typedef struct wb_discovery {
	wb_graph *graph;      /* the CPDAG; with bootstrap, each edge's weight is the share of
				 resamples in which the adjacency appeared */
	wb_result *edges;     /* one row per edge: from, edge ("->" or "--"), to, with
				 bootstrap the frequency, for PC "max p" (the largest p-value
				 among the tests the edge survived; empty if never tested); notes:
				 algorithm, test, n, dropped rows,     knowledge, collider conflicts,
				 orientations knowledge refused */
	wb_result *removed;   /* PC only (else NULL): one row per removed adjacency: x, y,
				 sepset, depth, statistic, p, df ("knowledge" for forbidden ones) */
	wb_result *bootstrap; /* with bootstrap=N (else NULL): one row per pair adjacent in any
				 resample: x, y, present, "x -> y", "x <- y", "x -- y", then
				 in_graph (the full-data edge, "" if none) */
} wb_discovery;

void wb_discovery_free(wb_discovery *d);

/* Runs PC-stable or GES over columns cols[0..ncols-1] of f (at least 2). rng is used only for
 * bootstrap resamples: replicate r draws its rows from wb_rng_split(rng, r), so the result
 * does not depend on the number of threads. GES needs Fisher-z-able (numeric or binary)
 * columns. progress may be NULL. *out is filled with new objects. Fails with the messages of
 * wb_citest_new and wb_knowledge_check, or WB_ECANCEL. */
int wb_discover(wb_discover_algo algo, const wb_frame *f, const size_t *cols, size_t ncols,
		const wb_discover_options *opt, wb_rng *rng, wb_progress *progress,
		wb_discovery *out, wb_err *err);

#endif
