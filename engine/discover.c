/* discover.c — the discovery driver: variable order, orientation rules shared by PC and GES,
 * bootstrap stability, and the graph and result tables handed back. See discover.h. */
#include "discover_impl.h"
#include "parallel.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- partially directed graphs ---- */

wb_pdag *wb_pdag_new(size_t p)
{
	wb_pdag *g = malloc(sizeof *g);
	if (!g)
		return NULL;
	g->p = p;
	if (!(g->m = calloc(p ? p * p : 1, 1))) {
		free(g);
		return NULL;
	}
	return g;
}

wb_pdag *wb_pdag_copy(const wb_pdag *g)
{
	wb_pdag *c = wb_pdag_new(g->p);
	if (c)
		memcpy(c->m, g->m, g->p * g->p);
	return c;
}

void wb_pdag_free(wb_pdag *g)
{
	if (g) {
		free(g->m);
		free(g);
	}
}

int wb_pdag_dir_path(const wb_pdag *g, size_t a, size_t b)
{
	if (a == b)
		return 1;
	size_t p = g->p, *queue = malloc(p * sizeof *queue);
	unsigned char *seen = calloc(p, 1);
	int found = 0;
	if (!queue || !seen) { /* assume the worst: the caller then makes no orientation */
		free(queue);
		free(seen);
		return 1;
	}
	size_t head = 0, tail = 0;
	queue[tail++] = a;
	seen[a] = 1;
	while (head < tail && !found) {
		size_t v = queue[head++];
		for (size_t w = 0; w < p; w++)
			if (!seen[w] && wb_pdag_dir(g, v, w)) {
				if (w == b) {
					found = 1;
					break;
				}
				seen[w] = 1;
				queue[tail++] = w;
			}
	}
	free(queue);
	free(seen);
	return found;
}

/* ---- notes ---- */

void wb_disc_note(wb_disc_notes *nt, const char *fmt, ...)
{
	if (!nt)
		return;
	if (nt->n == nt->cap) {
		size_t cap = nt->cap ? 2 * nt->cap : 8;
		char **l = realloc(nt->line, cap * sizeof *l);
		if (!l)
			return;
		nt->line = l;
		nt->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&nt->line[nt->n], fmt, ap) >= 0)
		nt->n++;
	va_end(ap);
}

void wb_disc_notes_free(wb_disc_notes *nt)
{
	for (size_t i = 0; i < nt->n; i++)
		free(nt->line[i]);
	free(nt->line);
	nt->line = NULL;
	nt->n = nt->cap = 0;
}

/* ---- orientation ---- */

void wb_pdag_apply_knowledge(wb_pdag *g, const wb_kb *kb, wb_disc_notes *nt)
{
	if (!kb || !kb->any)
		return;
	size_t p = g->p;
	for (size_t a = 0; a < p; a++)
		for (size_t b = 0; b < p; b++) {
			if (!wb_pdag_adj(g, a, b))
				continue;
			int ab = wb_kb_allows(kb, a, b), ba = wb_kb_allows(kb, b, a);
			if (wb_pdag_undir(g, a, b) && ab && !ba) {
				if (!wb_pdag_dir_path(g, b, a))
					wb_pdag_set(g, a, b, WB_MARK_TAIL, WB_MARK_ARROW);
				else if (nt)
					wb_disc_note(
					    nt,
					    "knowledge orients %s -> %s, but that would close "
					    "a directed cycle: left undirected",
					    nt->names[a], nt->names[b]);
			} else if (wb_pdag_dir(g, a, b) && !ab && nt) {
				wb_disc_note(nt, "the data orient %s -> %s against the knowledge",
					     nt->names[a], nt->names[b]);
			}
		}
}

static int can_orient(const wb_pdag *g, const unsigned char *locked, const wb_kb *kb, size_t a,
		      size_t b)
{
	return wb_pdag_undir(g, a, b) && !(locked && locked[a * g->p + b]) &&
	       (!kb || wb_kb_allows(kb, a, b));
}

/* R1: c -> a -- b, c and b not adjacent. */
static int meek_r1(const wb_pdag *g, size_t a, size_t b)
{
	for (size_t c = 0; c < g->p; c++)
		if (c != b && wb_pdag_dir(g, c, a) && !wb_pdag_adj(g, c, b))
			return 1;
	return 0;
}

