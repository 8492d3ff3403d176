/* cmd.c — the command table: lookup and argument helpers. See cmd.h. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const wb_cmd *const wb_cmd_groups[] = {wb_cmds_data, wb_cmds_graph, wb_cmds_discover, wb_cmds_effects, wb_cmds_bandit, wb_cmds_workspace, NULL};

const wb_cmd *wb_cmd_find(const wb_token *t, size_t n, size_t *used)
{
	if (n == 0 || t[0].kind != WB_TOK_WORD)
		return NULL;
	/* Two-word names first ("save data"), then one word. */
	if (n >= 2 && t[1].kind == WB_TOK_WORD && !t[1].quoted) {
		char two[128];
		snprintf(two, sizeof two, "%s %s", t[0].text, t[1].text);
		for (const wb_cmd *const *g = wb_cmd_groups; *g; g++)
			for (const wb_cmd *c = *g; c->name; c++)
				if (strcmp(c->name, two) == 0) {
					*used = 2;
					return c;
				}
	}
	for (const wb_cmd *const *g = wb_cmd_groups; *g; g++)
		for (const wb_cmd *c = *g; c->name; c++)
			if (strcmp(c->name, t[0].text) == 0) {
				*used = 1;
				return c;
			}
	return NULL;
}

const char *wb_arg_opt(const wb_args *a, const char *key, const char *def)
{
	for (size_t i = 0; i < a->nopt; i++)
		if (strcmp(a->opt[i]->text, key) == 0)
			return a->opt[i]->value;
	return def;
}

int wb_arg_long(const wb_args *a, const char *key, long def, long lo, long hi, long *out,
		wb_err *err)
{
	const char *v = wb_arg_opt(a, key, NULL);
	if (!v) {
		*out = def;
		return 0;
	}
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < lo || x > hi)
		return wb_err_set(err, WB_EINVAL, "%s: %s must be a whole number from %ld to %ld, got '%s'",
				  a->name, key, lo, hi, v);
	*out = x;
	return 0;
}

int wb_arg_double(const wb_args *a, const char *key, double def, double *out, wb_err *err)
{
	const char *v = wb_arg_opt(a, key, NULL);
	if (!v) {
		*out = def;
		return 0;
	}
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(x))
		return wb_err_set(err, WB_EINVAL, "%s: %s must be a number, got '%s'", a->name, key, v);
	*out = x;
	return 0;
}

const char *wb_arg_word(const wb_args *a, size_t i)
{
	return i < a->npos ? a->pos[i]->text : NULL;
}

int wb_arg_count(const wb_args *a, size_t lo, size_t hi, wb_err *err)
{
	if (a->npos < lo || a->npos > hi) {
		const char *syn = a->name;
		for (const wb_cmd *const *g = wb_cmd_groups; *g; g++)
			for (const wb_cmd *c = *g; c->name; c++)
				if (strcmp(c->name, a->name) == 0)
					syn = c->synopsis;
		if (a->npos < lo)
			return wb_err_set(err, WB_EINVAL, "%s: missing argument (usage: %s)", a->name, syn);
		return wb_err_set(err, WB_EINVAL, "%s: unexpected argument '%s' (usage: %s)", a->name,
				  a->pos[hi]->text, syn);
	}
	return 0;
}

int wb_arg_as(wb_args *a, const char **name, wb_err *err)
{
	*name = NULL;
	for (size_t i = 0; i < a->npos; i++) {
		const wb_token *t = a->pos[i];
		if (t->kind == WB_TOK_WORD && !t->quoted && strcmp(t->text, "as") == 0) {
			if (i + 2 != a->npos)
				return wb_err_set(err, WB_EINVAL, "%s: 'as' takes one name at the end",
						  a->name);
			*name = a->pos[i + 1]->text;
			a->npos = i;
			return 0;
		}
	}
	return 0;
}

int wb_arg_as_count(wb_args *a, const char **name, size_t lo, size_t hi, wb_err *err)
{
	int rc = wb_arg_as(a, name, err);
	return rc ? rc : wb_arg_count(a, lo, hi, err);
}

void wb_load_name(const char *path, const char *as, char *out, size_t size)
{
	if (as) {
		snprintf(out, size, "%s", as);
		return;
	}
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	snprintf(out, size, "%s", b);
	char *dot = strrchr(out, '.');
	if (dot && dot != out)
		*dot = '\0';
}

/* Edit distance, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 32 || lb > 32)
		return 99;
	size_t d[33][33];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	return d[la][lb];
}

const char *wb_closest(const char *word, const char *const *cands, size_t n, size_t maxd)
{
	const char *best = NULL;
	size_t bestd = maxd + 1;
	for (size_t i = 0; i < n; i++) {
		/* Compare with a two-word command's first word too ("save" for "save data"). */
		char first[64];
		snprintf(first, sizeof first, "%.*s", (int)strcspn(cands[i], " "), cands[i]);
		size_t d = distance(word, cands[i]), d1 = distance(word, first);
		if (d1 < d)
			d = d1;
		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	if (best || strlen(word) < 3)
		return best;
	/* Otherwise a candidate the word begins, if only one does ("HoursOf" for
	 * "HoursOfContentConsumed"). */
	for (size_t i = 0; i < n; i++)
		if (strncmp(cands[i], word, strlen(word)) == 0) {
			if (best)
				return NULL;
			best = cands[i];
		}
	return best;
}

const char *wb_cmd_closest(const char *word)
{
	const char *names[256];
	size_t n = 0;
	for (const wb_cmd *const *g = wb_cmd_groups; *g; g++)
		for (const wb_cmd *c = *g; c->name && n < 256; c++)
			names[n++] = c->name;
	return wb_closest(word, names, n, 2);
}

wb_result *wb_cmd_result(const char *title, const char *const *cols, size_t n)
{
	wb_result *r = wb_result_new(title);
	for (size_t j = 0; r && j < n; j++)
		if (wb_result_add_column(r, cols[j]) < 0) {
			wb_result_free(r);
			r = NULL;
		}
	return r;
}

void wb_cmd_nodes_text(const wb_graph *g, const size_t *idx, size_t n, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
					 wb_graph_node_name(g, idx[i]));
}

long wb_cmd_unknown(const char *cmd, const char *what, const char *name, const void *obj, size_t n,
		    const char *(*name_at)(const void *obj, size_t i), wb_err *err)
{
	const char **names = malloc((n ? n : 1) * sizeof *names);
	const char *best = NULL;
	if (names) {
		for (size_t k = 0; k < n; k++)
			names[k] = name_at(obj, k);
		best = wb_closest(name, names, n, 2);
	}
	const char *sep = cmd ? ": " : "";
	if (best)
		wb_err_set(err, WB_ENOTFOUND, "%s%sunknown %s '%s' (did you mean '%s'?)",
			   cmd ? cmd : "", sep, what, name, best);
	else
		wb_err_set(err, WB_ENOTFOUND, "%s%sunknown %s '%s'", cmd ? cmd : "", sep, what,
			   name);
	free(names);
	return -1;
}

static const char *column_name(const void *f, size_t j)
{
	return wb_frame_colname(f, j);
}

long wb_arg_column(const wb_frame *f, const char *name, wb_err *err)
{
	long j = wb_frame_col_index(f, name);
	if (j >= 0)
		return j;
	return wb_cmd_unknown(NULL, "column", name, f, wb_frame_ncols(f), column_name, err);
}
