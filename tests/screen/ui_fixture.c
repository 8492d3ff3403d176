/*
 * ui_fixture.c — a small host for the screen tests: the real views/ screen over a frame built
 * in memory, with a run() that understands a handful of commands:
 *
 *   sort COL [desc]   reorder the rows (a note result "sorted by COL")
 *   slow N            N steps of 100 ms reporting progress, honouring cancel
 *   table             a 3-row result table       note TEXT   a note-only result
 *   wide              a 100x12 result table
 *   fail              an error                   dirty       mark unsaved changes
 *   rows N            a new frame of N rows      drop        no dataset
 *   quit
 *
 * WB_FIXTURE_PIDFILE, when set, names a file that receives the process id.
 *
 * Usage: ui_fixture [--rows N] [--empty] [STARTUP-LINE...]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/err.h"
#include "views/ui.h"

typedef struct fixture {
	wb_frame *frame;
	wb_result **res;
	size_t nres;
	int dirty, quit;
	char err[600];
} fixture;

static const char *const genres[] = {"rock", "pop", "jazz", "folk"};

/* The known frame: id 1..n, score with every 50th missing, genre, premium, "play count",
 * joined (dates from 2022-01-01). */
static wb_frame *make_frame(size_t n)
{
	wb_frame *f = wb_frame_new(n);
	double *v = malloc((n ? n : 1) * sizeof *v);
	if (!f || !v) {
		free(v);
		wb_frame_free(f);
		return NULL;
	}
	wb_err e;
	for (size_t i = 0; i < n; i++)
		v[i] = (double)(i + 1);
	wb_frame_set_column(f, "id", WB_COL_NUMERIC, v, &e);
	for (size_t i = 0; i < n; i++)
		v[i] = i % 50 == 49 ? NAN : (double)(i * 37 % 101) / 10.0;
	wb_frame_set_column(f, "score", WB_COL_NUMERIC, v, &e);
	for (size_t i = 0; i < n; i++)
		v[i] = (double)(i % 4);
	wb_frame_set_categorical(f, "genre", v, genres, 4, &e);
	for (size_t i = 0; i < n; i++)
		v[i] = i % 3 == 0;
	wb_frame_set_column(f, "premium", WB_COL_BINARY, v, &e);
	for (size_t i = 0; i < n; i++)
		v[i] = (double)(i % 7) * 10;
	wb_frame_set_column(f, "play count", WB_COL_NUMERIC, v, &e);
	for (size_t i = 0; i < n; i++)
		v[i] = 18993.0 + (double)i;
	wb_frame_set_column(f, "joined", WB_COL_DATE, v, &e);
	free(v);
	return f;
}

static void add_result(fixture *fx, wb_result *r, const char *cmd)
{
	wb_result **grown = realloc(fx->res, (fx->nres + 1) * sizeof *grown);
	if (!grown) {
		wb_result_free(r);
		return;
	}
	wb_result_set_command(r, cmd);
	fx->res = grown;
	fx->res[fx->nres++] = r;
}

static int fail(fixture *fx, int code, const char *msg, const char *arg)
{
	snprintf(fx->err, sizeof fx->err, "%s%s", msg, arg ? arg : "");
	return code;
}

/* Splits one command into words: blanks separate, "..." quotes (\" and \\ inside). */
static size_t split_words(char *s, char **w, size_t max)
{
	size_t n = 0;
	while (*s && n < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		char *out = s;
		w[n++] = out;
		if (*s == '"') {
			s++;
			while (*s && *s != '"') {
				if (*s == '\\' && s[1])
					s++;
				*out++ = *s++;
			}
			if (*s)
				s++;
		} else {
			while (*s && *s != ' ' && *s != '\t')
				*out++ = *s++;
		}
		int end = !*s;
		*out = '\0';
		if (!end)
			s++;
	}
	return n;
}