/* R2: a -> c -> b and a -- b. */
static int meek_r2(const wb_pdag *g, size_t a, size_t b)
{
	for (size_t c = 0; c < g->p; c++)
		if (wb_pdag_dir(g, a, c) && wb_pdag_dir(g, c, b))
			return 1;
	return 0;
}

/* R3: a -- c -> b, a -- d -> b, c and d not adjacent, a -- b. */
static int meek_r3(const wb_pdag *g, size_t a, size_t b)
{
	for (size_t c = 0; c < g->p; c++) {
		if (!wb_pdag_undir(g, a, c) || !wb_pdag_dir(g, c, b))
			continue;
		for (size_t d = c + 1; d < g->p; d++)
			if (wb_pdag_undir(g, a, d) && wb_pdag_dir(g, d, b) && !wb_pdag_adj(g, c, d))
				return 1;
	}
	return 0;
}

/* R4: a -- k -> l -> b, a adjacent to l, k and b not adjacent, a -- b. */
static int meek_r4(const wb_pdag *g, size_t a, size_t b)
{
	for (size_t l = 0; l < g->p; l++) {
		if (l == a || !wb_pdag_dir(g, l, b) || !wb_pdag_adj(g, a, l))
			continue;
		for (size_t k = 0; k < g->p; k++)
			if (k != b && wb_pdag_undir(g, a, k) && wb_pdag_dir(g, k, l) &&
			    !wb_pdag_adj(g, k, b))
				return 1;
	}
	return 0;
}

void wb_pdag_meek(wb_pdag *g, const unsigned char *locked, const wb_kb *kb)
{
	size_t p = g->p;
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t a = 0; a < p; a++)
			for (size_t b = 0; b < p; b++) {
				if (!can_orient(g, locked, kb, a, b))
					continue;
				if ((meek_r1(g, a, b) || meek_r2(g, a, b) || meek_r3(g, a, b) ||
				     meek_r4(g, a, b)) &&
				    !wb_pdag_dir_path(g, b, a)) {
					wb_pdag_set(g, a, b, WB_MARK_TAIL, WB_MARK_ARROW);
					changed = 1;
				}
			}
	}
}

/* A consistent DAG extension of g into d (Dor & Tarsi 1992): repeatedly take a node x that
 * has no outgoing directed edge and whose undirected neighbours are adjacent to every other
 * node adjacent to x, direct its undirected edges into x, and remove it. */
static int dag_extension(const wb_pdag *g, wb_pdag *d)
{
	size_t p = g->p;
	memcpy(d->m, g->m, p * p);
	unsigned char *alive = malloc(p);
	if (!alive)
		return -1;
	memset(alive, 1, p);
	int rc = 0;
	for (size_t left = p; left > 0 && !rc; left--) {
		size_t x = p;
		for (size_t c = 0; c < p && x == p; c++) {
			if (!alive[c])
				continue;
			int ok = 1;
			for (size_t y = 0; y < p && ok; y++) {
				if (!alive[y] || y == c)
					continue;
				if (wb_pdag_dir(d, c, y))
					ok = 0;
				else if (wb_pdag_undir(d, c, y))
					for (size_t z = 0; z < p && ok; z++)
						if (alive[z] && z != y && z != c &&
						    wb_pdag_adj(d, c, z) && !wb_pdag_adj(d, y, z))
							ok = 0;
			}
			if (ok)
				x = c;
		}
		if (x == p) {
			rc = -1;
			break;
		}
		for (size_t y = 0; y < p; y++)
			if (alive[y] && wb_pdag_undir(d, y, x))
				wb_pdag_set(d, y, x, WB_MARK_TAIL, WB_MARK_ARROW);
		alive[x] = 0;
	}
	free(alive);
	return rc;
}

