/*
 * identify.c — d-separation, adjustment, frontdoor, instruments, roles and testable
 * implications; see identify.h for the methods and their sources.
 *
 * Work happens on a private copy of the graph (struct lg: the mark matrix plus parent/child
 * bitsets), so that the modified graphs the criteria talk about — the proper backdoor graph,
 * the graph without X's outgoing edges, a DAG in a CPDAG's class — are cheap to make. Node
 * sets are bitsets of 64-bit words.
 */
#include "identify.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t word;

#define WBITS 64
#define BIT(s, i) (((s)[(i) / WBITS] >> ((i) % WBITS)) & 1u)
#define SET(s, i) ((s)[(i) / WBITS] |= (word)1 << ((i) % WBITS))
#define CLR(s, i) ((s)[(i) / WBITS] &= ~((word)1 << ((i) % WBITS)))

/* ---- bitsets ---- */

static word *bs_new(size_t W)
{
	return calloc(W ? W : 1, sizeof(word));
}

static void bs_zero(word *s, size_t W)
{
	memset(s, 0, W * sizeof *s);
}

static void bs_copy(word *d, const word *s, size_t W)
{
	memcpy(d, s, W * sizeof *d);
}

static int bs_any(const word *s, size_t W)
{
	for (size_t k = 0; k < W; k++)
		if (s[k])
			return 1;
	return 0;
}

static int bs_meets(const word *a, const word *b, size_t W)
{
	for (size_t k = 0; k < W; k++)
		if (a[k] & b[k])
			return 1;
	return 0;
}

static size_t bs_count(const word *s, size_t W)
{
	size_t c = 0;
	for (size_t k = 0; k < W; k++)
		c += (size_t)__builtin_popcountll(s[k]);
	return c;
}

/* First member at or after i, or n. */
static size_t bs_next(const word *s, size_t n, size_t i)
{
	while (i < n) {
		word w = s[i / WBITS] >> (i % WBITS);
		if (w)
			return i + (size_t)__builtin_ctzll(w);
		i = (i / WBITS + 1) * WBITS;
	}
	return n;
}

#define FOR_EACH(v, s, n) for (size_t v = bs_next(s, n, 0); v < (n); v = bs_next(s, n, v + 1))

static void bs_from(word *s, size_t W, const size_t *idx, size_t k)
{
	bs_zero(s, W);
	for (size_t i = 0; i < k; i++)
		SET(s, idx[i]);
}

/* ---- the private graph ---- */

typedef struct lg {
	size_t n, W;
	unsigned char *m; /* m[a*n + b]: the mark at b's end of the edge a–b */
	word *latent;
	word *pa, *ch;	   /* directed parents / children of each node, n bitsets */
	const wb_graph *g; /* for names */
} lg;

static void lg_free(lg *l)
{
	free(l->m);
	free(l->latent);
	free(l->pa);
	free(l->ch);
	memset(l, 0, sizeof *l);
}

static unsigned char mark(const lg *l, size_t a, size_t b)
{
	return l->m[a * l->n + b];
}

static int directed(const lg *l, size_t a, size_t b)
{
	return mark(l, a, b) == WB_MARK_ARROW && mark(l, b, a) == WB_MARK_TAIL;
}

static int undirected(const lg *l, size_t a, size_t b)
{
	return mark(l, a, b) == WB_MARK_TAIL && mark(l, b, a) == WB_MARK_TAIL;
}

static int bidirected(const lg *l, size_t a, size_t b)
{
	return mark(l, a, b) == WB_MARK_ARROW && mark(l, b, a) == WB_MARK_ARROW;
}

static void lg_index(lg *l)
{
	size_t n = l->n, W = l->W;
	bs_zero(l->pa, n * W);
	bs_zero(l->ch, n * W);
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++)
			if (directed(l, a, b)) {
				SET(l->ch + a * W, b);
				SET(l->pa + b * W, a);
			}
}

static int lg_init(lg *l, const wb_graph *g)
{
	size_t n = wb_graph_nnodes(g), W = (n + WBITS - 1) / WBITS;
	memset(l, 0, sizeof *l);
	l->n = n;
	l->W = W ? W : 1;
	l->g = g;
	l->m = calloc(n * n + 1, 1);
	l->latent = bs_new(l->W);
	l->pa = bs_new(n * l->W);
	l->ch = bs_new(n * l->W);
	if (!l->m || !l->latent || !l->pa || !l->ch) {
		lg_free(l);
		return WB_ENOMEM;
	}
	for (size_t a = 0; a < n; a++) {
		if (wb_graph_roles(g, a) & WB_ROLE_LATENT)
			SET(l->latent, a);
		for (size_t b = 0; b < n; b++)
			l->m[a * n + b] = (unsigned char)wb_graph_mark(g, a, b);
	}
	lg_index(l);
	return 0;
}

static int lg_copy(lg *d, const lg *s)
{
	size_t n = s->n, W = s->W;
	*d = *s;
	d->m = malloc(n * n + 1);
	d->latent = bs_new(W);
	d->pa = bs_new(n * W);
	d->ch = bs_new(n * W);
	if (!d->m || !d->latent || !d->pa || !d->ch) {
		lg_free(d);
		return WB_ENOMEM;
	}
	memcpy(d->m, s->m, n * n);
	bs_copy(d->latent, s->latent, W);
	bs_copy(d->pa, s->pa, n * W);
	bs_copy(d->ch, s->ch, n * W);
	return 0;
}

static void lg_cut(lg *l, size_t a, size_t b)
{
	l->m[a * l->n + b] = l->m[b * l->n + a] = WB_MARK_NONE;
}

static const char *nm(const lg *l, size_t i)
{
	return wb_graph_node_name(l->g, i);
}

/* Ancestors (up = 1, along parents) or descendants (up = 0) of the set s, s included. With
 * possible = 1, undirected edges are followed too (possible ancestors/descendants). Nodes of
 * avoid (may be NULL) are never entered. */
static void reach_avoid(const lg *l, const word *s, int up, int possible, const word *avoid,
			word *out)
{
	size_t n = l->n, W = l->W;
	word *frontier = bs_new(W), *next = bs_new(W);
	bs_copy(out, s, W);
	if (!frontier || !next) {
		free(frontier);
		free(next);
		return;
	}
	bs_copy(frontier, s, W);
	while (bs_any(frontier, W)) {
		bs_zero(next, W);
		FOR_EACH(v, frontier, n)
		{
			const word *rel = (up ? l->pa : l->ch) + v * W;
			for (size_t k = 0; k < W; k++)
				next[k] |= rel[k] & ~out[k];
			if (possible)
				for (size_t u = 0; u < n; u++)
					if (!BIT(out, u) && undirected(l, u, v))
						SET(next, u);
		}
		if (avoid)
			for (size_t k = 0; k < W; k++)
				next[k] &= ~avoid[k];
		for (size_t k = 0; k < W; k++) {
			out[k] |= next[k];
			frontier[k] = next[k];
		}
	}
	free(frontier);
	free(next);
}

static void reach_dir(const lg *l, const word *s, int up, int possible, word *out)
{
	reach_avoid(l, s, up, possible, NULL, out);
}

/* ---- d-separation (Shachter 1998 Bayes-ball; m-separation with bidirected edges) ---- */

/* States: node v reached with an arrowhead at v (head = 1) or a tail (head = 0). With prev
 * not NULL, records the state each state was reached from (for writing a walk out). Returns
 * the first node of y reached, or n. */
