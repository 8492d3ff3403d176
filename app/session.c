/* session.c — see session.h. */
#include "session.h"

#include "cmd.h"
#include "lex.h"
#include "workspace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SEED 42

typedef struct dataset {
	char *name;
	wb_frame *frame;
} dataset;

typedef struct named_graph {
	char *name;
	wb_graph *graph;
} named_graph;

struct wb_session {
	dataset *data;
	size_t ndata;
	long active; /* index into data, or -1 */
	named_graph *graphs;
	size_t ngraphs;
	long active_graph; /* index into graphs, or -1 */
	uint64_t seed;
	wb_rng *rng;
	int threads;
	wb_result **results;
	size_t nresults;
	char **history;
	size_t nhistory;
	int dirty, quit, interactive;
	wb_progress *progress;
	wb_emit_fn emit;
	void *emit_ctx;
	const char *current_command; /* text of the command running, for its results */
	wb_estimate *estimate;       /* the last estimate, for refute */
	int script_depth;
	wb_bandit *bandit;
	wb_bandit_live *bandit_live;
};

wb_session *wb_session_new(void)
{
	wb_session *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->active = -1;
	s->active_graph = -1;
	s->seed = DEFAULT_SEED;
	s->rng = wb_rng_new(s->seed);
	s->bandit_live = wb_bandit_live_new();
	if (!s->rng || !s->bandit_live) {
		wb_rng_free(s->rng);
		wb_bandit_live_free(s->bandit_live);
		free(s);
		return NULL;
	}
	/* under the screen a run is paced so that it can be watched (`bandit speed`) */
	wb_bandit_live_set_speed(s->bandit_live, 30);
	return s;
}

static void clear_state(wb_session *s)
{
	for (size_t i = 0; i < s->ndata; i++) {
		free(s->data[i].name);
		wb_frame_free(s->data[i].frame);
	}
	free(s->data);
	s->data = NULL;
	s->ndata = 0;
	s->active = -1;
	for (size_t i = 0; i < s->ngraphs; i++) {
		free(s->graphs[i].name);
		wb_graph_free(s->graphs[i].graph);
	}
	free(s->graphs);
	s->graphs = NULL;
	s->ngraphs = 0;
	s->active_graph = -1;
	for (size_t i = 0; i < s->nhistory; i++)
		free(s->history[i]);
	free(s->history);
	s->history = NULL;
	s->nhistory = 0;
}

void wb_session_free(wb_session *s)
{
	if (!s)
		return;
	clear_state(s);
	for (size_t i = 0; i < s->nresults; i++)
		wb_result_free(s->results[i]);
	free(s->results);
	wb_estimate_free(s->estimate);
	wb_rng_free(s->rng);
	wb_bandit_free(s->bandit);
	wb_bandit_live_free(s->bandit_live);
	free(s);
}

void wb_session_set_emitter(wb_session *s, wb_emit_fn fn, void *ctx)
{
	s->emit = fn;
	s->emit_ctx = ctx;
}

/* ---- results ---- */

