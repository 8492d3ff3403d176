/*
 * discover_impl.h — the inside of discovery, shared by discover.c (knowledge, orientation,
 * bootstrap, results), discover_pc.c and discover_ges.c. Not part of the public interface.
 *
 * Variables are numbered 0 .. p-1 in the order discovery works in (the names' version order);
 * a partially directed graph is a p × p matrix of edge marks like wb_graph's:
 * m[a*p + b] is the mark at b's end of the edge a–b (WB_MARK_NONE: not adjacent), so a -> b
 * holds when m[a][b] == ARROW and m[b][a] == TAIL, and a -- b when both are TAIL.
 */
#ifndef WB_DISCOVER_IMPL_H
#define WB_DISCOVER_IMPL_H

#include "discover.h"

#include <stddef.h>

typedef struct wb_pdag {
	size_t p;
	unsigned char *m;
} wb_pdag;

wb_pdag *wb_pdag_new(size_t p);
wb_pdag *wb_pdag_copy(const wb_pdag *g);
void wb_pdag_free(wb_pdag *g);

static inline int wb_pdag_adj(const wb_pdag *g, size_t a, size_t b)
{
	return g->m[a * g->p + b] != WB_MARK_NONE;
}
static inline int wb_pdag_dir(const wb_pdag *g, size_t a, size_t b) /* a -> b */
{
	return g->m[a * g->p + b] == WB_MARK_ARROW && g->m[b * g->p + a] == WB_MARK_TAIL;
}
static inline int wb_pdag_undir(const wb_pdag *g, size_t a, size_t b) /* a -- b */
{
	return g->m[a * g->p + b] == WB_MARK_TAIL && g->m[b * g->p + a] == WB_MARK_TAIL;
}
static inline void wb_pdag_set(wb_pdag *g, size_t a, size_t b, wb_mark at_a, wb_mark at_b)
{
	g->m[b * g->p + a] = (unsigned char)at_a;
	g->m[a * g->p + b] = (unsigned char)at_b;
}
/* Nonzero if a directed path a -> ... -> b exists (a == b counts). */
int wb_pdag_dir_path(const wb_pdag *g, size_t a, size_t b);

/* s[0..len) without surrounding blanks, as a new string; NULL if out of memory. */
char *wb_disc_trimmed(const char *s, size_t len);

/* Knowledge bound to variables 0 .. p-1. */
typedef struct wb_kb {
	size_t p;
	int any;		/* 0: no knowledge at all */
	unsigned char *forbid;	/* forbid[a*p+b]: a -> b is forbidden (explicitly or by tiers) */
	unsigned char *require; /* require[a*p+b]: a -> b is required */
} wb_kb;

/* Binds k (may be NULL) to names[0..p-1], checking it (wb_knowledge_check's messages). */
int wb_kb_bind(const wb_knowledge *k, const char *const *names, size_t p, wb_kb *out, wb_err *err);
void wb_kb_free(wb_kb *kb);
static inline int wb_kb_allows(const wb_kb *kb, size_t a, size_t b) /* a -> b allowed */
{
	return !kb->any || !kb->forbid[a * kb->p + b];
}

/* Messages collected during a run (collider conflicts, refused orientations); not kept in
 * bootstrap replicates. */
typedef struct wb_disc_notes {
	char **line;
	size_t n, cap;
	const char *const *names;
} wb_disc_notes;
void wb_disc_note(wb_disc_notes *nt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wb_disc_notes_free(wb_disc_notes *nt);

/* Orients the undirected edges that knowledge decides (required, or one direction
 * forbidden). nt may be NULL. */
void wb_pdag_apply_knowledge(wb_pdag *g, const wb_kb *kb, wb_disc_notes *nt);
/* Meek's rules R1–R4 (Meek 1995) to closure; locked (p × p, may be NULL) marks edges to leave
 * alone, kb (may be NULL) forbids orientations; an orientation that would close a directed
 * cycle is not made. */
void wb_pdag_meek(wb_pdag *g, const unsigned char *locked, const wb_kb *kb);
/* Replaces a DAG-extendable PDAG by the CPDAG of its extension: a consistent DAG extension
 * (Dor & Tarsi 1992), then its v-structures and Meek's rules R1–R3 (Meek 1995). Returns 0, or
 * -1 (graph unchanged) if the PDAG has no consistent extension. */
int wb_pdag_to_cpdag(wb_pdag *g);

/* One removed adjacency of PC. */
typedef struct wb_pc_removal {
	size_t x, y, depth;
	size_t *S, ns;
	double stat, p, df;
	int knowledge; /* removed as forbidden, without a test */
} wb_pc_removal;

typedef struct wb_pc_log {
	wb_pc_removal *rm;
	size_t n, cap;
	size_t ntests;
	double *maxp; /* p × p (x < y): the largest p-value among the tests x–y survived; -1 if
			 none; NULL unless the caller allocated it */
} wb_pc_log;
void wb_pc_log_free(wb_pc_log *log);

/* A run's inputs: the CI test context over the p variables (in discovery order), the
 * knowledge, the options; progress from..to is this run's share of the job. */
typedef struct wb_disc_run {
	const wb_citest *ci;
	const wb_kb *kb;
	const wb_discover_options *opt;
	wb_progress *progress;
	double from, to;
	int threads;
	wb_disc_notes *notes; /* NULL in replicates */
} wb_disc_run;

/* PC-stable; *out a new CPDAG; log (may be NULL) receives the removals. */
int wb_pc_search(const wb_disc_run *run, wb_pdag **out, wb_pc_log *log, wb_err *err);
/* GES with BIC; *out a new CPDAG; *nscores (may be NULL) the local scores computed. */
int wb_ges_search(const wb_disc_run *run, wb_pdag **out, size_t *nscores, wb_err *err);

#endif
