/* host.c — see host.h. */
#include "host.h"

#include "cmd.h"
#include "help.h"
#include "lex.h"

#include "../engine/simulate.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct host_ctx {
	wb_session *s;
	wb_err err;
} host_ctx;

/* One host per process: the screen is one per process too. */
static host_ctx the_ctx;

static int h_run(void *ctx, const char *line, wb_progress *p)
{
	host_ctx *h = ctx;
	wb_err_clear(&h->err);
	return wb_session_run_line(h->s, line, p, &h->err);
}

static const char *h_last_error(void *ctx)
{
	return ((host_ctx *)ctx)->err.msg;
}

static size_t h_n_results(void *ctx)
{
	return wb_session_nresults(((host_ctx *)ctx)->s);
}

static const wb_result *h_result(void *ctx, size_t i)
{
	return wb_session_result(((host_ctx *)ctx)->s, i);
}

static const wb_frame *h_frame(void *ctx, const char **name)
{
	return wb_session_frame(((host_ctx *)ctx)->s, name);
}

static char **h_complete(void *ctx, const char *line, int start, int end)
{
	return wb_host_complete(((host_ctx *)ctx)->s, line, start, end);
}

static char *h_help(void *ctx, const char *topic)
{
	return wb_help_text(topic);
}

static int h_dirty(void *ctx)
{
	return wb_session_dirty(((host_ctx *)ctx)->s);
}

static int h_quit(void *ctx)
{
	return wb_session_quit_requested(((host_ctx *)ctx)->s);
}

static wb_bandit_live *h_bandit_live(void *ctx)
{
	return wb_session_bandit_live(((host_ctx *)ctx)->s);
}

static const wb_graph *h_graph(void *ctx, const char **name)
{
	return wb_session_graph(((host_ctx *)ctx)->s, name);
}

void wb_host_init(wb_ui_host *host, wb_session *s)
{
	the_ctx.s = s;
	wb_err_clear(&the_ctx.err);
	*host = (wb_ui_host){.ctx = &the_ctx,
			     .run = h_run,
			     .last_error = h_last_error,
			     .n_results = h_n_results,
			     .result = h_result,
			     .frame = h_frame,
			     .complete = h_complete,
			     .help = h_help,
			     .dirty = h_dirty,
			     .quit_requested = h_quit,
			     .graph = h_graph,
			     .bandit_live = h_bandit_live};
}

/* ---- completion ---- */

typedef struct list {
	char **v;
	size_t n, cap;
	int nomem;
} list;

static void add(list *l, const char *prefix, const char *cand, const char *suffix)
{
	if (l->nomem || strncmp(cand, prefix, strlen(prefix)) != 0)
		return;
	size_t need = strlen(cand) + strlen(suffix) + 1;
	for (size_t i = 0; i < l->n; i++)
		if (strncmp(l->v[i], cand, strlen(cand)) == 0 && strcmp(l->v[i] + strlen(cand), suffix) == 0)
			return;
	if (l->n + 2 > l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			l->nomem = 1;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	char *s = malloc(need);
	if (!s) {
		l->nomem = 1;
		return;
	}
	snprintf(s, need, "%s%s", cand, suffix);
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

static void add_paths(list *l, const char *prefix)
{
	const char *slash = strrchr(prefix, '/');
	char dir[4096];
	if (slash)
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - prefix + 1), prefix);
	else
		dir[0] = '\0';
	DIR *d = opendir(*dir ? dir : ".");
	if (!d)
		return;
	const char *base = slash ? slash + 1 : prefix;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && base[0] != '.')
			continue;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char full[8192];
		snprintf(full, sizeof full, "%s%s", dir, e->d_name);
		struct stat st;
		int isdir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
		add(l, prefix, full, isdir ? "/" : "");
	}
	closedir(d);
}