int wb_pdag_to_cpdag(wb_pdag *g)
{
	size_t p = g->p;
	wb_pdag *d = wb_pdag_new(p);
	if (!d || dag_extension(g, d) < 0) {
		wb_pdag_free(d);
		return -1;
	}
	for (size_t a = 0; a < p; a++)
		for (size_t b = 0; b < p; b++)
			g->m[a * p + b] = wb_pdag_adj(d, a, b) ? WB_MARK_TAIL : WB_MARK_NONE;
	for (size_t c = 0; c < p; c++)
		for (size_t a = 0; a < p; a++) {
			if (!wb_pdag_dir(d, a, c))
				continue;
			for (size_t b = a + 1; b < p; b++)
				if (wb_pdag_dir(d, b, c) && !wb_pdag_adj(d, a, b)) {
					wb_pdag_set(g, a, c, WB_MARK_TAIL, WB_MARK_ARROW);
					wb_pdag_set(g, b, c, WB_MARK_TAIL, WB_MARK_ARROW);
				}
		}
	wb_pdag_meek(g, NULL, NULL);
	wb_pdag_free(d);
	return 0;
}

void wb_pc_log_free(wb_pc_log *log)
{
	for (size_t i = 0; i < log->n; i++)
		free(log->rm[i].S);
	free(log->rm);
	free(log->maxp);
	log->rm = NULL;
	log->maxp = NULL;
	log->n = log->cap = 0;
}

void wb_discovery_free(wb_discovery *d)
{
	if (!d)
		return;
	wb_graph_free(d->graph);
	wb_result_free(d->edges);
	wb_result_free(d->removed);
	wb_result_free(d->bootstrap);
	memset(d, 0, sizeof *d);
}

/* ---- one search ---- */

static int search(wb_discover_algo algo, const wb_disc_run *run, wb_pdag **g, wb_pc_log *log,
		  size_t *nscores, wb_err *err)
{
	return algo == WB_DISCOVER_PC ? wb_pc_search(run, g, log, err)
				      : wb_ges_search(run, g, nscores, err);
}

/* ---- bootstrap ---- */

typedef struct boot_counts {
	size_t *adj, *dir, *undir; /* p × p: pair a < b present; a -> b; a -- b (a < b) */
	size_t ok, failed;
	char first_error[WB_ERR_MAX];
} boot_counts;

typedef struct boot_job {
	wb_discover_algo algo;
	const wb_frame *f;
	const size_t *vcols;
	size_t p;
	const wb_kb *kb;
	const wb_discover_options *opt;
	wb_ci_kind kind;
	wb_rng *rng;
	wb_progress *progress;
	size_t total;
	atomic_size_t *done;
	boot_counts c;
	int rc;
	wb_err err;
} boot_job;

/* Part k of the T parts: resamples k, k + T, ... into job k, if its counts could be
 * allocated. */
static void boot_part(void *ctx, int part, int parts)
{
	boot_job *J = (boot_job *)ctx + part;
	if (J->rc)
		return;
	size_t N = wb_frame_nrows(J->f), p = J->p;
	size_t *rows = malloc(N * sizeof *rows);
	if (!rows) {
		J->rc = wb_err_set(&J->err, WB_ENOMEM, "out of memory for a resample");
		return;
	}
	for (size_t r = (size_t)part; r < J->total && !J->rc; r += (size_t)parts) {
		if (wb_progress_cancelled(J->progress)) {
			J->rc = wb_err_set(&J->err, WB_ECANCEL, "cancelled");
			break;
		}
		wb_rng *rr = wb_rng_split(J->rng, r);
		if (!rr) {
			J->rc = wb_err_set(&J->err, WB_ENOMEM, "out of memory");
			break;
		}
		for (size_t i = 0; i < N; i++)
			rows[i] = wb_rng_int(rr, N);
		wb_rng_free(rr);
		wb_ci_options co = {J->kind, rows, N, 1};
		wb_citest *ci = NULL;
		wb_pdag *g = NULL;
		wb_err e;
		int rc = wb_citest_new(J->f, J->vcols, p, &co, NULL, &ci, &e);
		if (!rc) {
			wb_disc_run run = {ci, J->kb, J->opt, J->progress, 0, 0, 1, NULL};
			rc = search(J->algo, &run, &g, NULL, NULL, &e);
		}
		wb_citest_free(ci);
		if (rc == WB_ECANCEL || rc == WB_ENOMEM) {
			J->rc = wb_err_set(&J->err, rc, "%s", e.msg);
		} else if (rc) {
			if (!J->c.failed++)
				snprintf(J->c.first_error, sizeof J->c.first_error, "%s", e.msg);
		} else {
			J->c.ok++;
			for (size_t a = 0; a < p; a++)
				for (size_t b = 0; b < p; b++) {
					if (a < b && wb_pdag_adj(g, a, b))
						J->c.adj[a * p + b]++;
					if (a < b && wb_pdag_undir(g, a, b))
						J->c.undir[a * p + b]++;
					if (wb_pdag_dir(g, a, b))
						J->c.dir[a * p + b]++;
				}
		}
		wb_pdag_free(g);
		size_t d = atomic_fetch_add(J->done, 1) + 1;
		wb_progress_set(J->progress, J->opt->bootstrap
						 ? (0.2 + 0.8 * (double)d / (double)J->total)
						 : 1.0);
	}
	free(rows);
}

