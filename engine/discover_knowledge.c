/* discover_knowledge.c — background knowledge for discovery: tiers, forbidden and required
 * edges; parsing, binding to variables and the contradiction checks. See discover.h. */
#include "discover_impl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct kn_edge {
	char *from, *to;
	int required;
} kn_edge;

struct wb_knowledge {
	char **tname; /* names in tiers, with their tier in ttier (0 = first) */
	size_t *ttier;
	size_t nt, ntiers;
	kn_edge *e;
	size_t ne, cape;
};

wb_knowledge *wb_knowledge_new(void)
{
	return calloc(1, sizeof(wb_knowledge));
}

static void free_tiers(wb_knowledge *k)
{
	for (size_t i = 0; i < k->nt; i++)
		free(k->tname[i]);
	free(k->tname);
	free(k->ttier);
	k->tname = NULL;
	k->ttier = NULL;
	k->nt = k->ntiers = 0;
}

void wb_knowledge_free(wb_knowledge *k)
{
	if (!k)
		return;
	free_tiers(k);
	for (size_t i = 0; i < k->ne; i++) {
		free(k->e[i].from);
		free(k->e[i].to);
	}
	free(k->e);
	free(k);
}

int wb_knowledge_empty(const wb_knowledge *k)
{
	return !k || (k->nt == 0 && k->ne == 0);
}

char *wb_disc_trimmed(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	char *out = malloc(len + 1);
	if (out) {
		memcpy(out, s, len);
		out[len] = '\0';
	}
	return out;
}

int wb_knowledge_set_tiers(wb_knowledge *k, const char *text, wb_err *err)
{
	wb_knowledge t = {0};
	const char *p = text;
	int rc = 0;
	for (size_t tier = 0;; tier++) {
		const char *bar = strchr(p, '|');
		const char *end = bar ? bar : p + strlen(p);
		size_t before = t.nt;
		for (const char *q = p; q < end && !rc;) {
			while (q < end && (isspace((unsigned char)*q) || *q == ','))
				q++;
			const char *w = q;
			while (q < end && *q != ',')
				q++;
			if (q == w)
				break;
			char *name = wb_disc_trimmed(w, (size_t)(q - w));
			char **nn = realloc(t.tname, (t.nt + 1) * sizeof *nn);
			size_t *tt = nn ? realloc(t.ttier, (t.nt + 1) * sizeof *tt) : NULL;
			if (nn)
				t.tname = nn;
			if (tt)
				t.ttier = tt;
			if (!name || !nn || !tt) {
				free(name);
				rc = wb_err_set(err, WB_ENOMEM, "out of memory");
				break;
			}
			for (size_t i = 0; i < t.nt && !rc; i++)
				if (strcmp(t.tname[i], name) == 0)
					rc = wb_err_set(err, WB_EPARSE,
							"tiers: '%s' is in tier %zu and tier %zu",
							name, t.ttier[i] + 1, tier + 1);
			t.tname[t.nt] = name;
			t.ttier[t.nt++] = tier;
		}
		if (!rc && t.nt == before)
			rc = wb_err_set(err, WB_EPARSE, "tiers: tier %zu is empty", tier + 1);
		if (rc || !bar) {
			t.ntiers = tier + 1;
			break;
		}
		p = bar + 1;
	}
	if (rc) {
		free_tiers(&t);
		return rc;
	}
	free_tiers(k);
	k->tname = t.tname;
	k->ttier = t.ttier;
	k->nt = t.nt;
	k->ntiers = t.ntiers;
	return 0;
}

int wb_knowledge_add_edges(wb_knowledge *k, const char *text, int required, wb_err *err)
{
	const char *what = required ? "require" : "forbid";
	size_t first = k->ne;
	const char *p = text;
	int rc = 0;
	while (!rc) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char *piece = wb_disc_trimmed(p, len);
		if (!piece)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		char *arrow = strstr(piece, "->");
		char *from = arrow ? wb_disc_trimmed(piece, (size_t)(arrow - piece)) : NULL;
		char *to = arrow ? wb_disc_trimmed(arrow + 2, strlen(arrow + 2)) : NULL;
		if (!arrow || !from || !to || !*from || !*to || strstr(to, "->") ||
		    strpbrk(from, "<>") || strpbrk(to, "<>")) {
			rc = wb_err_set(err, WB_EPARSE, "%s: '%s' is not an edge (write A->B)",
					what, piece);
		} else if (k->ne == k->cape) {
			size_t cap = k->cape ? 2 * k->cape : 8;
			kn_edge *e = realloc(k->e, cap * sizeof *e);
			if (!e)
				rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			else
				k->e = e, k->cape = cap;
		}
		if (!rc) {
			k->e[k->ne++] = (kn_edge){from, to, required};
			from = to = NULL;
		}
		free(from);
		free(to);
		free(piece);
		if (!comma)
			break;
		p = comma + 1;
	}
	if (rc) { /* leave the knowledge as it was */
		for (size_t i = first; i < k->ne; i++) {
			free(k->e[i].from);
			free(k->e[i].to);
		}
		k->ne = first;
	}
	return rc;
}

char *wb_knowledge_text(const wb_knowledge *k, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
#define PUT(...)                                                                                   \
	do {                                                                                       \
		if (used < size)                                                                   \
			used += (size_t)snprintf(buf + used, size - used, __VA_ARGS__);            \
	} while (0)
	if (!k)
		return buf;
	if (k->nt) {
		PUT("tiers ");
		for (size_t i = 0; i < k->nt; i++)
			PUT("%s%s",
			    i == 0			     ? ""
			    : k->ttier[i] != k->ttier[i - 1] ? " | "
							     : ",",
			    k->tname[i]);
	}
	for (int req = 0; req < 2; req++) {
		int first = 1;
		for (size_t i = 0; i < k->ne; i++)
			if (k->e[i].required == req) {
				PUT("%s%s->%s",
				    first ? (used ? (req ? "; require " : "; forbid ")
						  : (req ? "require " : "forbid "))
					  : ",",
				    k->e[i].from, k->e[i].to);
				first = 0;
			}
	}
#undef PUT
	return buf;
}