static size_t reach_open(const lg *l, const word *x, const word *y, const word *z, const word *anz,
			 size_t *prev)
{
	size_t n = l->n;
	unsigned char *seen = calloc(2 * n + 1, 1);
	size_t *queue = malloc((2 * n + 1) * sizeof *queue);
	size_t found = n;
	if (!seen || !queue)
		goto out;
	size_t head = 0, tail = 0;
	/* Start: leaving x along any edge, as if x were a non-collider not in Z. */
	FOR_EACH(v, x, n)
	{
		for (size_t u = 0; u < n; u++) {
			unsigned char mu = mark(l, v, u);
			if (!mu || BIT(x, u))
				continue;
			size_t st = 2 * u + (mu == WB_MARK_ARROW);
			if (seen[st])
				continue;
			seen[st] = 1;
			if (prev)
				prev[st] = 2 * n + v; /* from the source v */
			queue[tail++] = st;
		}
	}
	while (head < tail) {
		size_t st = queue[head++], w = st / 2;
		int arrived_head = (int)(st % 2);
		if (BIT(y, w)) {
			found = w;
			if (prev)
				prev[2 * n] = st; /* the last state */
			break;
		}
		for (size_t u = 0; u < n; u++) {
			unsigned char mu = mark(l, w, u), mw = mark(l, u, w);
			if (!mu || BIT(x, u))
				continue;
			int collider = arrived_head && mw == WB_MARK_ARROW;
			if (collider ? !BIT(anz, w) : BIT(z, w))
				continue;
			size_t nst = 2 * u + (mu == WB_MARK_ARROW);
			if (seen[nst])
				continue;
			seen[nst] = 1;
			if (prev)
				prev[nst] = st;
			queue[tail++] = nst;
		}
	}
out:
	free(seen);
	free(queue);
	return found;
}

static int sep_sets(const lg *l, const word *x, const word *y, const word *z, int *separated)
{
	word *anz = bs_new(l->W);
	if (!anz)
		return WB_ENOMEM;
	reach_dir(l, z, 1, 0, anz);
	*separated = reach_open(l, x, y, z, anz, NULL) == l->n;
	free(anz);
	return 0;
}

/* Writes the path nodes p[0..len) with the edges between them, "X <- U -> Y". */
static void write_path(const lg *l, const size_t *p, size_t len, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < len && used < size; k++) {
		if (k == 0) {
			used += (size_t)snprintf(buf + used, size - used, "%s", nm(l, p[0]));
			continue;
		}
		char e[WB_ERR_MAX];
		wb_graph_edge_text(l->g, p[k - 1], p[k], e, sizeof e);
		/* edge_text is "A op B": keep " op B". */
		const char *op = e + strlen(nm(l, p[k - 1]));
		used += (size_t)snprintf(buf + used, size - used, "%s", op);
	}
}

typedef struct pathsearch {
	const lg *l;
	const word *y, *z, *anz;
	size_t *path, len, limit;
	unsigned char *onpath;
	long budget;
} pathsearch;

/* Depth-first search for an open simple path of at most ps->limit nodes from the path's last
 * node (reached with an arrowhead when head). */
static int dfs_open(pathsearch *ps, int head)
{
	const lg *l = ps->l;
	size_t w = ps->path[ps->len - 1];
	if (ps->len > 1 && BIT(ps->y, w))
		return 1;
	if (ps->len >= ps->limit || --ps->budget < 0)
		return 0;
	for (size_t u = 0; u < l->n; u++) {
		unsigned char mu = mark(l, w, u), mw = mark(l, u, w);
		if (!mu || ps->onpath[u])
			continue;
		if (ps->len > 1) {
			int collider = head && mw == WB_MARK_ARROW;
			if (collider ? !BIT(ps->anz, w) : BIT(ps->z, w))
				continue;
		}
		ps->path[ps->len++] = u;
		ps->onpath[u] = 1;
		if (dfs_open(ps, mu == WB_MARK_ARROW))
			return 1;
		ps->onpath[u] = 0;
		ps->len--;
	}
	return 0;
}

/* An open path from x to y given z into buf: 1 found, 0 none, negative on no memory. Tries
 * simple paths by increasing length (iterative deepening, bounded work), else writes the walk
 * the reachability search found. */
static int open_path(const lg *l, const word *x, const word *y, const word *z, char *buf,
		     size_t size)
{
	size_t n = l->n;
	int rc = -1;
	word *anz = bs_new(l->W);
	size_t *prev = malloc((2 * n + 1) * sizeof *prev), *path = malloc((n + 1) * sizeof *path);
	unsigned char *onpath = calloc(n ? n : 1, 1);
	if (!anz || !prev || !path || !onpath)
		goto out;
	reach_dir(l, z, 1, 0, anz);
	buf[0] = '\0';
	if (reach_open(l, x, y, z, anz, prev) == n) {
		rc = 0;
		goto out;
	}
	pathsearch ps = {l, y, z, anz, path, 0, 0, onpath, 200000};
	for (size_t limit = 2; limit <= n && ps.budget > 0; limit++) {
		ps.limit = limit;
		FOR_EACH(v, x, n)
		{
			memset(onpath, 0, n);
			FOR_EACH(u, x, n)
			onpath[u] = 1;
			ps.path[0] = v;
			ps.len = 1;
			if (dfs_open(&ps, 0)) {
				write_path(l, ps.path, ps.len, buf, size);
				rc = 1;
				goto out;
			}
		}
	}
	/* The walk, from the recorded states. */
	size_t len = 0, st = prev[2 * n];
	size_t *walk = malloc((2 * n + 2) * sizeof *walk);
	if (!walk)
		goto out;
	while (st < 2 * n && len < 2 * n) {
		walk[len++] = st / 2;
		st = prev[st];
	}
	walk[len++] = st - 2 * n;
	for (size_t i = 0; i < len / 2; i++) {
		size_t t = walk[i];
		walk[i] = walk[len - 1 - i];
		walk[len - 1 - i] = t;
	}
	write_path(l, walk, len, buf, size);
	free(walk);
	rc = 1;
out:
	free(anz);
	free(prev);
	free(path);
	free(onpath);
	return rc;
}

/* ---- argument checks ---- */

static int check_sets(const wb_graph *g, const size_t *x, size_t nx, const size_t *y, size_t ny,
		      const size_t *z, size_t nz, int latent_ok, wb_err *err)
{
	size_t n = wb_graph_nnodes(g);
	if (nx == 0 || ny == 0)
		return wb_err_set(err, WB_EINVAL, "need at least one exposure and one outcome");
	const size_t *sets[3] = {x, y, z};
	size_t sizes[3] = {nx, ny, nz};
	for (int s = 0; s < 3; s++)
		for (size_t i = 0; i < sizes[s]; i++) {
			size_t v = sets[s][i];
			if (v >= n)
				return wb_err_set(err, WB_EINVAL, "no node %zu (the graph has %zu)",
						  v, n);
			if (!latent_ok && s < 2 && (wb_graph_roles(g, v) & WB_ROLE_LATENT))
				return wb_err_set(
				    err, WB_EINVAL,
				    "%s is latent: an exposure or outcome must be observed",
				    wb_graph_node_name(g, v));
			for (int t = 0; t < s; t++)
				for (size_t j = 0; j < sizes[t]; j++)
					if (sets[t][j] == v)
						return wb_err_set(err, WB_EINVAL,
								  "%s is in two of the sets",
								  wb_graph_node_name(g, v));
		}
	if (strcmp(wb_graph_kind(g), "pag") == 0)
		return wb_err_set(err, WB_EINVAL,
				  "the graph has circle marks (a PAG): identification needs a DAG, "
				  "ADMG or CPDAG");
	return 0;
}

