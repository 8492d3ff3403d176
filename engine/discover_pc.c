/* discover_pc.c — PC-stable (Spirtes, Glymour & Scheines 2000; Colombo & Maathuis 2014, JMLR
 * 15, Algorithm 4.1): order-independent skeleton, unshielded colliders with conflicts
 * reported, Meek's rules (Meek 1995). See discover.h for the rules, discover_impl.h for the
 * graph representation. */
#include "discover_impl.h"
#include "parallel.h"

#include <stdlib.h>
#include <string.h>

/* The outcome of testing one adjacent pair at one depth. */
typedef struct pair_task {
	size_t x, y;
	int removed;
	size_t *S;
	double stat, p, df;
	double maxp; /* the largest p-value of the tests that kept the edge */
	size_t ntests;
	int rc;
	wb_err err;
} pair_task;

typedef struct depth_job {
	const wb_citest *ci;
	size_t p, d;
	double alpha;
	const size_t *nb, *nnb; /* frozen adjacency lists: nb[x*p .. x*p+nnb[x]) */
	pair_task *task;
	size_t ntask;
	wb_progress *progress;
} depth_job;

/* Tests x ⫫ y given every d-subset of adj(u) \ {v}, (u, v) = (x, y) then (y, x), in
 * lexicographic order; stops at the first p > alpha. */
static void test_pair(const depth_job *J, pair_task *t)
{
	size_t p = J->p, d = J->d;
	size_t cand[p], c[d + 1], S[d + 1];
	for (int side = 0; side < 2 && !t->removed; side++) {
		size_t u = side ? t->y : t->x, v = side ? t->x : t->y, m = 0;
		for (size_t i = 0; i < J->nnb[u]; i++)
			if (J->nb[u * p + i] != v)
				cand[m++] = J->nb[u * p + i];
		if (m < d)
			continue;
		for (size_t k = 0; k < d; k++)
			c[k] = k;
		for (;;) {
			for (size_t k = 0; k < d; k++)
				S[k] = cand[c[k]];
			wb_ci_outcome o;
			t->ntests++;
			if ((t->rc = wb_citest_test(J->ci, t->x, t->y, S, d, &o, &t->err)))
				return;
			if (o.p > t->maxp && o.p <= J->alpha)
				t->maxp = o.p;
			if (o.p > J->alpha) {
				t->S = malloc((d ? d : 1) * sizeof *t->S);
				if (!t->S) {
					t->rc = wb_err_set(&t->err, WB_ENOMEM, "out of memory");
					return;
				}
				memcpy(t->S, S, d * sizeof *S);
				t->removed = 1;
				t->stat = o.stat;
				t->p = o.p;
				t->df = o.df;
				return;
			}
			/* next combination */
			size_t k = d;
			while (k > 0 && c[k - 1] == m - d + k - 1)
				k--;
			if (k == 0)
				break;
			c[k - 1]++;
			for (size_t j = k; j < d; j++)
				c[j] = c[j - 1] + 1;
		}
	}
}

/* Tasks part, part + parts, ... of one depth (neighbouring pairs share a variable and so a
 * cost: interleaved, the parts take even shares); a part stops at its first error. */
static void depth_part(void *ctx, int part, int parts)
{
	const depth_job *J = ctx;
	for (size_t i = (size_t)part; i < J->ntask; i += (size_t)parts) {
		if (wb_progress_cancelled(J->progress)) {
			J->task[i].rc = wb_err_set(&J->task[i].err, WB_ECANCEL, "cancelled");
			return;
		}
		test_pair(J, &J->task[i]);
		if (J->task[i].rc)
			return;
	}
}

static int log_add(wb_pc_log *log, wb_pc_removal m)
{
	if (log->n == log->cap) {
		size_t cap = log->cap ? 2 * log->cap : 32;
		wb_pc_removal *r = realloc(log->rm, cap * sizeof *r);
		if (!r)
			return WB_ENOMEM;
		log->rm = r;
		log->cap = cap;
	}
	log->rm[log->n++] = m;
	return 0;
}

/* The skeleton: adj (p × p) starts complete minus the forbidden adjacencies; sepix[x*p+y]
 * receives the log index of the removal of x–y. */