static int bootstrap(wb_discover_algo algo, const wb_frame *f, const size_t *vcols, size_t p,
		     const wb_kb *kb, const wb_discover_options *opt, wb_ci_kind kind, wb_rng *rng,
		     wb_progress *progress, int threads, boot_counts *out, wb_err *err)
{
	/* at most 8 parts, as ever: the interleave decides which failed resample is named first */
	if (threads > 8)
		threads = 8;
	size_t B = opt->bootstrap, T = (size_t)wb_parallel_parts(B, threads, 1);
	boot_job jobs[8];
	atomic_size_t done = 0;
	int rc = 0;
	memset(out, 0, sizeof *out);
	for (size_t t = 0; t < T; t++) {
		jobs[t] = (boot_job){.algo = algo,
				     .f = f,
				     .vcols = vcols,
				     .p = p,
				     .kb = kb,
				     .opt = opt,
				     .kind = kind,
				     .rng = rng,
				     .progress = progress,
				     .total = B,
				     .done = &done};
		jobs[t].c.adj = calloc(p * p, sizeof(size_t));
		jobs[t].c.dir = calloc(p * p, sizeof(size_t));
		jobs[t].c.undir = calloc(p * p, sizeof(size_t));
		if (!jobs[t].c.adj || !jobs[t].c.dir || !jobs[t].c.undir)
			jobs[t].rc = wb_err_set(&jobs[t].err, WB_ENOMEM, "out of memory");
	}
	wb_parallel_interleave(B, threads, 1, boot_part, jobs);
	for (size_t t = 0; t < T; t++)
		if (jobs[t].rc && !rc)
			rc = wb_err_set(err, jobs[t].rc, "bootstrap: %s", jobs[t].err.msg);
	*out = jobs[0].c;
	for (size_t t = 1; t < T; t++) {
		for (size_t i = 0; i < p * p; i++) {
			out->adj[i] += jobs[t].c.adj ? jobs[t].c.adj[i] : 0;
			out->dir[i] += jobs[t].c.dir ? jobs[t].c.dir[i] : 0;
			out->undir[i] += jobs[t].c.undir ? jobs[t].c.undir[i] : 0;
		}
		out->ok += jobs[t].c.ok;
		if (jobs[t].c.failed && !out->failed)
			memcpy(out->first_error, jobs[t].c.first_error, sizeof out->first_error);
		out->failed += jobs[t].c.failed;
		free(jobs[t].c.adj);
		free(jobs[t].c.dir);
		free(jobs[t].c.undir);
	}
	if (!rc && out->ok == 0)
		rc = wb_err_set(err, WB_ENUMERIC, "bootstrap: every resample failed: %s",
				out->first_error);
	return rc;
}

static void boot_counts_free(boot_counts *c)
{
	free(c->adj);
	free(c->dir);
	free(c->undir);
}

/* ---- results ---- */

static int build_graph(const wb_pdag *g, const char *const *names, const boot_counts *bc,
		       wb_graph **out, wb_err *err)
{
	size_t p = g->p;
	wb_graph *G = wb_graph_new();
	if (!G)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	int rc = 0;
	for (size_t i = 0; i < p && !rc; i++)
		if (wb_graph_add_node(G, names[i], err) < 0)
			rc = err->code;
	for (size_t a = 0; a < p && !rc; a++)
		for (size_t b = a + 1; b < p && !rc; b++) {
			if (!wb_pdag_adj(g, a, b))
				continue;
			rc = wb_graph_set_edge(G, a, b, (wb_mark)g->m[b * p + a],
					       (wb_mark)g->m[a * p + b], err);
			if (!rc && bc)
				rc = wb_graph_set_edge_weight(
				    G, a, b, (double)bc->adj[a * p + b] / (double)bc->ok, err);
		}
	if (rc) {
		wb_graph_free(G);
		return rc;
	}
	*out = G;
	return 0;
}