static int nomem(wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/* The bitsets of x, y, z in one allocation (3 W words). */
static word *three_sets(const lg *l, const size_t *x, size_t nx, const size_t *y, size_t ny,
			const size_t *z, size_t nz)
{
	size_t W = l->W;
	word *b = bs_new(3 * W);
	if (!b)
		return NULL;
	bs_from(b, W, x, nx);
	bs_from(b + W, W, y, ny);
	bs_from(b + 2 * W, W, z, nz);
	return b;
}

int wb_identify_dsep(const wb_graph *g, const size_t *x, size_t nx, const size_t *y, size_t ny,
		     const size_t *z, size_t nz, int *separated, wb_err *err)
{
	int rc = check_sets(g, x, nx, y, ny, z, nz, 1, err);
	if (rc)
		return rc;
	lg l;
	if (lg_init(&l, g))
		return nomem(err);
	word *b = three_sets(&l, x, nx, y, ny, z, nz);
	rc = b ? sep_sets(&l, b, b + l.W, b + 2 * l.W, separated) : WB_ENOMEM;
	free(b);
	lg_free(&l);
	return rc ? nomem(err) : 0;
}

int wb_identify_open_path(const wb_graph *g, const size_t *x, size_t nx, const size_t *y, size_t ny,
			  const size_t *z, size_t nz, char *buf, size_t size, wb_err *err)
{
	int rc = check_sets(g, x, nx, y, ny, z, nz, 1, err);
	if (rc)
		return rc;
	if (size == 0)
		return wb_err_set(err, WB_EINVAL, "no room for the path");
	lg l;
	if (lg_init(&l, g))
		return nomem(err);
	word *b = three_sets(&l, x, nx, y, ny, z, nz);
	rc = b ? open_path(&l, b, b + l.W, b + 2 * l.W, buf, size) : -1;
	free(b);
	lg_free(&l);
	return rc < 0 ? nomem(err) : rc;
}

/* ---- sets of sets ---- */

void wb_identify_sets_free(wb_sets *s)
{
	if (!s)
		return;
	for (size_t k = 0; k < s->n; k++)
		free(s->set[k]);
	free(s->set);
	free(s->size);
	memset(s, 0, sizeof *s);
}

/* Appends the members of bs (plus those of extra) as one set. */
static int sets_add(wb_sets *s, const word *bs, const word *extra, size_t n, size_t W)
{
	if (s->n >= WB_IDENTIFY_MAX_SETS) {
		s->truncated = 1;
		return 0;
	}
	word *u = bs_new(W);
	if (!u)
		return WB_ENOMEM;
	for (size_t k = 0; k < W; k++)
		u[k] = bs[k] | (extra ? extra[k] : 0);
	size_t c = bs_count(u, W), i = 0;
	size_t *set = malloc((c ? c : 1) * sizeof *set);
	size_t **sv = realloc(s->set, (s->n + 1) * sizeof *sv);
	if (sv)
		s->set = sv;
	size_t *sz = realloc(s->size, (s->n + 1) * sizeof *sz);
	if (sz)
		s->size = sz;
	if (!set || !sv || !sz) {
		free(set);
		free(u);
		return WB_ENOMEM;
	}
	FOR_EACH(v, u, n)
	set[i++] = v;
	free(u);
	s->set[s->n] = set;
	s->size[s->n++] = c;
	return 0;
}

static int cmp_sets(const size_t *a, size_t na, const size_t *b, size_t nb)
{
	if (na != nb)
		return na < nb ? -1 : 1;
	for (size_t i = 0; i < na; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static void sets_sort(wb_sets *s)
{
	/* Insertion sort: the lists are short and this keeps the code free of globals. */
	for (size_t i = 1; i < s->n; i++) {
		size_t *set = s->set[i], size = s->size[i], j = i;
		while (j > 0 && cmp_sets(set, size, s->set[j - 1], s->size[j - 1]) < 0) {
			s->set[j] = s->set[j - 1];
			s->size[j] = s->size[j - 1];
			j--;
		}
		s->set[j] = set;
		s->size[j] = size;
	}
}

/* ---- minimal separators (van der Zander, Liśkiewicz & Textor 2019; Takata 2010) ---- */

/* An undirected graph over n nodes as adjacency bitsets; present marks the nodes in it. */
typedef struct ug {
	size_t n, W;
	word *adj, *present;
} ug;

static void ug_free(ug *u)
{
	free(u->adj);
	free(u->present);
}

static void ug_link(ug *u, size_t a, size_t b)
{
	if (a == b)
		return;
	SET(u->adj + a * u->W, b);
	SET(u->adj + b * u->W, a);
}

/* The augmented graph (Richardson 2003; for a DAG the moral graph, Lauritzen 1996) of the
 * ancestral set anc: the edges among anc, plus a clique on every district (a set joined by
 * bidirected edges) together with its parents. Undirected edges count as adjacency. */
static int augment(const lg *l, const word *anc, ug *u)
{
	size_t n = l->n, W = l->W;
	u->n = n;
	u->W = W;
	u->adj = bs_new(n * W);
	u->present = bs_new(W);
	word *done = bs_new(W), *dist = bs_new(W);
	size_t *stack = malloc((n ? n : 1) * sizeof *stack);
	int rc = 0;
	if (!u->adj || !u->present || !done || !dist || !stack) {
		ug_free(u);
		rc = WB_ENOMEM;
		goto out;
	}
	bs_copy(u->present, anc, W);
	FOR_EACH(a, anc, n)
	{
		for (size_t b = 0; b < n; b++)
			if (BIT(anc, b) && mark(l, a, b))
				ug_link(u, a, b);
	}
	FOR_EACH(s, anc, n)
	{
		if (BIT(done, s))
			continue;
		bs_zero(dist, W);
		size_t top = 0;
		stack[top++] = s;
		SET(done, s);
		while (top) {
			size_t v = stack[--top];
			SET(dist, v);
			for (size_t w = 0; w < n; w++)
				if (BIT(anc, w) && !BIT(done, w) && bidirected(l, v, w)) {
					SET(done, w);
					stack[top++] = w;
				}
		}
		/* dist ∪ pa(dist) becomes a clique. */
		word *members = bs_new(W);
		if (!members) {
			ug_free(u);
			rc = WB_ENOMEM;
			goto out;
		}
		bs_copy(members, dist, W);
		FOR_EACH(v, dist, n)
		{
			for (size_t k = 0; k < W; k++)
				members[k] |= l->pa[v * W + k] & anc[k];
		}
		FOR_EACH(a, members, n)
		{
			FOR_EACH(b, members, n)
			{
				if (b > a)
					ug_link(u, a, b);
			}
		}
		free(members);
	}
out:
	free(done);
	free(dist);
	free(stack);
	return rc;
}

/* Removes v, joining its neighbours into a clique: separators that may not contain v stay
 * exactly the separators of the smaller graph. */
static void ug_eliminate(ug *u, size_t v)
{
	size_t n = u->n, W = u->W;
	word *nb = u->adj + v * W;
	FOR_EACH(a, nb, n)
	{
		word *ra = u->adj + a * W;
		for (size_t k = 0; k < W; k++)
			ra[k] |= nb[k];
		CLR(ra, a);
		CLR(ra, v);
	}
	bs_zero(nb, W);
	CLR(u->present, v);
}

static void ug_delete(ug *u, size_t v)
{
	size_t n = u->n, W = u->W;
	word *nb = u->adj + v * W;
	FOR_EACH(a, nb, n)
	CLR(u->adj + a * W, v);
	bs_zero(nb, W);
	CLR(u->present, v);
}

/* out = N(s) \ s. */
static void ug_nbrs(const ug *u, const word *s, word *out)
{
	size_t n = u->n, W = u->W;
	bs_zero(out, W);
	FOR_EACH(v, s, n)
	{
		const word *r = u->adj + v * W;
		for (size_t k = 0; k < W; k++)
			out[k] |= r[k];
	}
	for (size_t k = 0; k < W; k++)
		out[k] &= ~s[k];
}

/* out = the nodes reachable from src inside allowed (src ∩ allowed included); src nodes are
 * all one start, as if joined to a common super-node. */
static void ug_comp(const ug *u, const word *src, const word *allowed, word *out, word *tmp)
{
	size_t W = u->W;
	for (size_t k = 0; k < W; k++)
		out[k] = tmp[k] = src[k] & allowed[k];
	word *frontier = tmp;
	word *next = tmp + W;
	while (bs_any(frontier, W)) {
		ug_nbrs(u, frontier, next);
		for (size_t k = 0; k < W; k++) {
			next[k] &= allowed[k] & ~out[k];
			out[k] |= next[k];
			frontier[k] = next[k];
		}
	}
}

typedef struct minsep {
	const ug *u;
	const word *x, *y;
	const word *extra; /* added to every set output (the included nodes) */
	wb_sets *out;
	size_t limit; /* stop after this many sets */
	int rc;
	word *scratch; /* 6 W per recursion level, depth at most n + 1 */
} minsep;

/* Takata 2010, ListMinSep: lists the minimal x–y separators S whose x-side component contains
 * I and avoids R. */
static void list_minsep(minsep *ms, const word *I, const word *R, size_t depth)
{
	const ug *u = ms->u;
	size_t n = u->n, W = u->W;
	if (ms->rc || ms->out->n >= ms->limit) {
		if (ms->out->n >= ms->limit)
			ms->out->truncated = 1;
		return;
	}
	word *s = ms->scratch + depth * 8 * W;
	word *ni = s, *allowed = s + W, *cb = s + 2 * W, *sep = s + 3 * W, *ca = s + 4 * W,
	     *tmp = s + 5 * W; /* tmp: 2 W */
	word *ns = s + 7 * W;
	/* The separator closest to I: the neighbours of y's component once N[I] is removed. */
	ug_nbrs(u, I, ni);
	for (size_t k = 0; k < W; k++)
		allowed[k] = u->present[k] & ~I[k] & ~ni[k];
	ug_comp(u, ms->y, allowed, cb, tmp);
	ug_nbrs(u, cb, sep);
	for (size_t k = 0; k < W; k++)
		allowed[k] = u->present[k] & ~sep[k];
	ug_comp(u, ms->x, allowed, ca, tmp);
	if (bs_meets(ca, R, W))
		return;
	ug_nbrs(u, ca, ns);
	size_t v = n;
	for (size_t k = 0; k < W && v == n; k++) {
		word c = ns[k] & ~R[k];
		if (c)
			v = k * WBITS + (size_t)__builtin_ctzll(c);
	}
	if (v == n) {
		if (sets_add(ms->out, ns, ms->extra, n, W))
			ms->rc = WB_ENOMEM;
		return;
	}
	/* Branch: v joins the x side, or v is kept off it. */
	word *iv = malloc(2 * W * sizeof *iv);
	if (!iv) {
		ms->rc = WB_ENOMEM;
		return;
	}
	bs_copy(iv, ca, W);
	SET(iv, v);
	list_minsep(ms, iv, R, depth + 1);
	bs_copy(iv, R, W);
	SET(iv, v);
	bs_copy(iv + W, ca, W);
	list_minsep(ms, iv + W, iv, depth + 1);
	free(iv);
}

/* All minimal separators of x and y in l, among the nodes of allowed, each with the nodes of
 * include added (I-minimal). Works on the augmented graph of An(x ∪ y ∪ include). */
static int min_separators(const lg *l, const word *x, const word *y, const word *include,
			  const word *allowed, size_t limit, wb_sets *out)
{
	size_t n = l->n, W = l->W;
	int rc = WB_ENOMEM;
	word *base = bs_new(W), *anc = bs_new(W), *r = bs_new(W), *ny = bs_new(W);
	ug u = {0};
	minsep ms = {0};
	if (!base || !anc || !r || !ny)
		goto out;
	for (size_t k = 0; k < W; k++)
		base[k] = x[k] | y[k] | include[k];
	reach_dir(l, base, 1, 0, anc);
	if ((rc = augment(l, anc, &u)))
		goto out;
	FOR_EACH(v, include, n)
	ug_delete(&u, v);
	FOR_EACH(v, anc, n)
	{
		if (!BIT(x, v) && !BIT(y, v) && !BIT(include, v) && !BIT(allowed, v))
			ug_eliminate(&u, v);
	}
	ms.scratch = bs_new((n + 2) * 8 * W);
	if (!ms.scratch) {
		rc = WB_ENOMEM;
		goto out;
	}
	ms.u = &u;
	ms.x = x;
	ms.y = y;
	ms.extra = include;
	ms.out = out;
	ms.limit = limit;
	ug_nbrs(&u, y, ny);
	for (size_t k = 0; k < W; k++)
		r[k] = y[k] | ny[k];
	list_minsep(&ms, x, r, 0);
	rc = ms.rc;
	if (rc == 0)
		sets_sort(out);
out:
	free(ms.scratch);
	ug_free(&u);
	free(base);
	free(anc);
	free(r);
	free(ny);
	return rc;
}

/* ---- adjustment ---- */

/* What adjustment works with for (X, Y): the DAG (or ADMG) it checks separation in, the
 * proper backdoor graph, and the forbidden set. For a CPDAG: amenability first. */
typedef struct adjctx {
	lg dag;	    /* the graph itself, or one DAG of a CPDAG's class */
	lg pbd;	    /* proper backdoor graph */
	word *forb; /* descendants (possible, for a CPDAG) of proper causal path nodes, and X, Y */
	word *x, *y;
	int amenable;
	char why[WB_ERR_MAX];
} adjctx;

static void adj_free(adjctx *a)
{
	lg_free(&a->dag);
	lg_free(&a->pbd);
	free(a->forb);
	free(a->x);
	free(a->y);
}

/* Dor & Tarsi 1992: orients the undirected edges of l into a DAG with no new unshielded
 * collider, or fails. */
static int extend_to_dag(lg *l)
{
	size_t n = l->n;
	unsigned char *gone = calloc(n ? n : 1, 1);
	if (!gone)
		return WB_ENOMEM;
	lg work;
	if (lg_copy(&work, l)) {
		free(gone);
		return WB_ENOMEM;
	}
	int rc = 0;
	for (size_t left = n; left > 0 && rc == 0;) {
		size_t pick = n;
		for (size_t v = 0; v < n && pick == n; v++) {
			if (gone[v])
				continue;
			int sink = 1, ok = 1;
			for (size_t u = 0; u < n && sink; u++)
				if (!gone[u] && directed(&work, v, u))
					sink = 0;
			if (!sink)
				continue;
			for (size_t u = 0; u < n && ok; u++) {
				if (gone[u] || !undirected(&work, u, v))
					continue;
				for (size_t w = 0; w < n && ok; w++)
					if (w != u && !gone[w] && mark(&work, v, w) &&
					    !mark(&work, u, w))
						ok = 0;
			}
			if (ok)
				pick = v;
		}
		if (pick == n) {
			rc = WB_EINVAL;
			break;
		}
		for (size_t u = 0; u < n; u++)
			if (!gone[u] && undirected(&work, u, pick)) {
				l->m[u * n + pick] = WB_MARK_ARROW; /* u -> pick */
				work.m[u * n + pick] = WB_MARK_ARROW;
			}
		gone[pick] = 1;
		left--;
	}
	lg_free(&work);
	free(gone);
	if (rc == 0)
		lg_index(l);
	return rc;
}

/* pcp = nodes on proper (possibly, when possible = 1) causal paths from X to Y: reachable from
 * X along directed (or also undirected) edges without entering X again, and reaching Y
 * likewise (Perković et al. 2018, def. 3.1). */
static int causal_nodes(const lg *l, const word *x, const word *y, int possible, word *pcp)
{
	size_t W = l->W;
	word *down = bs_new(W), *up = bs_new(W);
	if (!down || !up) {
		free(down);
		free(up);
		return WB_ENOMEM;
	}
	reach_avoid(l, x, 0, possible, x, down);
	reach_avoid(l, y, 1, possible, x, up);
	for (size_t k = 0; k < W; k++)
		pcp[k] = down[k] & up[k] & ~x[k];
	free(down);
	free(up);
	return 0;
}

static int adj_build(adjctx *a, const wb_graph *g, const size_t *x, size_t nx, const size_t *y,
		     size_t ny, wb_err *err)
{
	a->amenable = 1;
	if (lg_init(&a->dag, g))
		return nomem(err);
	size_t n = a->dag.n, W = a->dag.W;
	a->x = bs_new(W);
	a->y = bs_new(W);
	a->forb = bs_new(W);
	word *pcp = bs_new(W);
	if (!a->x || !a->y || !a->forb || !pcp) {
		free(pcp);
		return nomem(err);
	}
	bs_from(a->x, W, x, nx);
	bs_from(a->y, W, y, ny);
	int has_undirected = 0;
	for (size_t u = 0; u < n && !has_undirected; u++)
		for (size_t v = u + 1; v < n && !has_undirected; v++)
			has_undirected = undirected(&a->dag, u, v);
	if (has_undirected) {
		/* Amenability (Perković et al. 2018): no possibly causal path from X to Y may start
		 * with an undirected edge. */
		int rc = causal_nodes(&a->dag, a->x, a->y, 1, pcp);
		if (rc) {
			free(pcp);
			return nomem(err);
		}
		FOR_EACH(v, a->x, n)
		{
			for (size_t u = 0; u < n && a->amenable; u++)
				if (BIT(pcp, u) && undirected(&a->dag, v, u)) {
					a->amenable = 0;
					snprintf(
					    a->why, sizeof a->why,
					    "%s -- %s is not oriented and starts a possibly causal "
					    "path to the outcome (the graph is not amenable, "
					    "Perković "
					    "et al. 2018): orient it with graph edge",
					    nm(&a->dag, v), nm(&a->dag, u));
				}
		}
		/* Forbidden: possible descendants of the possibly causal nodes. */
		reach_dir(&a->dag, pcp, 0, 1, a->forb);
		if (a->amenable && extend_to_dag(&a->dag)) {
			a->amenable = 0;
			snprintf(
			    a->why, sizeof a->why,
			    "the undirected edges cannot be oriented without a new collider or a "
			    "cycle (not a CPDAG)");
		}
	}
	if (causal_nodes(&a->dag, a->x, a->y, 0, pcp)) {
		free(pcp);
		return nomem(err);
	}
	word *de = bs_new(W);
	if (!de || lg_copy(&a->pbd, &a->dag)) {
		free(de);
		free(pcp);
		return nomem(err);
	}
	reach_dir(&a->dag, pcp, 0, 0, de);
	for (size_t k = 0; k < W; k++)
		a->forb[k] |= de[k] | a->x[k] | a->y[k];
	free(de);
	/* Proper backdoor graph: drop the first edge X -> V of every proper causal path. */
	FOR_EACH(v, a->x, n)
	{
		for (size_t u = 0; u < n; u++)
			if (BIT(pcp, u) && directed(&a->pbd, v, u))
				lg_cut(&a->pbd, v, u);
	}
	lg_index(&a->pbd);
	free(pcp);
	return 0;
}

/* Checks the sets (z: the set to be judged, may be empty) and builds a; on failure a is freed. */
static int adj_init(adjctx *a, const wb_graph *g, const size_t *x, size_t nx, const size_t *y,
		    size_t ny, const size_t *z, size_t nz, wb_err *err)
{
	memset(a, 0, sizeof *a);
	int rc = check_sets(g, x, nx, y, ny, z, nz, 0, err);
	if (rc == 0)
		rc = adj_build(a, g, x, nx, y, ny, err);
	if (rc)
		adj_free(a);
	return rc;
}

/* The observed nodes that may join an adjustment set. */
static void adj_allowed(const adjctx *a, word *allowed)
{
	for (size_t k = 0; k < a->dag.W; k++)
		allowed[k] = ~a->forb[k] & ~a->dag.latent[k];
	for (size_t v = a->dag.n; v < a->dag.W * WBITS; v++)
		CLR(allowed, v);
}

int wb_identify_adjustment_sets(const wb_graph *g, const size_t *x, size_t nx, const size_t *y,
				size_t ny, const size_t *include, size_t ninclude, wb_sets *out,
				wb_err *err)
{
	memset(out, 0, sizeof *out);
	adjctx a;
	int rc = adj_init(&a, g, x, nx, y, ny, include, ninclude, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < ninclude; i++)
		if (BIT(a.dag.latent, include[i])) {
			adj_free(&a);
			return wb_err_set(err, WB_EINVAL, "%s is latent and cannot be adjusted for",
					  wb_graph_node_name(g, include[i]));
		}
	if (!a.amenable) {
		adj_free(&a);
		return 0;
	}
	size_t W = a.dag.W;
	word *inc = bs_new(W), *allowed = bs_new(W);
	if (!inc || !allowed) {
		rc = nomem(err);
		goto out;
	}
	bs_from(inc, W, include, ninclude);
	adj_allowed(&a, allowed);
	if (bs_meets(inc, a.forb, W)) {
		/* A forced node is forbidden: no valid set contains it. */
		goto out;
	}
	if (min_separators(&a.pbd, a.x, a.y, inc, allowed, WB_IDENTIFY_MAX_SETS, out)) {
		wb_identify_sets_free(out);
		rc = nomem(err);
	}
out:
	free(inc);
	free(allowed);
	adj_free(&a);
	return rc;
}

/* "backdoor" when the written path starts with an arrow into X, else "non-causal". */
static const char *path_kind(const lg *l, const word *x, const char *path)
{
	FOR_EACH(v, x, l->n)
	{
		size_t k = strlen(nm(l, v));
		if (strncmp(path, nm(l, v), k) == 0 && strncmp(path + k, " <", 2) == 0)
			return "backdoor";
	}
	return "non-causal";
}

/* Shared by the two set checks: *valid, and why when not. */
static int check_set(const lg *test, const word *x, const word *y, const word *z,
		     const word *forbidden, const char *forbidden_what, int *valid, char *why,
		     size_t whysize)
{
	char tmp[WB_ERR_MAX];
	if (!why) {
		why = tmp;
		whysize = sizeof tmp;
	}
	if (whysize)
		why[0] = '\0';
	size_t n = test->n;
	FOR_EACH(v, z, n)
	{
		if (BIT(forbidden, v)) {
			*valid = 0;
			snprintf(why, whysize, "the set contains %s, %s", nm(test, v),
				 forbidden_what);
			return 0;
		}
		if (BIT(test->latent, v)) {
			*valid = 0;
			snprintf(why, whysize, "the set contains %s, which is latent", nm(test, v));
			return 0;
		}
	}
	char path[WB_ERR_MAX];
	int found = open_path(test, x, y, z, path, sizeof path);
	if (found < 0)
		return WB_ENOMEM;
	*valid = !found;
	if (found)
		snprintf(why, whysize, "open %s path: %s", path_kind(test, x, path), path);
	return 0;
}

int wb_identify_is_adjustment(const wb_graph *g, const size_t *x, size_t nx, const size_t *y,
			      size_t ny, const size_t *z, size_t nz, int *valid, char *why,
			      size_t whysize, wb_err *err)
{
	adjctx a;
	int rc = adj_init(&a, g, x, nx, y, ny, z, nz, err);
	if (rc)
		return rc;
	if (!a.amenable) {
		*valid = 0;
		if (why && whysize)
			snprintf(why, whysize, "%s", a.why);
		adj_free(&a);
		return 0;
	}
	word *zs = bs_new(a.dag.W);
	if (!zs) {
		adj_free(&a);
		return nomem(err);
	}
	bs_from(zs, a.dag.W, z, nz);
	rc = check_set(&a.pbd, a.x, a.y, zs, a.forb, "a descendant of a node on a causal path",
		       valid, why, whysize);
	free(zs);
	adj_free(&a);
	return rc ? nomem(err) : 0;
}

/* The graph without the directed edges out of the nodes of s (G with s "underlined"). */
static int without_out_edges(const lg *l, const word *s, lg *out)
{
	if (lg_copy(out, l))
		return WB_ENOMEM;
	FOR_EACH(v, s, l->n)
	{
		for (size_t u = 0; u < l->n; u++)
			if (directed(out, v, u))
				lg_cut(out, v, u);
	}
	lg_index(out);
	return 0;
}

static int has_undirected_edge(const lg *l)
{
	for (size_t u = 0; u < l->n; u++)
		for (size_t v = u + 1; v < l->n; v++)
			if (undirected(l, u, v))
				return 1;
	return 0;
}

int wb_identify_is_backdoor(const wb_graph *g, const size_t *x, size_t nx, const size_t *y,
			    size_t ny, const size_t *z, size_t nz, int *valid, char *why,
			    size_t whysize, wb_err *err)
{
	int rc = check_sets(g, x, nx, y, ny, z, nz, 0, err);
	if (rc)
		return rc;
	lg l, cut;
	if (lg_init(&l, g))
		return nomem(err);
	if (has_undirected_edge(&l)) {
		lg_free(&l);
		return wb_err_set(err, WB_EINVAL,
				  "the backdoor criterion needs every edge oriented (the graph has "
				  "undirected edges)");
	}
	word *b = three_sets(&l, x, nx, y, ny, z, nz), *de = bs_new(l.W);
	if (!b || !de || without_out_edges(&l, b, &cut)) {
		free(b);
		free(de);
		lg_free(&l);
		return nomem(err);
	}
	reach_dir(&l, b, 0, 0, de);
	rc = check_set(&cut, b, b + l.W, b + 2 * l.W, de, "a descendant of the exposure", valid,
		       why, whysize);
	free(b);
	free(de);
	lg_free(&cut);
	lg_free(&l);
	return rc ? nomem(err) : 0;
}

/* ---- frontdoor (Pearl 1995) ---- */

typedef struct fdsearch {
	const lg *l;
	size_t x, y;
	const word *cand;
	word *chosen;
	wb_sets *out;
	long budget;
	int rc;
} fdsearch;

/* A directed path from x to y avoiding the chosen nodes, into path (nodes, x first); returns
 * its length, 0 if none. */
static size_t directed_path_avoiding(const lg *l, size_t x, size_t y, const word *avoid,
				     size_t *path, size_t *prev)
{
	size_t n = l->n, head = 0, tail = 0;
	size_t *queue = path; /* reused: filled with the path afterwards */
	for (size_t i = 0; i < n; i++)
		prev[i] = n;
	prev[x] = x;
	queue[tail++] = x;
	while (head < tail) {
		size_t v = queue[head++];
		FOR_EACH(u, l->ch + v * l->W, n)
		{
			if (prev[u] != n || BIT(avoid, u))
				continue;
			prev[u] = v;
			queue[tail++] = u;
		}
	}
	if (prev[y] == n)
		return 0;
	size_t len = 0;
	for (size_t v = y; v != x; v = prev[v])
		len++;
	len++;
	size_t k = len;
	for (size_t v = y;; v = prev[v]) {
		path[--k] = v;
		if (v == x)
			break;
	}
	return len;
}

/* Hitting-set branching: every directed x → y path needs a chosen node; branch on the
 * candidates of one path that avoids the chosen ones. */
static void fd_branch(fdsearch *fs, size_t depth)
{
	const lg *l = fs->l;
	size_t n = l->n;
	if (fs->rc || --fs->budget < 0 || depth > n)
		return;
	size_t *path = malloc(2 * n * sizeof *path);
	if (!path) {
		fs->rc = WB_ENOMEM;
		return;
	}
	size_t len = directed_path_avoiding(l, fs->x, fs->y, fs->chosen, path, path + n);
	if (len == 0) {
		/* chosen intercepts everything; keep it when minimal. */
		int minimal = 1;
		FOR_EACH(v, fs->chosen, n)
		{
			CLR(fs->chosen, v);
			size_t len2 =
			    directed_path_avoiding(l, fs->x, fs->y, fs->chosen, path, path + n);
			SET(fs->chosen, v);
			if (len2 == 0) {
				minimal = 0;
				break;
			}
		}
		int dup = 0;
		if (minimal) {
			size_t c = bs_count(fs->chosen, l->W), i = 0;
			size_t *tmp = malloc((c ? c : 1) * sizeof *tmp);
			if (!tmp) {
				fs->rc = WB_ENOMEM;
				free(path);
				return;
			}
			FOR_EACH(v, fs->chosen, n)
			tmp[i++] = v;
			for (size_t k = 0; k < fs->out->n && !dup; k++)
				dup = cmp_sets(tmp, c, fs->out->set[k], fs->out->size[k]) == 0;
			free(tmp);
			if (!dup && sets_add(fs->out, fs->chosen, NULL, n, l->W))
				fs->rc = WB_ENOMEM;
		}
		free(path);
		return;
	}
	size_t *copy = malloc(len * sizeof *copy);
	if (!copy) {
		free(path);
		fs->rc = WB_ENOMEM;
		return;
	}
	memcpy(copy, path, len * sizeof *copy);
	free(path);
	for (size_t k = 1; k + 1 < len; k++) {
		size_t v = copy[k];
		if (!BIT(fs->cand, v))
			continue;
		SET(fs->chosen, v);
		fd_branch(fs, depth + 1);
		CLR(fs->chosen, v);
	}
	free(copy);
}

static int one_sep(const lg *l, size_t a, size_t b, const word *z, int *separated)
{
	size_t W = l->W;
	word *s = bs_new(2 * W);
	if (!s)
		return WB_ENOMEM;
	SET(s, a);
	SET(s + W, b);
	int rc = sep_sets(l, s, s + W, z, separated);
	free(s);
	return rc;
}

static int frontdoor(const lg *l, size_t x, size_t y, wb_sets *out, char *why, size_t whysize)
{
	size_t n = l->n, W = l->W;
	int rc = WB_ENOMEM;
	word *xs = bs_new(W), *cand = bs_new(W), *chosen = bs_new(W), *med = bs_new(W),
	     *empty = bs_new(W), *single = bs_new(W);
	lg gx = {0};
	if (!xs || !cand || !chosen || !med || !empty || !single)
		goto out;
	SET(xs, x);
	word *ys = single;
	SET(ys, y);
	if ((rc = causal_nodes(l, xs, ys, 0, med)))
		goto out;
	CLR(med, y);
	if (directed(l, x, y)) {
		snprintf(why, whysize, "%s -> %s is a direct edge, which no set can intercept",
			 nm(l, x), nm(l, y));
		goto out;
	}
	if (!bs_any(med, W)) {
		snprintf(why, whysize, "there is no directed path from %s to %s", nm(l, x),
			 nm(l, y));
		goto out;
	}
	if ((rc = without_out_edges(l, xs, &gx)))
		goto out;
	/* Candidates: observed mediators z with no open backdoor path from X to z, and every
	 * backdoor path from z to Y blocked by X. */
	FOR_EACH(z, med, n)
	{
		if (BIT(l->latent, z))
			continue;
		int sep1, sep2;
		if ((rc = one_sep(&gx, x, z, empty, &sep1)))
			goto out;
		if (!sep1)
			continue;
		lg gz;
		bs_zero(single, W);
		SET(single, z);
		if ((rc = without_out_edges(l, single, &gz)))
			goto out;
		rc = one_sep(&gz, z, y, xs, &sep2);
		lg_free(&gz);
		if (rc)
			goto out;
		if (sep2)
			SET(cand, z);
	}
	fdsearch fs = {l, x, y, cand, chosen, out, 100000, 0};
	fd_branch(&fs, 0);
	if ((rc = fs.rc))
		goto out;
	sets_sort(out);
	if (out->n == 0)
		snprintf(
		    why, whysize,
		    "no set of observed mediators intercepts every directed path from %s to %s "
		    "while keeping the backdoor conditions",
		    nm(l, x), nm(l, y));
out:
	lg_free(&gx);
	free(xs);
	free(cand);
	free(chosen);
	free(med);
	free(empty);
	free(single);
	return rc;
}

/* ---- instruments ---- */

static int instruments(const lg *l, size_t x, size_t y, wb_identification *id)
{
	size_t n = l->n, W = l->W;
	int rc = WB_ENOMEM;
	word *xs = bs_new(W), *ys = bs_new(W), *zs = bs_new(W), *de = bs_new(W),
	     *allowed = bs_new(W), *empty = bs_new(W), *w = bs_new(W);
	lg gx = {0};
	if (!xs || !ys || !zs || !de || !allowed || !empty || !w)
		goto out;
	SET(xs, x);
	SET(ys, y);
	word *xy = allowed;
	SET(xy, x);
	SET(xy, y);
	reach_dir(l, xy, 0, 0, de);
	if ((rc = without_out_edges(l, xs, &gx)))
		goto out;
	for (size_t z = 0; z < n; z++) {
		if (z == x || z == y || BIT(de, z) || BIT(l->latent, z))
			continue;
		bs_zero(zs, W);
		SET(zs, z);
		/* W: observed non-descendants of X and Y other than z. */
		for (size_t k = 0; k < W; k++)
			allowed[k] = ~de[k] & ~l->latent[k] & ~zs[k];
		for (size_t v = n; v < W * WBITS; v++)
			CLR(allowed, v);
		wb_sets seps = {0};
		if ((rc = min_separators(&gx, zs, ys, empty, allowed, 200, &seps)))
			goto out;
		long found = -1;
		for (size_t k = 0; k < seps.n && found < 0; k++) {
			bs_from(w, W, seps.set[k], seps.size[k]);
			int sep;
			if ((rc = one_sep(l, z, x, w, &sep))) {
				wb_identify_sets_free(&seps);
				goto out;
			}
			if (!sep)
				found = (long)k;
		}
		if (found >= 0) {
			wb_instrument *iv =
			    realloc(id->instruments, (id->ninstruments + 1) * sizeof *iv);
			size_t c = seps.size[found];
			size_t *given = malloc((c ? c : 1) * sizeof *given);
			if (iv)
				id->instruments = iv;
			if (!iv || !given) {
				free(given);
				wb_identify_sets_free(&seps);
				rc = WB_ENOMEM;
				goto out;
			}
			memcpy(given, seps.set[found], c * sizeof *given);
			iv[id->ninstruments++] = (wb_instrument){z, given, c};
		}
		wb_identify_sets_free(&seps);
	}
	if (id->ninstruments == 0)
		snprintf(id->instrument_why, sizeof id->instrument_why,
			 "no observed node is associated with %s and separated from %s (given "
			 "non-descendants) once %s's outgoing edges are removed",
			 nm(l, x), nm(l, y), nm(l, x));
	rc = 0;
out:
	lg_free(&gx);
	free(xs);
	free(ys);
	free(zs);
	free(de);
	free(allowed);
	free(empty);
	free(w);
	return rc;
}

/* ---- everything ---- */

void wb_identify_free(wb_identification *id)
{
	if (!id)
		return;
	wb_identify_sets_free(&id->adjustment);
	wb_identify_sets_free(&id->frontdoor);
	for (size_t i = 0; i < id->ninstruments; i++)
		free(id->instruments[i].given);
	free(id->instruments);
	memset(id, 0, sizeof *id);
}

/* Why no adjustment set exists: the path left open by the largest allowed set (van der Zander
 * et al. 2019: if any set works, the allowed part of An(X ∪ Y) does). */
static int adjustment_why(const adjctx *a, char *why, size_t size)
{
	size_t W = a->dag.W;
	word *z = bs_new(W), *anc = bs_new(W), *xy = bs_new(W);
	int rc = WB_ENOMEM;
	if (!z || !anc || !xy)
		goto out;
	for (size_t k = 0; k < W; k++)
		xy[k] = a->x[k] | a->y[k];
	reach_dir(&a->pbd, xy, 1, 0, anc);
	adj_allowed(a, z);
	for (size_t k = 0; k < W; k++)
		z[k] &= anc[k];
	char path[WB_ERR_MAX - 100];
	int found = open_path(&a->pbd, a->x, a->y, z, path, sizeof path);
	if (found < 0)
		goto out;
	if (found)
		snprintf(why, size, "open %s path that no observed set can block: %s",
			 path_kind(&a->pbd, a->x, path), path);
	else
		snprintf(why, size, "no adjustment set");
	rc = 0;
out:
	free(z);
	free(anc);
	free(xy);
	return rc;
}

int wb_identify_effect(const wb_graph *g, const size_t *x, size_t nx, const size_t *y, size_t ny,
		       wb_identification *out, wb_err *err)
{
	memset(out, 0, sizeof *out);
	int rc = wb_identify_adjustment_sets(g, x, nx, y, ny, NULL, 0, &out->adjustment, err);
	if (rc)
		return rc;
	adjctx a;
	if ((rc = adj_init(&a, g, x, nx, y, ny, NULL, 0, err)))
		return rc;
	out->amenable = a.amenable;
	if (!a.amenable)
		snprintf(out->adjustment_why, sizeof out->adjustment_why, "%s", a.why);
	else if (out->adjustment.n == 0 &&
		 adjustment_why(&a, out->adjustment_why, sizeof out->adjustment_why))
		rc = nomem(err);
	int oriented = !has_undirected_edge(&a.dag) && a.amenable;
	lg l;
	int have_l = 0;
	if (rc == 0 && nx == 1 && ny == 1 && oriented) {
		if (lg_init(&l, g))
			rc = nomem(err);
		else
			have_l = 1;
		if (rc == 0 && frontdoor(&l, x[0], y[0], &out->frontdoor, out->frontdoor_why,
					 sizeof out->frontdoor_why))
			rc = nomem(err);
		if (rc == 0 && instruments(&l, x[0], y[0], out))
			rc = nomem(err);
	} else if (rc == 0) {
		const char *why = nx == 1 && ny == 1
				      ? "needs every edge oriented (the graph has undirected edges)"
				      : "searched for one exposure and one outcome only";
		snprintf(out->frontdoor_why, sizeof out->frontdoor_why, "%s", why);
		snprintf(out->instrument_why, sizeof out->instrument_why, "%s", why);
	}
	if (have_l)
		lg_free(&l);
	adj_free(&a);
	if (rc)
		wb_identify_free(out);
	return rc;
}

/* ---- roles ---- */

const char *wb_identify_role_name(int flag)
{
	static const char *const names[WB_NODE_NROLES] = {"exposure",
							  "outcome",
							  "confounder",
							  "mediator",
							  "collider",
							  "descendant of outcome",
							  "descendant of exposure",
							  "cause of exposure",
							  "cause of outcome",
							  "instrument",
							  "latent"};
	for (int k = 0; k < WB_NODE_NROLES; k++)
		if (flag == 1 << k)
			return names[k];
	return "irrelevant";
}

/* Is v a collider on some path between X and Y? Two different nodes p, q with arrowheads at
 * v, X connected to p and q connected to Y in the skeleton without v. */
static int collider_between(const lg *l, size_t v, const word *x, const word *y, word *fromx,
			    word *fromy)
{
	size_t n = l->n, W = l->W;
	/* Components in the skeleton without v. */
	ug u = {n, W, bs_new(n * W), bs_new(W)};
	word *tmp = bs_new(2 * W);
	int res = 0;
	if (!u.adj || !u.present || !tmp)
		goto out;
	for (size_t a = 0; a < n; a++) {
		if (a == v)
			continue;
		SET(u.present, a);
		for (size_t b = a + 1; b < n; b++)
			if (b != v && mark(l, a, b))
				ug_link(&u, a, b);
	}
	ug_comp(&u, x, u.present, fromx, tmp);
	ug_comp(&u, y, u.present, fromy, tmp);
	for (size_t p = 0; p < n && !res; p++) {
		if (p == v || mark(l, p, v) != WB_MARK_ARROW || !BIT(fromx, p))
			continue;
		for (size_t q = 0; q < n && !res; q++)
			if (q != p && q != v && mark(l, q, v) == WB_MARK_ARROW && BIT(fromy, q))
				res = 1;
	}
out:
	ug_free(&u);
	free(tmp);
	return res;
}

int wb_identify_roles(const wb_graph *g, const size_t *x, size_t nx, const size_t *y, size_t ny,
		      int *roles, wb_err *err)
{
	int rc = check_sets(g, x, nx, y, ny, NULL, 0, 0, err);
	if (rc)
		return rc;
	lg l, nox;
	if (lg_init(&l, g))
		return nomem(err);
	size_t n = l.n, W = l.W;
	word *b = three_sets(&l, x, nx, y, ny, NULL, 0);
	word *anx = bs_new(W), *any = bs_new(W), *dex = bs_new(W), *dey = bs_new(W),
	     *any_nox = bs_new(W), *t1 = bs_new(W), *t2 = bs_new(W);
	if (!b || !anx || !any || !dex || !dey || !any_nox || !t1 || !t2 || lg_copy(&nox, &l)) {
		rc = nomem(err);
		goto out;
	}
	const word *xs = b, *ys = b + W;
	reach_dir(&l, xs, 1, 0, anx);
	reach_dir(&l, ys, 1, 0, any);
	reach_dir(&l, xs, 0, 0, dex);
	reach_dir(&l, ys, 0, 0, dey);
	/* Ancestors of Y not through X: X's incoming edges cut. */
	FOR_EACH(v, xs, n)
	{
		for (size_t u = 0; u < n; u++)
			if (directed(&nox, u, v))
				lg_cut(&nox, u, v);
	}
	lg_index(&nox);
	reach_dir(&nox, ys, 1, 0, any_nox);
	for (size_t v = 0; v < n; v++) {
		int r = 0;
		if (BIT(xs, v))
			r |= WB_NODE_EXPOSURE;
		else if (BIT(ys, v))
			r |= WB_NODE_OUTCOME;
		else {
			int ax = BIT(anx, v), ay = BIT(any_nox, v), dx = BIT(dex, v),
			    dy = BIT(dey, v);
			if (dx && BIT(any, v))
				r |= WB_NODE_MEDIATOR;
			else if (ax && ay)
				r |= WB_NODE_CONFOUNDER;
			else if (ax)
				r |= WB_NODE_EXPOSURE_CAUSE;
			else if (ay && !dx)
				r |= WB_NODE_OUTCOME_CAUSE;
			if (dy)
				r |= WB_NODE_OUTCOME_DESC;
			else if (dx && !(r & WB_NODE_MEDIATOR))
				r |= WB_NODE_EXPOSURE_DESC;
			if (collider_between(&l, v, xs, ys, t1, t2))
				r |= WB_NODE_COLLIDER;
			if (BIT(l.latent, v))
				r |= WB_NODE_LATENT;
		}
		roles[v] = r;
	}
	if (nx == 1 && ny == 1 && !has_undirected_edge(&l)) {
		wb_identification id = {0};
		if (instruments(&l, x[0], y[0], &id)) {
			rc = nomem(err);
		} else {
			for (size_t k = 0; k < id.ninstruments; k++)
				roles[id.instruments[k].node] |= WB_NODE_INSTRUMENT;
		}
		wb_identify_free(&id);
	}
	lg_free(&nox);
out:
	lg_free(&l);
	free(b);
	free(anx);
	free(any);
	free(dex);
	free(dey);
	free(any_nox);
	free(t1);
	free(t2);
	return rc;
}

/* ---- testable implications ---- */

void wb_identify_implications_free(wb_implication *imp, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(imp[i].given);
	free(imp);
}

#define IMPLICATIONS_PER_PAIR 8

int wb_identify_implications(const wb_graph *g, wb_implication **out, size_t *nout, wb_err *err)
{
	*out = NULL;
	*nout = 0;
	if (strcmp(wb_graph_kind(g), "pag") == 0)
		return wb_err_set(
		    err, WB_EINVAL,
		    "the graph has circle marks (a PAG): implications need a DAG, ADMG "
		    "or CPDAG");
	lg l;
	if (lg_init(&l, g))
		return nomem(err);
	size_t n = l.n, W = l.W;
	int rc = 0;
	/* Markov-equivalent DAGs imply the same separations: use one DAG of a CPDAG's class. */
	if (has_undirected_edge(&l) && extend_to_dag(&l)) {
		lg_free(&l);
		return wb_err_set(
		    err, WB_EINVAL,
		    "the undirected edges cannot be oriented without a new collider or "
		    "a cycle (not a CPDAG)");
	}
	word *a = bs_new(W), *b = bs_new(W), *empty = bs_new(W), *allowed = bs_new(W);
	wb_implication *list = NULL;
	size_t nlist = 0, cap = 0;
	if (!a || !b || !empty || !allowed) {
		rc = nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (BIT(l.latent, i))
			continue;
		for (size_t j = i + 1; j < n && rc == 0; j++) {
			if (BIT(l.latent, j) || mark(&l, i, j))
				continue;
			bs_zero(a, W);
			bs_zero(b, W);
			SET(a, i);
			SET(b, j);
			for (size_t k = 0; k < W; k++)
				allowed[k] = ~l.latent[k] & ~a[k] & ~b[k];
			for (size_t v = n; v < W * WBITS; v++)
				CLR(allowed, v);
			wb_sets seps = {0};
			if (min_separators(&l, a, b, empty, allowed, 200, &seps)) {
				rc = nomem(err);
				break;
			}
			/* Sorted by size: take the smallest ones. */
			for (size_t k = 0; k < seps.n && k < IMPLICATIONS_PER_PAIR; k++) {
				if (seps.size[k] != seps.size[0])
					break;
				if (nlist == cap) {
					size_t nc = cap ? 2 * cap : 32;
					wb_implication *nl = realloc(list, nc * sizeof *nl);
					if (!nl) {
						rc = nomem(err);
						break;
					}
					list = nl;
					cap = nc;
				}
				size_t c = seps.size[k];
				size_t *given = malloc((c ? c : 1) * sizeof *given);
				if (!given) {
					rc = nomem(err);
					break;
				}
				memcpy(given, seps.set[k], c * sizeof *given);
				list[nlist++] = (wb_implication){i, j, given, c};
			}
			wb_identify_sets_free(&seps);
		}
	}
out:
	if (rc) {
		wb_identify_implications_free(list, nlist);
	} else {
		*out = list;
		*nout = nlist;
	}
	free(a);
	free(b);
	free(empty);
	free(allowed);
	lg_free(&l);
	return rc;
}