char **wb_host_complete(wb_session *s, const char *line, int start, int end)
{
	list l = {0};
	char prefix[1024];
	snprintf(prefix, sizeof prefix, "%.*s", end - start, line + start);
	size_t cstart = wb_lex_command_start(line, (size_t)start);
	char before[4096];
	snprintf(before, sizeof before, "%.*s", (int)((size_t)start - cstart), line + cstart);
	wb_command_text *cmds = NULL;
	size_t ncmds = 0;
	wb_err err;
	if (wb_lex_line(before, &cmds, &ncmds, &err))
		return NULL;
	size_t nt = ncmds ? cmds[0].ntokens : 0;
	const wb_token *t = ncmds ? cmds[0].tokens : NULL;
	size_t used = 0;
	const wb_cmd *c = nt ? wb_cmd_find(t, nt, &used) : NULL;
	if (nt == 0) {
		for (const wb_cmd *const *g = wb_cmd_groups; *g; g++)
			for (const wb_cmd *k = *g; k->name; k++) {
				char first[64];
				snprintf(first, sizeof first, "%.*s", (int)strcspn(k->name, " "), k->name);
				add(&l, prefix, first, "");
			}
	} else if (nt == 1 && (!c || used == 1)) {
		/* The second word of a two-word command ("save" -> data, workspace). */
		size_t n0 = strlen(t[0].text);
		for (const wb_cmd *const *g = wb_cmd_groups; *g; g++)
			for (const wb_cmd *k = *g; k->name; k++)
				if (strncmp(k->name, t[0].text, n0) == 0 && k->name[n0] == ' ')
					add(&l, prefix, k->name + n0 + 1, "");
	}
	if (c && l.n == 0) {
		for (const wb_option *o = c->options; o && o->name; o++)
			add(&l, prefix, o->name, "=");
		if (c->complete & WB_COMPLETE_COLUMNS) {
			const wb_frame *f = wb_session_frame(s, NULL);
			for (size_t j = 0; f && j < wb_frame_ncols(f); j++) {
				const char *name = wb_frame_colname(f, j);
				char *q = wb_lex_quote(name);
				if (!q)
					continue;
				/* In expressions a name that needs quoting is back-quoted. */
				if ((c->flags & WB_CMD_RAW) && *q == '"') {
					size_t len = strlen(name) + 3;
					char *bq = malloc(len);
					if (bq)
						snprintf(bq, len, "`%s`", name);
					free(q);
					q = bq;
				}
				if (q)
					add(&l, prefix, q, "");
				free(q);
			}
		}
		const wb_graph *gr = wb_session_graph(s, NULL);
		for (size_t i = 0; (c->complete & WB_COMPLETE_NODES) && gr && i < wb_graph_nnodes(gr);
		     i++) {
			char *q = wb_lex_quote(wb_graph_node_name(gr, i));
			if (q)
				add(&l, prefix, q, "");
			free(q);
		}
		if (c->complete & WB_COMPLETE_DATASETS)
			for (size_t i = 0; i < wb_session_ndatasets(s); i++)
				add(&l, prefix, wb_session_dataset_name(s, i), "");
		if (c->complete & WB_COMPLETE_SCENARIOS)
			for (const wb_scenario_info *sc = wb_simulate_scenarios(); sc->name; sc++)
				add(&l, prefix, sc->name, "");
		if (c->complete & WB_COMPLETE_COMMANDS)
			for (const wb_cmd *const *g = wb_cmd_groups; *g; g++)
				for (const wb_cmd *k = *g; k->name; k++) {
					char first[64];
					snprintf(first, sizeof first, "%.*s", (int)strcspn(k->name, " "), k->name);
					add(&l, prefix, first, "");
				}
		if (c->complete & WB_COMPLETE_PATHS)
			add_paths(&l, prefix);
	}
	wb_lex_free(cmds, ncmds);
	if (l.nomem || l.n == 0) {
		for (size_t i = 0; i < l.n; i++)
			free(l.v[i]);
		free(l.v);
		return NULL;
	}
	return l.v;
}