static int do_sort(fixture *fx, char **w, size_t n, const char *cmd)
{
	if (!fx->frame)
		return fail(fx, WB_EINVAL, "sort: no dataset", NULL);
	if (n < 2)
		return fail(fx, WB_EINVAL, "sort: which column?", NULL);
	long j = wb_frame_col_index(fx->frame, w[1]);
	if (j < 0)
		return fail(fx, WB_ENOTFOUND, "sort: no column ", w[1]);
	size_t nr = wb_frame_nrows(fx->frame);
	size_t *idx = malloc((nr ? nr : 1) * sizeof *idx);
	if (!idx)
		return fail(fx, WB_ENOMEM, "out of memory", NULL);
	int desc = n > 2 && strcmp(w[2], "desc") == 0;
	wb_err e;
	if (wb_frame_sort_index(fx->frame, (size_t)j, desc, idx, &e) < 0) {
		free(idx);
		return fail(fx, e.code, e.msg, NULL);
	}
	wb_frame *g = wb_frame_take_rows(fx->frame, idx, nr);
	free(idx);
	if (!g)
		return fail(fx, WB_ENOMEM, "out of memory", NULL);
	wb_frame_free(fx->frame);
	fx->frame = g;
	wb_result *r = wb_result_new("sort");
	wb_result_add_note(r, "sorted by %s%s", w[1], desc ? " (descending)" : "");
	add_result(fx, r, cmd);
	return 0;
}

static int run_one(fixture *fx, char *cmd, wb_progress *p)
{
	char *copy = strdup(cmd);
	char *w[16];
	size_t n = split_words(cmd, w, 16);
	int rc = 0;
	if (n == 0) {
		rc = 0;
	} else if (strcmp(w[0], "sort") == 0) {
		rc = do_sort(fx, w, n, copy);
	} else if (strcmp(w[0], "slow") == 0) {
		int steps = n > 1 ? atoi(w[1]) : 10;
		for (int k = 0; k < steps; k++) {
			struct timespec ts = {0, 100 * 1000 * 1000};
			nanosleep(&ts, NULL);
			if (wb_progress_cancelled(p)) {
				rc = fail(fx, WB_ECANCEL, "slow: cancelled", NULL);
				break;
			}
			wb_progress_set(p, (double)(k + 1) / steps);
		}
		if (rc == 0) {
			wb_result *r = wb_result_new("slow");
			wb_result_add_note(r, "slow %d finished", steps);
			add_result(fx, r, copy);
		}
	} else if (strcmp(w[0], "table") == 0) {
		wb_result *r = wb_result_new("fixture table");
		wb_result_add_column(r, "name");
		wb_result_add_column(r, "value");
		static const char *const names[] = {"alpha", "beta", "gamma"};
		static const double vals[] = {1.5, 22.25, -3};
		for (int i = 0; i < 3; i++) {
			long row = wb_result_add_row(r);
			wb_result_set_str(r, (size_t)row, 0, names[i]);
			wb_result_set_num(r, (size_t)row, 1, vals[i]);
		}
		wb_result_add_note(r, "a note under the table");
		add_result(fx, r, copy);
	} else if (strcmp(w[0], "wide") == 0) {
		/* 100 rows x 12 columns: row i, column c holds i*100+c; too wide for the pane */
		wb_result *r = wb_result_new("wide table");
		char name[32];
		for (int c = 0; c < 12; c++) {
			snprintf(name, sizeof name, "column_%02d", c);
			wb_result_add_column(r, name);
		}
		for (int i = 0; i < 100; i++) {
			long row = wb_result_add_row(r);
			for (int c = 0; c < 12; c++)
				wb_result_set_num(r, (size_t)row, (size_t)c, i * 100.0 + c);
		}
		add_result(fx, r, copy);
	} else if (strcmp(w[0], "note") == 0) {
		wb_result *r = wb_result_new("note");
		wb_result_add_note(r, "%s", n > 1 ? w[1] : "(empty)");
		add_result(fx, r, copy);
	} else if (strcmp(w[0], "fail") == 0) {
		rc = fail(fx, WB_EINVAL, "fail: this command always fails", NULL);
	} else if (strcmp(w[0], "dirty") == 0) {
		fx->dirty = 1;
	} else if (strcmp(w[0], "rows") == 0) {
		wb_frame *g = make_frame(n > 1 ? (size_t)atol(w[1]) : 10);
		if (!g) {
			rc = fail(fx, WB_ENOMEM, "out of memory", NULL);
		} else {
			wb_frame_free(fx->frame);
			fx->frame = g;
		}
	} else if (strcmp(w[0], "drop") == 0) {
		wb_frame_free(fx->frame);
		fx->frame = NULL;
	} else if (strcmp(w[0], "quit") == 0) {
		fx->quit = 1;
	} else {
		rc = fail(fx, WB_ENOTFOUND, "unknown command: ", w[0]);
	}
	free(copy);
	return rc;
}