static int skeleton(const wb_disc_run *run, unsigned char *adj, long *sepix, wb_pc_log *log,
		    wb_err *err)
{
	const wb_citest *ci = run->ci;
	const wb_kb *kb = run->kb;
	size_t p = wb_citest_nvars(ci);
	size_t *nb = malloc(p * p * sizeof *nb), *nnb = malloc(p * sizeof *nnb);
	pair_task *task = malloc((p * (p - 1) / 2 + 1) * sizeof *task);
	int rc = 0;
	if (!nb || !nnb || !task) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t x = 0; x < p; x++)
		for (size_t y = 0; y < p; y++) {
			adj[x * p + y] = x != y;
			sepix[x * p + y] = -1;
		}
	for (size_t x = 0; x < p && kb->any; x++)
		for (size_t y = x + 1; y < p; y++)
			if (kb->forbid[x * p + y] && kb->forbid[y * p + x]) {
				adj[x * p + y] = adj[y * p + x] = 0;
				if (log_add(log, (wb_pc_removal){x, y, 0, NULL, 0, 0, 0, 0, 1})) {
					rc = wb_err_set(err, WB_ENOMEM, "out of memory");
					goto done;
				}
				sepix[x * p + y] = sepix[y * p + x] = (long)log->n - 1;
			}
	long maxd = run->opt->depth;
	for (size_t d = 0; maxd < 0 || d <= (size_t)maxd; d++) {
		size_t ntask = 0, biggest = 0;
		for (size_t x = 0; x < p; x++) { /* freeze the adjacency sets */
			nnb[x] = 0;
			for (size_t y = 0; y < p; y++)
				if (adj[x * p + y])
					nb[x * p + nnb[x]++] = y;
		}
		for (size_t x = 0; x < p; x++)
			for (size_t y = x + 1; y < p; y++) {
				if (!adj[x * p + y] ||
				    (kb->any && (kb->require[x * p + y] || kb->require[y * p + x])))
					continue;
				if (nnb[x] - 1 < d && nnb[y] - 1 < d)
					continue;
				biggest = 1;
				task[ntask++] = (pair_task){.x = x, .y = y, .maxp = -1};
			}
		if (!biggest)
			break;
		/* the tasks over up to run->threads threads, at least 8 a thread (not worth a
		 * thread for a handful of tests) */
		depth_job job = {ci, p, d, run->opt->alpha, nb, nnb, task, ntask, run->progress};
		wb_parallel_interleave(ntask, run->threads, 8, depth_part, &job);
		for (size_t i = 0; i < ntask; i++) {
			pair_task *t = &task[i];
			log->ntests += t->ntests;
			if (log->maxp && t->maxp > log->maxp[t->x * p + t->y])
				log->maxp[t->x * p + t->y] = t->maxp;
			if (t->rc && !rc)
				rc = wb_err_set(err, t->rc, "%s", t->err.msg);
			if (!t->removed)
				continue;
			if (rc || log_add(log, (wb_pc_removal){t->x, t->y, d, t->S, d, t->stat,
							       t->p, t->df, 0})) {
				free(t->S);
				if (!rc)
					rc = wb_err_set(err, WB_ENOMEM, "out of memory");
				continue;
			}
			adj[t->x * p + t->y] = adj[t->y * p + t->x] = 0;
			sepix[t->x * p + t->y] = sepix[t->y * p + t->x] = (long)log->n - 1;
		}
		if (rc)
			break;
		if (run->from < run->to)
			wb_progress_set(run->progress, run->from + (run->to - run->from) *
								       (1 - 1.0 / (double)(d + 2)));
	}
done:
	free(nb);
	free(nnb);
	free(task);
	return rc;
}

static int in_set(const size_t *S, size_t n, size_t v)
{
	for (size_t i = 0; i < n; i++)
		if (S[i] == v)
			return 1;
	return 0;
}

/* "{A, B}" for a note. */
static const char *set_text(const wb_pc_removal *m, const char *const *names, char *buf,
			    size_t size)
{
	size_t used = (size_t)snprintf(buf, size, "{");
	for (size_t i = 0; i < m->ns && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
					 names[m->S[i]]);
	if (used < size)
		snprintf(buf + used, size - used, "}");
	return buf;
}

/* Unshielded colliders: every triple x – z – y (x, y not adjacent, z not in their sepset)
 * asks for x -> z and y -> z. All requests are gathered first, so the outcome does not depend
 * on the order of the triples; an edge asked for in both directions is a conflict. */