/* ---- binding and checking ---- */

static long find_name(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (long)i;
	return -1;
}

/* A directed cycle among the required edges, written into msg, or 0. */
static int required_cycle(const unsigned char *req, size_t p, const char *const *names, char *msg,
			  size_t size)
{
	int *state = calloc(p, sizeof *state); /* 0 new, 1 on the stack, 2 done */
	size_t *stack = malloc(p * sizeof *stack), *it = malloc(p * sizeof *it);
	int found = 0;
	for (size_t s = 0; s < p && !found && state && stack && it; s++) {
		if (state[s])
			continue;
		size_t top = 0;
		stack[0] = s;
		it[0] = 0;
		state[s] = 1;
		while (top != (size_t)-1 && !found) {
			size_t v = stack[top];
			if (it[top] == p) {
				state[v] = 2;
				top--;
				continue;
			}
			size_t w = it[top]++;
			if (!req[v * p + w])
				continue;
			if (state[w] == 1) { /* the cycle is w .. v on the stack, then w */
				size_t from = 0;
				while (stack[from] != w)
					from++;
				size_t used = 0;
				for (size_t i = from; i <= top && used < size; i++)
					used += (size_t)snprintf(msg + used, size - used, "%s -> ",
								 names[stack[i]]);
				if (used < size)
					snprintf(msg + used, size - used, "%s", names[w]);
				found = 1;
			} else if (state[w] == 0) {
				state[w] = 1;
				stack[++top] = w;
				it[top] = 0;
			}
		}
	}
	free(state);
	free(stack);
	free(it);
	return found;
}

int wb_kb_bind(const wb_knowledge *k, const char *const *names, size_t p, wb_kb *out, wb_err *err)
{
	*out = (wb_kb){p, 0, NULL, NULL};
	if (wb_knowledge_empty(k))
		return 0;
	long *tier = malloc(p * sizeof *tier);
	out->forbid = calloc(p * p, 1);
	out->require = calloc(p * p, 1);
	out->any = 1;
	if (!tier || !out->forbid || !out->require) {
		free(tier);
		wb_kb_free(out);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	int rc = 0;
	for (size_t i = 0; i < p; i++)
		tier[i] = -1;
	for (size_t i = 0; i < k->nt && !rc; i++) {
		long j = find_name(names, p, k->tname[i]);
		if (j < 0)
			rc = wb_err_set(
			    err, WB_EINVAL, "knowledge: unknown column '%s'%s", k->tname[i],
			    strchr(k->tname[i], ' ') ? " (names in a tier are separated by commas)"
						     : "");
		else
			tier[j] = (long)k->ttier[i];
	}
	for (size_t i = 0; i < k->ne && !rc; i++) {
		long a = find_name(names, p, k->e[i].from), b = find_name(names, p, k->e[i].to);
		if (a < 0 || b < 0)
			rc = wb_err_set(err, WB_EINVAL, "knowledge: unknown column '%s'",
					a < 0 ? k->e[i].from : k->e[i].to);
		else if (a == b)
			rc = wb_err_set(err, WB_EINVAL,
					"knowledge: %s -> %s is an edge from a node to itself",
					names[a], names[b]);
		else
			(k->e[i].required ? out->require : out->forbid)[a * (long)p + b] = 1;
	}
	for (size_t a = 0; a < p && !rc; a++)
		for (size_t b = 0; b < p && !rc; b++) {
			if (out->require[a * p + b] && out->forbid[a * p + b])
				rc =
				    wb_err_set(err, WB_EINVAL,
					       "knowledge: %s -> %s is both required and forbidden",
					       names[a], names[b]);
			else if (out->require[a * p + b] && tier[a] >= 0 && tier[b] >= 0 &&
				 tier[b] < tier[a])
				rc = wb_err_set(
				    err, WB_EINVAL,
				    "knowledge: required %s -> %s goes against the tiers: "
				    "'%s' (tier %ld) precedes '%s' (tier %ld)",
				    names[a], names[b], names[b], tier[b] + 1, names[a],
				    tier[a] + 1);
		}
	char cyc[WB_ERR_MAX - 64];
	if (!rc && required_cycle(out->require, p, names, cyc, sizeof cyc))
		rc = wb_err_set(err, WB_EINVAL, "knowledge: required edges make a cycle: %s", cyc);
	for (size_t a = 0; a < p && !rc; a++)
		for (size_t b = 0; b < p; b++)
			if ((tier[a] >= 0 && tier[b] >= 0 && tier[a] > tier[b]) ||
			    out->require[b * p + a])
				out->forbid[a * p + b] = 1;
	free(tier);
	if (rc)
		wb_kb_free(out);
	return rc;
}

void wb_kb_free(wb_kb *kb)
{
	free(kb->forbid);
	free(kb->require);
	kb->forbid = kb->require = NULL;
	kb->any = 0;
}

int wb_knowledge_check(const wb_knowledge *k, const char *const *names, size_t n, wb_err *err)
{
	wb_kb kb;
	int rc = wb_kb_bind(k, names, n, &kb, err);
	if (!rc)
		wb_kb_free(&kb);
	return rc;
}