static int add_notes(wb_result *r, const wb_disc_notes *nt)
{
	int rc = 0;
	for (size_t i = 0; i < nt->n; i++)
		rc |= wb_result_add_note(r, "%s", nt->line[i]);
	return rc;
}

static wb_result *edges_table(const wb_pdag *g, const char *const *names, const boot_counts *bc,
			      const double *maxp)
{
	size_t p = g->p;
	wb_result *r = wb_result_new("discovered edges");
	long cf = -1, cp = -1;
	if (!r || wb_result_add_column(r, "from") < 0 || wb_result_add_column(r, "edge") < 0 ||
	    wb_result_add_column(r, "to") < 0 ||
	    (bc && (cf = wb_result_add_column(r, "frequency")) < 0) ||
	    (maxp && (cp = wb_result_add_column(r, "max p")) < 0)) {
		wb_result_free(r);
		return NULL;
	}
	if (bc)
		wb_result_set_digits(r, (size_t)cf, 3);
	if (maxp)
		wb_result_set_digits(r, (size_t)cp, 3);
	for (size_t a = 0; a < p; a++)
		for (size_t b = a + 1; b < p; b++) {
			if (!wb_pdag_adj(g, a, b))
				continue;
			long row = wb_result_add_row(r);
			int back = wb_pdag_dir(g, b, a);
			int rc = row < 0;
			rc |= wb_result_set_str(r, (size_t)row, 0, names[back ? b : a]);
			rc |= wb_result_set_str(r, (size_t)row, 1,
						wb_pdag_undir(g, a, b) ? "--" : "->");
			rc |= wb_result_set_str(r, (size_t)row, 2, names[back ? a : b]);
			if (bc)
				rc |=
				    wb_result_set_num(r, (size_t)row, (size_t)cf,
						      (double)bc->adj[a * p + b] / (double)bc->ok);
			if (maxp && maxp[a * p + b] >= 0)
				rc |=
				    wb_result_set_num(r, (size_t)row, (size_t)cp, maxp[a * p + b]);
			if (rc) {
				wb_result_free(r);
				return NULL;
			}
		}
	return r;
}

static wb_result *removed_table(const wb_pc_log *log, const char *const *names, int with_df)
{
	static const char *cols[] = {"x", "y", "sepset", "depth", "statistic", "p", "df"};
	wb_result *r = wb_result_new("removed adjacencies (PC)");
	int rc = !r;
	for (size_t c = 0; c < (with_df ? 7u : 6u) && !rc; c++)
		rc = wb_result_add_column(r, cols[c]) < 0;
	for (size_t i = 0; i < log->n && !rc; i++) {
		const wb_pc_removal *m = &log->rm[i];
		long row = wb_result_add_row(r);
		const char *set[64];
		size_t ns = m->ns < 64 ? m->ns : 64;
		for (size_t k = 0; k < ns; k++)
			set[k] = names[m->S[k]];
		rc = row < 0;
		rc |= wb_result_set_str(r, (size_t)row, 0, names[m->x]);
		rc |= wb_result_set_str(r, (size_t)row, 1, names[m->y]);
		if (m->knowledge) {
			rc |= wb_result_set_str(r, (size_t)row, 2, "knowledge");
			continue;
		}
		rc |= wb_result_set_set(r, (size_t)row, 2, set, ns);
		rc |= wb_result_set_num(r, (size_t)row, 3, (double)m->depth);
		rc |= wb_result_set_num(r, (size_t)row, 4, m->stat);
		rc |= wb_result_set_num(r, (size_t)row, 5, m->p);
		if (with_df)
			rc |= wb_result_set_num(r, (size_t)row, 6, m->df);
	}
	if (rc) {
		wb_result_free(r);
		return NULL;
	}
	wb_result_set_digits(r, 4, 4);
	wb_result_set_digits(r, 5, 4);
	return r;
}