static int fx_run(void *ctx, const char *line, wb_progress *p)
{
	fixture *fx = ctx;
	char *buf = strdup(line);
	if (!buf)
		return fail(fx, WB_ENOMEM, "out of memory", NULL);
	int rc = 0;
	char *s = buf;
	while (s && rc == 0) {
		/* split on ';' outside quotes */
		char *e = s;
		int q = 0;
		while (*e && (q || *e != ';')) {
			if (*e == '"')
				q = !q;
			else if (*e == '\\' && q && e[1])
				e++;
			e++;
		}
		char *next = *e ? e + 1 : NULL;
		*e = '\0';
		rc = run_one(fx, s, p);
		s = next;
	}
	free(buf);
	return rc;
}

static const char *fx_last_error(void *ctx)
{
	return ((fixture *)ctx)->err;
}

static size_t fx_n_results(void *ctx)
{
	return ((fixture *)ctx)->nres;
}

static const wb_result *fx_result(void *ctx, size_t i)
{
	fixture *fx = ctx;
	return i < fx->nres ? fx->res[i] : NULL;
}

static const wb_frame *fx_frame(void *ctx, const char **name)
{
	if (name)
		*name = "fixture";
	return ((fixture *)ctx)->frame;
}

static char **fx_complete(void *ctx, const char *line, int start, int end)
{
	fixture *fx = ctx;
	static const char *const cmds[] = {"sort",  "slow", "table", "note", "fail",
					   "dirty", "rows", "drop",  "quit"};
	size_t len = (size_t)(end - start), n = 0;
	size_t ncols = fx->frame ? wb_frame_ncols(fx->frame) : 0;
	char **out = calloc(9 + ncols + 1, sizeof *out);
	if (!out)
		return NULL;
	const char *word = line + start;
	if (start == 0) {
		for (size_t i = 0; i < 9; i++)
			if (strncmp(cmds[i], word, len) == 0)
				out[n++] = strdup(cmds[i]);
	} else {
		for (size_t j = 0; j < ncols; j++)
			if (strncmp(wb_frame_colname(fx->frame, j), word, len) == 0)
				out[n++] = strdup(wb_frame_colname(fx->frame, j));
	}
	return out;
}

static char *fx_help(void *ctx, const char *topic)
{
	(void)ctx;
	(void)topic;
	return strdup("fixture commands:\n"
		      "  sort COL [desc]   reorder rows\n"
		      "  slow N            N x 100 ms with progress\n"
		      "  table, note TEXT, fail, dirty, rows N, drop, quit\n");
}

static int fx_dirty(void *ctx)
{
	return ((fixture *)ctx)->dirty;
}

static int fx_quit(void *ctx)
{
	return ((fixture *)ctx)->quit;
}

int main(int argc, char **argv)
{
	fixture fx;
	memset(&fx, 0, sizeof fx);
	size_t rows = 1000;
	int empty = 0, a = 1;
	for (; a < argc; a++) {
		if (strcmp(argv[a], "--rows") == 0 && a + 1 < argc)
			rows = (size_t)atol(argv[++a]);
		else if (strcmp(argv[a], "--empty") == 0)
			empty = 1;
		else
			break;
	}
	if (!empty)
		fx.frame = make_frame(rows);
	const char *pidfile = getenv("WB_FIXTURE_PIDFILE"); /* for the signal test */
	if (pidfile) {
		FILE *fp = fopen(pidfile, "w");
		if (fp) {
			fprintf(fp, "%ld\n", (long)getpid());
			fclose(fp);
		}
	}
	wb_ui_host host = {
	    .ctx = &fx,
	    .run = fx_run,
	    .last_error = fx_last_error,
	    .n_results = fx_n_results,
	    .result = fx_result,
	    .frame = fx_frame,
	    .complete = fx_complete,
	    .help = fx_help,
	    .dirty = fx_dirty,
	    .quit_requested = fx_quit,
	};
	wb_err err;
	wb_err_clear(&err);
	int rc = wb_ui_main(&host, (const char *const *)argv + a, (size_t)(argc - a), &err);
	if (rc < 0)
		fprintf(stderr, "ui_fixture: %s\n", err.msg);
	for (size_t i = 0; i < fx.nres; i++)
		wb_result_free(fx.res[i]);
	free(fx.res);
	wb_frame_free(fx.frame);
	return rc < 0 ? 1 : 0;
}