int wb_session_emit(wb_session *s, wb_result *r, wb_err *err)
{
	if (!r)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	wb_result **rs = realloc(s->results, (s->nresults + 1) * sizeof *rs);
	if (!rs) {
		wb_result_free(r);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	s->results = rs;
	if (s->current_command)
		wb_result_set_command(r, s->current_command);
	rs[s->nresults++] = r;
	if (s->emit)
		s->emit(s->emit_ctx, r);
	return 0;
}

int wb_session_say(wb_session *s, wb_err *err, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	wb_result *r = wb_result_new("");
	if (!r || wb_result_add_note(r, "%s", line)) {
		wb_result_free(r);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	return wb_session_emit(s, r, err);
}

size_t wb_session_nresults(const wb_session *s)
{
	return s->nresults;
}

const wb_result *wb_session_result(const wb_session *s, size_t i)
{
	return i < s->nresults ? s->results[i] : NULL;
}

/* ---- datasets ---- */

const wb_frame *wb_session_frame(const wb_session *s, const char **name)
{
	if (s->active < 0) {
		if (name)
			*name = NULL;
		return NULL;
	}
	if (name)
		*name = s->data[s->active].name;
	return s->data[s->active].frame;
}

wb_frame *wb_session_need_frame(wb_session *s, const char **name, wb_err *err)
{
	if (s->active < 0) {
		wb_err_set(err, WB_EINVAL,
			   "no dataset: load one with `load PATH` or make one with `generate musicapp`");
		return NULL;
	}
	if (name)
		*name = s->data[s->active].name;
	return s->data[s->active].frame;
}

static long find_dataset(const wb_session *s, const char *name)
{
	for (size_t i = 0; i < s->ndata; i++)
		if (strcmp(s->data[i].name, name) == 0)
			return (long)i;
	return -1;
}

int wb_session_put_frame(wb_session *s, const char *name, wb_frame *f, wb_err *err)
{
	long i = find_dataset(s, name);
	if (i >= 0) {
		if (s->data[i].frame != f)
			wb_frame_free(s->data[i].frame);
		s->data[i].frame = f;
		s->active = i;
		return 0;
	}
	dataset *d = realloc(s->data, (s->ndata + 1) * sizeof *d);
	char *nm = strdup(name);
	if (!d || !nm) {
		if (d)
			s->data = d;
		free(nm);
		wb_frame_free(f);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	s->data = d;
	d[s->ndata] = (dataset){nm, f};
	s->active = (long)s->ndata++;
	return 0;
}

/* "no dataset named 'x' (datasets: a, b)": names are n strings, stride bytes apart. */
static int not_found(const char *what, const char *name, const void *names, size_t n,
		     size_t stride, wb_err *err)
{
	char list[256] = "";
	size_t len = 0;
	for (size_t k = 0; k < n && len < sizeof list; k++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "",
					*(char *const *)((const char *)names + k * stride));
	return wb_err_set(err, WB_ENOTFOUND, "no %s named '%s' (%ss: %s)", what, name, what,
			  n ? list : "none");
}

int wb_session_use(wb_session *s, const char *name, wb_err *err)
{
	long i = find_dataset(s, name);
	if (i < 0)
		return not_found("dataset", name, s->data, s->ndata, sizeof *s->data, err);
	s->active = i;
	return 0;
}

size_t wb_session_ndatasets(const wb_session *s)
{
	return s->ndata;
}

const char *wb_session_dataset_name(const wb_session *s, size_t i)
{
	return i < s->ndata ? s->data[i].name : NULL;
}

const wb_frame *wb_session_dataset(const wb_session *s, size_t i)
{
	return i < s->ndata ? s->data[i].frame : NULL;
}

/* ---- the campaign simulation ---- */

wb_bandit *wb_session_bandit(const wb_session *s)
{
	return s->bandit;
}

void wb_session_set_bandit(wb_session *s, wb_bandit *b)
{
	wb_bandit_live_clear(s->bandit_live);
	if (s->bandit != b)
		wb_bandit_free(s->bandit);
	s->bandit = b;
	if (b)
		wb_bandit_live_publish(s->bandit_live, b, 0);
}

wb_bandit_live *wb_session_bandit_live(wb_session *s)
{
	return s->bandit_live;
}

/* ---- estimates ---- */

void wb_session_set_estimate(wb_session *s, wb_estimate *e)
{
	if (s->estimate != e)
		wb_estimate_free(s->estimate);
	s->estimate = e;
}

const wb_estimate *wb_session_estimate(const wb_session *s)
{
	return s->estimate;
}

/* ---- graphs ---- */

const wb_graph *wb_session_graph(const wb_session *s, const char **name)
{
	if (name)
		*name = s->active_graph < 0 ? NULL : s->graphs[s->active_graph].name;
	return s->active_graph < 0 ? NULL : s->graphs[s->active_graph].graph;
}

wb_graph *wb_session_need_graph(wb_session *s, const char **name, wb_err *err)
{
	if (s->active_graph < 0) {
		wb_err_set(err, WB_EINVAL, "no graph: make one with graph new, graph load or discover");
		return NULL;
	}
	if (name)
		*name = s->graphs[s->active_graph].name;
	return s->graphs[s->active_graph].graph;
}

static long find_graph(const wb_session *s, const char *name)
{
	for (size_t i = 0; i < s->ngraphs; i++)
		if (strcmp(s->graphs[i].name, name) == 0)
			return (long)i;
	return -1;
}

int wb_session_put_graph(wb_session *s, const char *name, wb_graph *g, wb_err *err)
{
	long i = find_graph(s, name);
	if (i >= 0) {
		if (s->graphs[i].graph != g)
			wb_graph_free(s->graphs[i].graph);
		s->graphs[i].graph = g;
		s->active_graph = i;
		return 0;
	}
	named_graph *d = realloc(s->graphs, (s->ngraphs + 1) * sizeof *d);
	char *nm = strdup(name);
	if (!d || !nm) {
		if (d)
			s->graphs = d;
		free(nm);
		wb_graph_free(g);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	s->graphs = d;
	d[s->ngraphs] = (named_graph){nm, g};
	s->active_graph = (long)s->ngraphs++;
	return 0;
}

int wb_session_use_graph(wb_session *s, const char *name, wb_err *err)
{
	long i = find_graph(s, name);
	if (i < 0)
		return not_found("graph", name, s->graphs, s->ngraphs, sizeof *s->graphs, err);
	s->active_graph = i;
	return 0;
}

size_t wb_session_ngraphs(const wb_session *s)
{
	return s->ngraphs;
}

const char *wb_session_graph_name(const wb_session *s, size_t i)
{
	return i < s->ngraphs ? s->graphs[i].name : NULL;
}

const wb_graph *wb_session_graph_at(const wb_session *s, size_t i)
{
	return i < s->ngraphs ? s->graphs[i].graph : NULL;
}

/* ---- settings and flags ---- */

uint64_t wb_session_seed(const wb_session *s)
{
	return s->seed;
}

int wb_session_set_seed(wb_session *s, uint64_t seed)
{
	wb_rng *r = wb_rng_new(seed);
	if (!r)
		return WB_ENOMEM;
	wb_rng_free(s->rng);
	s->rng = r;
	s->seed = seed;
	return 0;
}

wb_rng *wb_session_rng(wb_session *s)
{
	return s->rng;
}

int wb_session_threads(const wb_session *s)
{
	return s->threads;
}

void wb_session_set_threads(wb_session *s, int threads)
{
	s->threads = threads;
}

wb_progress *wb_session_progress(wb_session *s)
{
	return s->progress;
}

int wb_session_dirty(const wb_session *s)
{
	return s->dirty;
}

void wb_session_set_dirty(wb_session *s, int dirty)
{
	s->dirty = dirty;
}

int wb_session_quit_requested(const wb_session *s)
{
	return s->quit;
}

void wb_session_request_quit(wb_session *s)
{
	s->quit = 1;
}

int wb_session_interactive(const wb_session *s)
{
	return s->interactive;
}

void wb_session_set_interactive(wb_session *s, int on)
{
	s->interactive = on;
}

size_t wb_session_nhistory(const wb_session *s)
{
	return s->nhistory;
}

const char *wb_session_history(const wb_session *s, size_t i)
{
	return i < s->nhistory ? s->history[i] : NULL;
}

int wb_session_add_history(wb_session *s, const char *line)
{
	char **h = realloc(s->history, (s->nhistory + 1) * sizeof *h);
	if (!h)
		return WB_ENOMEM;
	s->history = h;
	if (!(h[s->nhistory] = strdup(line)))
		return WB_ENOMEM;
	s->nhistory++;
	return 0;
}

void wb_session_adopt(wb_session *s, wb_session *other)
{
	clear_state(s);
	s->data = other->data;
	s->ndata = other->ndata;
	s->active = other->active;
	s->history = other->history;
	s->nhistory = other->nhistory;
	s->graphs = other->graphs;
	s->ngraphs = other->ngraphs;
	s->active_graph = other->active_graph;
	other->data = NULL;
	other->ndata = 0;
	other->active = -1;
	other->graphs = NULL;
	other->ngraphs = 0;
	other->active_graph = -1;
	other->history = NULL;
	other->nhistory = 0;
	wb_rng *r = s->rng;
	s->rng = other->rng;
	other->rng = r;
	s->seed = other->seed;
	s->threads = other->threads;
}

/* ---- running commands ---- */

/* Checks every option against the command's table entry. */
static int check_options(const wb_cmd *c, const wb_args *a, wb_err *err)
{
	for (size_t i = 0; i < a->nopt; i++) {
		const char *key = a->opt[i]->text;
		int known = 0;
		for (const wb_option *o = c->options; o && o->name; o++)
			known |= strcmp(o->name, key) == 0;
		if (!known) {
			char list[256] = "";
			size_t len = 0;
			for (const wb_option *o = c->options; o && o->name && len < sizeof list; o++)
				len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
							o == c->options ? "" : ", ", o->name);
			if (len)
				return wb_err_set(err, WB_EINVAL, "%s: unknown option '%s' (options: %s)",
						  c->name, key, list);
			return wb_err_set(err, WB_EINVAL, "%s: takes no option, got '%s='", c->name,
					  key);
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(a->opt[k]->text, key) == 0)
				return wb_err_set(err, WB_EINVAL, "%s: option '%s' given twice",
						  c->name, key);
	}
	return 0;
}

static int unknown_command(const char *word, wb_err *err)
{
	const char *best = wb_cmd_closest(word);
	if (best)
		return wb_err_set(err, WB_ENOTFOUND, "unknown command '%s' (did you mean '%s'?)",
				  word, best);
	return wb_err_set(err, WB_ENOTFOUND, "unknown command '%s' (type `help` for the list)",
			  word);
}

static int run_command(wb_session *s, const wb_command_text *ct, wb_err *err)
{
	if (ct->ntokens == 0 || ct->tokens[0].kind != WB_TOK_WORD || ct->tokens[0].quoted)
		return wb_err_set(err, WB_EPARSE, "a command starts with its name: '%s'", ct->text);
	size_t used;
	const wb_cmd *c = wb_cmd_find(ct->tokens, ct->ntokens, &used);
	if (!c)
		return unknown_command(ct->tokens[0].text, err);

	wb_args a = {.name = c->name, .rest = ""};
	const wb_token *pos[ct->ntokens ? ct->ntokens : 1], *opt[ct->ntokens ? ct->ntokens : 1];
	a.pos = pos;
	a.opt = opt;
	if (c->flags & WB_CMD_RAW) {
		if (used < ct->ntokens)
			a.rest = ct->text + ct->tokens[used].pos;
	} else {
		for (size_t i = used; i < ct->ntokens; i++) {
			if (ct->tokens[i].kind == WB_TOK_OPTION)
				opt[a.nopt++] = &ct->tokens[i];
			else
				pos[a.npos++] = &ct->tokens[i];
		}
		int rc = check_options(c, &a, err);
		if (rc)
			return rc;
	}
	s->current_command = ct->text;
	int rc = c->exec(s, &a, err);
	s->current_command = NULL;
	if (rc == 0 && (c->flags & WB_CMD_MODIFIES))
		s->dirty = 1;
	return rc;
}

int wb_session_run_line(wb_session *s, const char *line, wb_progress *progress, wb_err *err)
{
	wb_command_text *cmds;
	size_t n;
	int rc = wb_lex_line(line, &cmds, &n, err);
	if (rc)
		return rc;
	wb_progress *saved = s->progress;
	if (progress)
		s->progress = progress;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (s->script_depth == 0 && wb_session_add_history(s, cmds[i].text)) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			break;
		}
		rc = run_command(s, &cmds[i], err);
		if (s->quit)
			break;
	}
	s->progress = saved;
	wb_lex_free(cmds, n);
	return rc;
}

int wb_session_run_script(wb_session *s, const char *path, int nested, wb_err *err)
{
	if (s->script_depth >= 8)
		return wb_err_set(err, WB_EINVAL, "%s: scripts nested too deeply (8 levels)", path);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return wb_err_set(err, WB_EIO, "%s: cannot open: %s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	int rc = 0;
	s->script_depth += nested;
	while (getline(&line, &cap, fp) >= 0) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if ((rc = wb_session_run_line(s, line, NULL, err))) {
			wb_err_prefix(err, "%s:%ld", path, lineno);
			break;
		}
		if (s->quit)
			break;
	}
	s->script_depth -= nested;
	if (rc == 0 && ferror(fp))
		rc = wb_err_set(err, WB_EIO, "%s: read error", path);
	free(line);
	fclose(fp);
	return rc;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

int wb_session_open_path(wb_session *s, const char *path, wb_err *err)
{
	char *q = wb_lex_quote(path);
	if (!q)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	char line[4096];
	if (has_suffix(path, ".wb"))
		snprintf(line, sizeof line, "run %s", q);
	else if (has_suffix(path, WB_WORKSPACE_SUFFIX) || wb_workspace_sniff(path))
		snprintf(line, sizeof line, "open workspace %s", q);
	else
		snprintf(line, sizeof line, "load %s", q);
	free(q);
	/* The history keeps the `open` line that called this, not what it expands to. */
	s->script_depth++;
	int rc = wb_session_run_line(s, line, NULL, err);
	s->script_depth--;
	return rc;
}