static wb_result *boot_table(const boot_counts *c, const wb_pdag *g, const char *const *names,
			     size_t p, uint64_t seed)
{
	static const char *cols[] = {"x", "y", "present", "x -> y", "x <- y", "x -- y", "in_graph"};
	wb_result *r = wb_result_new("bootstrap edge frequencies");
	int rc = !r;
	for (size_t k = 0; k < 7 && !rc; k++)
		rc = wb_result_add_column(r, cols[k]) < 0;
	double B = (double)c->ok;
	for (size_t a = 0; a < p && !rc; a++)
		for (size_t b = a + 1; b < p && !rc; b++) {
			if (!c->adj[a * p + b])
				continue;
			long row = wb_result_add_row(r);
			rc = row < 0;
			if (rc)
				break;
			size_t i = (size_t)row;
			const char *e = !wb_pdag_adj(g, a, b)	 ? ""
					: wb_pdag_undir(g, a, b) ? "--"
					: wb_pdag_dir(g, a, b)	 ? "->"
								 : "<-";
			rc |= wb_result_set_str(r, i, 0, names[a]);
			rc |= wb_result_set_str(r, i, 1, names[b]);
			rc |= wb_result_set_num(r, i, 2, (double)c->adj[a * p + b] / B);
			rc |= wb_result_set_num(r, i, 3, (double)c->dir[a * p + b] / B);
			rc |= wb_result_set_num(r, i, 4, (double)c->dir[b * p + a] / B);
			rc |= wb_result_set_num(r, i, 5, (double)c->undir[a * p + b] / B);
			rc |= wb_result_set_str(r, i, 6, e);
		}
	if (rc) {
		wb_result_free(r);
		return NULL;
	}
	for (size_t k = 2; k < 6; k++)
		wb_result_set_digits(r, k, 3);
	wb_result_add_note(r,
			   "%zu resamples, each as many rows as the data drawn with replacement "
			   "(streams split from seed %llu)",
			   c->ok, (unsigned long long)seed);
	if (c->failed)
		wb_result_add_note(r, "%zu resamples failed and are not counted (first: %s)",
				   c->failed, c->first_error);
	return r;
}

/* ---- the driver ---- */

typedef struct name_ix {
	const char *name;
	size_t col;
} name_ix;

static int cmp_name(const void *a, const void *b)
{
	return strverscmp(((const name_ix *)a)->name, ((const name_ix *)b)->name);
}

static void describe_run(wb_result *r, wb_discover_algo algo, const wb_discover_options *opt,
			 const wb_citest *ci, const wb_pc_log *log, size_t nscores)
{
	if (algo == WB_DISCOVER_PC) {
		char depth[32] = "unlimited";
		if (opt->depth >= 0)
			snprintf(depth, sizeof depth, "%ld", opt->depth);
		wb_result_add_note(r,
				   "PC-stable (Colombo & Maathuis 2014) with Meek's rules: %s "
				   "test, alpha %g, depth %s; %zu tests",
				   wb_ci_kind_name(wb_citest_kind(ci)), opt->alpha, depth,
				   log->ntests);
		wb_result_add_note(r, "max p: the largest p-value among the tests an edge survived "
				      "(the nearer alpha, the weaker the evidence for it)");
	} else {
		wb_result_add_note(r,
				   "GES (Chickering 2002), BIC score for linear-Gaussian data, "
				   "penalty %g x ½ ln n; %zu local scores",
				   opt->penalty, nscores);
	}
	if (wb_citest_ndropped(ci))
		wb_result_add_note(r, "%zu rows used; %zu rows with a missing value dropped",
				   wb_citest_nrows(ci), wb_citest_ndropped(ci));
	else
		wb_result_add_note(r, "%zu rows used", wb_citest_nrows(ci));
}