static int colliders(const wb_disc_run *run, wb_pdag *g, const long *sepix, const wb_pc_log *log,
		     unsigned char *locked)
{
	size_t p = g->p;
	long *by = malloc(p * p * sizeof *by); /* by[a*p+b]: the other parent y of a -> b <- y */
	if (!by)
		return WB_ENOMEM;
	for (size_t i = 0; i < p * p; i++)
		by[i] = -1;
	for (size_t z = 0; z < p; z++)
		for (size_t x = 0; x < p; x++) {
			if (x == z || !wb_pdag_adj(g, x, z))
				continue;
			for (size_t y = x + 1; y < p; y++) {
				if (y == z || !wb_pdag_adj(g, y, z) || wb_pdag_adj(g, x, y))
					continue;
				long s = sepix[x * p + y];
				if (s < 0 || log->rm[s].knowledge ||
				    in_set(log->rm[s].S, log->rm[s].ns, z))
					continue;
				if (by[x * p + z] < 0)
					by[x * p + z] = (long)y;
				if (by[y * p + z] < 0)
					by[y * p + z] = (long)x;
			}
		}
	wb_disc_notes *nt = run->notes;
	const char *const *nm = nt ? nt->names : NULL;
	char s1[256], s2[256];
	for (size_t a = 0; a < p; a++)
		for (size_t b = a + 1; b < p; b++)
			if (by[a * p + b] >= 0 && by[b * p + a] >= 0) {
				locked[a * p + b] = locked[b * p + a] = 1;
				size_t c = (size_t)by[a * p + b], d = (size_t)by[b * p + a];
				if (nt)
					wb_disc_note(
					    nt,
					    "collider conflict on %s -- %s: %s -> %s <- %s (%s, %s "
					    "separated by %s) and %s -> %s <- %s (%s, %s separated "
					    "by "
					    "%s); the edge is left undirected",
					    nm[a], nm[b], nm[a], nm[b], nm[c], nm[a], nm[c],
					    set_text(&log->rm[sepix[a * p + c]], nm, s1, sizeof s1),
					    nm[b], nm[a], nm[d], nm[b], nm[d],
					    set_text(&log->rm[sepix[b * p + d]], nm, s2,
						     sizeof s2));
			}
	for (size_t a = 0; a < p; a++)
		for (size_t b = 0; b < p; b++) {
			if (by[a * p + b] < 0 || locked[a * p + b] || wb_pdag_dir(g, a, b))
				continue;
			const char *why = NULL;
			if (!wb_pdag_undir(g, a, b) || !wb_kb_allows(run->kb, a, b))
				why = "the knowledge forbids it";
			else if (wb_pdag_dir_path(g, b, a))
				why = "it would close a directed cycle";
			else
				wb_pdag_set(g, a, b, WB_MARK_TAIL, WB_MARK_ARROW);
			if (why && nt)
				wb_disc_note(nt, "collider %s -> %s <- %s not made: %s", nm[a],
					     nm[b], nm[by[a * p + b]], why);
		}
	free(by);
	return 0;
}

int wb_pc_search(const wb_disc_run *run, wb_pdag **out, wb_pc_log *logp, wb_err *err)
{
	size_t p = wb_citest_nvars(run->ci);
	wb_pc_log local = {0}, *log = logp ? logp : &local;
	unsigned char *adj = malloc(p * p), *locked = calloc(p * p, 1);
	long *sepix = malloc(p * p * sizeof *sepix);
	wb_pdag *g = wb_pdag_new(p);
	int rc = 0;
	*out = NULL;
	if (!adj || !locked || !sepix || !g) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = skeleton(run, adj, sepix, log, err)))
		goto done;
	for (size_t a = 0; a < p; a++)
		for (size_t b = 0; b < p; b++)
			g->m[a * p + b] = adj[a * p + b] ? WB_MARK_TAIL : WB_MARK_NONE;
	wb_pdag_apply_knowledge(g, run->kb, run->notes);
	if (colliders(run, g, sepix, log, locked) < 0) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto done;
	}
	wb_pdag_meek(g, locked, run->kb);
	*out = g;
	g = NULL;
done:
	if (log == &local)
		wb_pc_log_free(&local);
	wb_pdag_free(g);
	free(adj);
	free(locked);
	free(sepix);
	return rc;
}