int wb_discover(wb_discover_algo algo, const wb_frame *f, const size_t *cols, size_t ncols,
		const wb_discover_options *optin, wb_rng *rng, wb_progress *progress,
		wb_discovery *out, wb_err *err)
{
	memset(out, 0, sizeof *out);
	wb_discover_options opt = *optin;
	if (opt.alpha == 0)
		opt.alpha = 0.05;
	if (opt.penalty == 0)
		opt.penalty = 1;
	if (!(opt.alpha > 0 && opt.alpha < 1))
		return wb_err_set(err, WB_EINVAL, "alpha must be between 0 and 1, got %g",
				  opt.alpha);
	if (!(opt.penalty > 0))
		return wb_err_set(err, WB_EINVAL, "penalty must be positive, got %g", opt.penalty);
	if (opt.bootstrap && !rng)
		return wb_err_set(err, WB_EINVAL, "bootstrap needs a random stream");
	int threads = opt.threads > 0 ? opt.threads : 2;
	size_t p = ncols;
	name_ix *ord = malloc((p ? p : 1) * sizeof *ord);
	size_t *vcols = malloc((p ? p : 1) * sizeof *vcols);
	const char **names = malloc((p ? p : 1) * sizeof *names);
	wb_kb kb = {0};
	wb_citest *ci = NULL;
	wb_pdag *g = NULL;
	wb_pc_log log = {0};
	wb_disc_notes notes = {0};
	boot_counts bc = {0};
	size_t nscores = 0;
	int rc = 0;
	if (!ord || !vcols || !names) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < p; i++) {
		if (cols[i] >= wb_frame_ncols(f)) {
			rc = wb_err_set(err, WB_EINVAL, "column %zu out of range", cols[i]);
			goto done;
		}
		ord[i] = (name_ix){wb_frame_colname(f, cols[i]), cols[i]};
	}
	qsort(ord, p, sizeof *ord, cmp_name);
	for (size_t i = 0; i < p; i++) {
		vcols[i] = ord[i].col;
		names[i] = ord[i].name;
	}
	notes.names = names;
	if ((rc = wb_kb_bind(opt.knowledge, names, p, &kb, err)))
		goto done;
	wb_ci_kind kind = algo == WB_DISCOVER_GES ? WB_CI_FISHERZ : opt.test;
	wb_ci_options co = {kind, NULL, 0, threads};
	double share = opt.bootstrap ? 0.2 : 1.0;
	if ((rc = wb_citest_new(f, vcols, p, &co, NULL, &ci, err)))
		goto done;
	kind = wb_citest_kind(ci);
	wb_disc_run run = {ci, &kb, &opt, progress, 0, share, threads, &notes};
	if (algo == WB_DISCOVER_PC && !(log.maxp = malloc(p * p * sizeof *log.maxp))) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; log.maxp && i < p * p; i++)
		log.maxp[i] = -1;
	if ((rc = search(algo, &run, &g, &log, &nscores, err)))
		goto done;
	if (opt.bootstrap &&
	    (rc = bootstrap(algo, f, vcols, p, &kb, &opt, kind, rng, progress, threads, &bc, err)))
		goto done;
	if ((rc = build_graph(g, names, opt.bootstrap ? &bc : NULL, &out->graph, err)))
		goto done;
	out->edges = edges_table(g, names, opt.bootstrap ? &bc : NULL, log.maxp);
	if (out->edges) {
		describe_run(out->edges, algo, &opt, ci, &log, nscores);
		if (!wb_knowledge_empty(opt.knowledge)) {
			char kt[WB_ERR_MAX];
			wb_result_add_note(out->edges, "knowledge: %s",
					   wb_knowledge_text(opt.knowledge, kt, sizeof kt));
		}
		add_notes(out->edges, &notes);
	}
	if (algo == WB_DISCOVER_PC)
		out->removed = removed_table(&log, names, kind == WB_CI_GSQ);
	if (opt.bootstrap)
		out->bootstrap = boot_table(&bc, g, names, p, wb_rng_seed(rng));
	if (!out->edges || (algo == WB_DISCOVER_PC && !out->removed) ||
	    (opt.bootstrap && !out->bootstrap)) {
		wb_discovery_free(out);
		rc = wb_err_set(err, WB_ENOMEM, "out of memory for the results");
	}
	wb_progress_set(progress, 1.0);
done:
	if (rc)
		wb_discovery_free(out);
	boot_counts_free(&bc);
	wb_disc_notes_free(&notes);
	wb_pc_log_free(&log);
	wb_pdag_free(g);
	wb_citest_free(ci);
	wb_kb_free(&kb);
	free(ord);
	free(vcols);
	free(names);
	return rc;
}
