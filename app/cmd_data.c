/* cmd_data.c — data commands: load, use, datasets, describe, head, derive, filter, sort,
 * save data, generate. */
#include "cmd.h"
#include "session.h"

#include "../engine/expr.h"
#include "../engine/frame.h"
#include "../engine/simulate.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_delim(const char *v, char *out, const char *cmd, wb_err *err)
{
	if (!v) {
		*out = 0;
		return 0;
	}
	if (strcmp(v, "tab") == 0 || strcmp(v, "\\t") == 0)
		*out = '\t';
	else if (strlen(v) == 1 && strchr(",;|\t", v[0]))
		*out = v[0];
	else
		return wb_err_set(err, WB_EINVAL, "%s: delim must be one of , ; | tab, got '%s'", cmd, v);
	return 0;
}

static int exec_load(wb_session *s, const wb_args *args, wb_err *err)
{
	wb_args a = *args;
	const char *as;
	int rc = wb_arg_as_count(&a, &as, 1, 1, err);
	if (rc)
		return rc;
	const char *path = wb_arg_word(&a, 0);
	wb_csv_options opt = {0};
	if ((rc = parse_delim(wb_arg_opt(&a, "delim", NULL), &opt.delim, a.name, err)))
		return rc;
	opt.threads = wb_session_threads(s);
	wb_frame *f;
	if ((rc = wb_frame_load_csv(path, &opt, &f, wb_session_progress(s), err)))
		return rc;
	wb_frame_set_attr(f, "source", path);
	char name[256];
	wb_load_name(path, as, name, sizeof name);
	size_t nr = wb_frame_nrows(f), nc = wb_frame_ncols(f);
	if ((rc = wb_session_put_frame(s, name, f, err)))
		return rc;
	return wb_session_say(s, err, "loaded %s as %s: %zu rows × %zu columns", path, name, nr, nc);
}

static int exec_use(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 1, err);
	if (rc || (rc = wb_session_use(s, wb_arg_word(a, 0), err)))
		return rc;
	const char *name;
	const wb_frame *f = wb_session_frame(s, &name);
	return wb_session_say(s, err, "using %s: %zu rows × %zu columns", name, wb_frame_nrows(f),
			      wb_frame_ncols(f));
}

static int exec_datasets(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 0, 0, err);
	if (rc)
		return rc;
	const char *const cols[] = {"name", "rows", "columns", "active", "source"};
	wb_result *r = wb_cmd_result("datasets", cols, 5);
	if (!r)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	const char *active;
	wb_session_frame(s, &active);
	for (size_t i = 0; i < wb_session_ndatasets(s); i++) {
		const wb_frame *f = wb_session_dataset(s, i);
		const char *name = wb_session_dataset_name(s, i);
		const char *src = wb_frame_attr(f, "source");
		const char *scen = wb_frame_attr(f, "scenario");
		long row = wb_result_add_row(r);
		if (row < 0) {
			wb_result_free(r);
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		}
		wb_result_set_str(r, (size_t)row, 0, name);
		wb_result_set_num(r, (size_t)row, 1, (double)wb_frame_nrows(f));
		wb_result_set_num(r, (size_t)row, 2, (double)wb_frame_ncols(f));
		wb_result_set_str(r, (size_t)row, 3, active && strcmp(active, name) == 0 ? "*" : "");
		if (src)
			wb_result_set_str(r, (size_t)row, 4, src);
		else if (scen) {
			char buf[128];
			snprintf(buf, sizeof buf, "generate %s", scen);
			wb_result_set_str(r, (size_t)row, 4, buf);
		}
	}
	return wb_session_emit(s, r, err);
}

static int exec_describe(wb_session *s, const wb_args *a, wb_err *err)
{
	const char *name;
	wb_frame *f = wb_session_need_frame(s, &name, err);
	if (!f)
		return err->code;
	size_t *cols = malloc((a->npos ? a->npos : 1) * sizeof *cols);
	if (!cols)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	int rc = 0;
	for (size_t i = 0; i < a->npos && rc == 0; i++) {
		long j = wb_arg_column(f, a->pos[i]->text, err);
		if (j < 0)
			rc = err->code;
		else
			cols[i] = (size_t)j;
	}
	wb_result *r = NULL;
	if (rc == 0)
		rc = wb_frame_describe(f, cols, a->npos, &r, err);
	free(cols);
	if (rc)
		return rc;
	char title[300];
	snprintf(title, sizeof title, "describe %s (%zu rows)", name, wb_frame_nrows(f));
	wb_result_set_title(r, title);
	return wb_session_emit(s, r, err);
}

static int exec_head(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 0, 1, err);
	if (rc)
		return rc;
	long n = 10;
	if (a->npos == 1) {
		char *end;
		n = strtol(wb_arg_word(a, 0), &end, 10);
		if (*end || n < 0 || end == wb_arg_word(a, 0))
			return wb_err_set(err, WB_EINVAL, "head: N must be a whole number >= 0, got '%s'",
					  wb_arg_word(a, 0));
	}
	const char *name;
	const wb_frame *f = wb_session_need_frame(s, &name, err);
	if (!f)
		return err->code;
	char title[300];
	size_t nr = wb_frame_nrows(f), nc = wb_frame_ncols(f);
	size_t show = (size_t)n < nr ? (size_t)n : nr;
	snprintf(title, sizeof title, "head %s (%zu of %zu rows)", name, show, nr);
	wb_result *r = wb_result_new(title);
	if (!r)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (size_t j = 0; j < nc; j++)
		if (wb_result_add_column(r, wb_frame_colname(f, j)) < 0)
			goto nomem;
	for (size_t i = 0; i < show; i++) {
		long row = wb_result_add_row(r);
		if (row < 0)
			goto nomem;
		for (size_t j = 0; j < nc; j++) {
			double x = wb_frame_col(f, j)[i];
			wb_col_kind k = wb_frame_col_kind(f, j);
			if (isnan(x))
				continue;
			if (k == WB_COL_NUMERIC || k == WB_COL_BINARY) {
				wb_result_set_num(r, (size_t)row, j, x);
			} else {
				char buf[256];
				wb_result_set_str(r, (size_t)row, j, wb_frame_cell_text(f, i, j, buf, sizeof buf));
			}
		}
	}
	return wb_session_emit(s, r, err);
nomem:
	wb_result_free(r);
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/* Reads a column name at the start of text: an identifier, or "quoted" / `back quoted`.
 * Returns the length consumed, or 0. */
static size_t read_name(const char *text, char *name, size_t size)
{
	const char *p = text;
	if (*p == '"' || *p == '`') {
		char q = *p++;
		const char *e = strchr(p, q);
		if (!e || e == p)
			return 0;
		snprintf(name, size, "%.*s", (int)(e - p), p);
		return (size_t)(e + 1 - text);
	}
	while (*p && (isalnum((unsigned char)*p) || *p == '_' || *p == '.' || (unsigned char)*p >= 0x80))
		p++;
	if (p == text)
		return 0;
	snprintf(name, size, "%.*s", (int)(p - text), text);
	return (size_t)(p - text);
}

static int exec_derive(wb_session *s, const wb_args *a, wb_err *err)
{
	const char *dname;
	wb_frame *f = wb_session_need_frame(s, &dname, err);
	if (!f)
		return err->code;
	char name[256];
	const char *p = a->rest;
	size_t used = read_name(p, name, sizeof name);
	if (!used)
		return wb_err_set(err, WB_EINVAL, "derive: usage: derive NAME = EXPRESSION");
	p += used;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '=' || p[1] == '=')
		return wb_err_set(err, WB_EINVAL, "derive: expected '=' after the name (usage: derive NAME = EXPRESSION)");
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return wb_err_set(err, WB_EINVAL, "derive: missing expression after '='");
	wb_expr *e;
	int rc = wb_expr_parse(p, f, &e, err);
	if (rc)
		return wb_err_prefix(err, "derive");
	size_t n = wb_frame_nrows(f);
	double *v = malloc((n ? n : 1) * sizeof *v);
	if (!v) {
		wb_expr_free(e);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	rc = wb_expr_eval(e, f, v, err);
	int logical = wb_expr_is_logical(e);
	wb_expr_free(e);
	if (rc == 0)
		rc = wb_frame_set_column(f, name, logical ? WB_COL_BINARY : WB_COL_NUMERIC, v, err);
	size_t missing = 0;
	for (size_t i = 0; i < n; i++)
		missing += isnan(v[i]) != 0;
	free(v);
	if (rc)
		return rc;
	return wb_session_say(s, err, "derived %s (%s) in %s: %zu rows, %zu missing", name,
			      logical ? "binary" : "numeric", dname, n, missing);
}

static int exec_filter(wb_session *s, const wb_args *a, wb_err *err)
{
	const char *dname;
	wb_frame *f = wb_session_need_frame(s, &dname, err);
	if (!f)
		return err->code;
	if (!*a->rest)
		return wb_err_set(err, WB_EINVAL, "filter: missing condition (usage: filter EXPRESSION)");
	wb_expr *e;
	int rc = wb_expr_parse(a->rest, f, &e, err);
	if (rc)
		return wb_err_prefix(err, "filter");
	if (!wb_expr_is_logical(e)) {
		wb_expr_free(e);
		return wb_err_set(err, WB_EINVAL,
				  "filter: the condition must be true or false (a comparison, and/or/not, isna), not a number");
	}
	size_t n = wb_frame_nrows(f), kept = 0;
	double *v = malloc((n ? n : 1) * sizeof *v);
	size_t *idx = malloc((n ? n : 1) * sizeof *idx);
	if (!v || !idx) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = wb_expr_eval(e, f, v, err)))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (v[i] == 1)
			idx[kept++] = i;
	wb_frame *g = wb_frame_take_rows(f, idx, kept);
	if (!g) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	char name[256];
	snprintf(name, sizeof name, "%s", dname);
	if ((rc = wb_session_put_frame(s, name, g, err)))
		goto out;
	rc = wb_session_say(s, err, "filter kept %zu of %zu rows of %s", kept, n, name);
out:
	wb_expr_free(e);
	free(v);
	free(idx);
	return rc;
}

static int exec_sort(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 2, err);
	if (rc)
		return rc;
	int desc = 0;
	if (a->npos == 2) {
		const char *d = wb_arg_word(a, 1);
		if (strcmp(d, "desc") == 0)
			desc = 1;
		else if (strcmp(d, "asc") != 0)
			return wb_err_set(err, WB_EINVAL, "sort: order must be asc or desc, got '%s'", d);
	}
	const char *dname;
	wb_frame *f = wb_session_need_frame(s, &dname, err);
	if (!f)
		return err->code;
	long j = wb_arg_column(f, wb_arg_word(a, 0), err);
	if (j < 0)
		return err->code;
	size_t n = wb_frame_nrows(f);
	size_t *idx = malloc((n ? n : 1) * sizeof *idx);
	if (!idx)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	if ((rc = wb_frame_sort_index(f, (size_t)j, desc, idx, err))) {
		free(idx);
		return rc;
	}
	wb_frame *g = wb_frame_take_rows(f, idx, n);
	free(idx);
	if (!g)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	char name[256];
	snprintf(name, sizeof name, "%s", dname);
	if ((rc = wb_session_put_frame(s, name, g, err)))
		return rc;
	return wb_session_say(s, err, "sorted %s by %s%s", name, wb_arg_word(a, 0),
			      desc ? " (descending)" : "");
}

static int exec_save_data(wb_session *s, const wb_args *a, wb_err *err)
{
	int rc = wb_arg_count(a, 1, 1, err);
	if (rc)
		return rc;
	char delim;
	if ((rc = parse_delim(wb_arg_opt(a, "delim", ","), &delim, a->name, err)))
		return rc;
	const char *name;
	const wb_frame *f = wb_session_need_frame(s, &name, err);
	if (!f)
		return err->code;
	if ((rc = wb_frame_save_csv(f, wb_arg_word(a, 0), delim, err)))
		return rc;
	return wb_session_say(s, err, "saved %s to %s: %zu rows × %zu columns", name,
			      wb_arg_word(a, 0), wb_frame_nrows(f), wb_frame_ncols(f));
}

static int exec_generate(wb_session *s, const wb_args *args, wb_err *err)
{
	wb_args a = *args;
	const char *as;
	int rc = wb_arg_as_count(&a, &as, 1, 1, err);
	if (rc)
		return rc;
	long n, p, seed;
	double degree;
	if ((rc = wb_arg_long(&a, "n", 0, 2, 100000000, &n, err)) ||
	    (rc = wb_arg_long(&a, "p", 0, 2, 1000, &p, err)) ||
	    (rc = wb_arg_double(&a, "degree", 0, &degree, err)) ||
	    (rc = wb_arg_long(&a, "seed", (long)wb_session_seed(s), 0, 0x7fffffffffffffffL, &seed, err)))
		return rc;
	wb_sim_params par = {(size_t)n, (size_t)p, degree};
	wb_rng *rng = wb_rng_new((uint64_t)seed);
	if (!rng)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	const char *scenario = wb_arg_word(&a, 0);
	wb_frame *f = NULL;
	wb_result *truth = NULL;
	rc = wb_simulate(scenario, &par, rng, &f, &truth, err);
	wb_rng_free(rng);
	if (rc)
		return rc;
	const char *name = as ? as : scenario;
	size_t nr = wb_frame_nrows(f), nc = wb_frame_ncols(f);
	if ((rc = wb_session_put_frame(s, name, f, err))) {
		wb_result_free(truth);
		return rc;
	}
	if (truth) {
		wb_result_add_note(truth, "generated %s as %s: %zu rows × %zu columns (seed %ld)",
				   scenario, name, nr, nc, seed);
		return wb_session_emit(s, truth, err);
	}
	return wb_session_say(s, err, "generated %s as %s: %zu rows × %zu columns (seed %ld)", scenario,
			      name, nr, nc, seed);
}

static const wb_option load_opts[] = {
	{"delim", "C", "field delimiter: , ; | or tab (default: detected from the first lines)"},
	{NULL, NULL, NULL}};
static const wb_option save_opts[] = {
	{"delim", "C", "field delimiter: , ; | or tab (default ,)"}, {NULL, NULL, NULL}};
static const wb_option generate_opts[] = {
	{"n", "N", "rows (default: the scenario's: musicapp 10000, lineardag 1000)"},
	{"seed", "S", "random seed (default: the workspace seed, see `set seed`)"},
	{"p", "P", "lineardag: number of variables (default 10)"},
	{"degree", "D", "lineardag: expected number of edges per variable (default 2)"},
	{NULL, NULL, NULL}};

const wb_cmd wb_cmds_data[] = {
	{"load", "load PATH [as NAME] [delim=C]", "load a CSV file as a dataset",
	 "Loads a CSV file (header row first) and makes it the active dataset, named after the "
	 "file unless `as NAME` is given. The delimiter (comma, semicolon or tab) is detected; "
	 "quoted fields may hold delimiters, quotes and newlines. Column kinds are inferred: "
	 "numeric, binary (0/1, true/false), categorical (text) and date (ISO 8601). Empty, NA, "
	 "N/A, NaN, null and None are missing values. A broken file is refused whole, with the "
	 "line and the problem.\n\nExample:\n  load sample-data/fans.csv as fans",
	 load_opts, WB_COMPLETE_PATHS, WB_CMD_MODIFIES, exec_load},
	{"use", "use NAME", "make another loaded dataset the active one",
	 "Makes the dataset NAME active; the Data pane and every data command then work on "
	 "it.\n\nExample:\n  use fans",
	 NULL, WB_COMPLETE_DATASETS, WB_CMD_MODIFIES, exec_use},
	{"datasets", "datasets", "list the datasets in the workspace",
	 "Lists every dataset with its size and where it came from; * marks the active "
	 "one.\n\nExample:\n  datasets",
	 NULL, 0, 0, exec_datasets},
	{"describe", "describe [COL...]", "summary statistics of columns",
	 "Count, missing, mean, standard deviation, minimum, quartiles and maximum of each "
	 "numeric column, and the most frequent levels of categorical and binary ones "
	 "(quartiles by linear interpolation, as pandas).\n\nExample:\n  describe",
	 NULL, WB_COMPLETE_COLUMNS, 0, exec_describe},
	{"head", "head [N]", "the first N rows (default 10)",
	 "Shows the first N rows of the active dataset as a table.\n\nExample:\n  head 5", NULL,
	 0, 0, exec_head},
	{"derive", "derive NAME = EXPRESSION", "add or replace a column computed from others",
	 "Computes a column row by row. Expressions have + - * / % ^, comparisons == != < <= > "
	 ">=, and/or/not, and the functions log exp sqrt abs round floor ceil min max if(c,a,b) "
	 "isna(x). Text in \"quotes\" compares with categorical levels; `back quotes` name "
	 "columns with spaces. A comparison gives a binary column. Missing in, missing "
	 "out.\n\nExample:\n  derive heavy = HoursOfContentConsumed > 10 and not "
	 "isna(UserEngagementLevel)",
	 NULL, WB_COMPLETE_COLUMNS, WB_CMD_MODIFIES | WB_CMD_RAW, exec_derive},
	{"filter", "filter EXPRESSION", "keep only the rows where a condition holds",
	 "Keeps the rows of the active dataset where the condition is true (rows where it is "
	 "false or missing are dropped). Same expressions as derive.\n\nExample:\n  filter "
	 "PreferredContentType == \"Music\" and UserEngagementLevel > 0",
	 NULL, WB_COMPLETE_COLUMNS, WB_CMD_MODIFIES | WB_CMD_RAW, exec_filter},
	{"sort", "sort COL [asc|desc]", "reorder the rows by a column",
	 "Sorts the active dataset's rows by COL (stable; missing values last; categorical "
	 "columns by level text). In the Data pane, s and S run this for the current "
	 "column.\n\nExample:\n  sort HoursOfContentConsumed desc",
	 NULL, WB_COMPLETE_COLUMNS, WB_CMD_MODIFIES, exec_sort},
	{"save data", "save data PATH [delim=C]", "write the active dataset as CSV",
	 "Writes the active dataset to PATH as CSV, atomically (a temporary file renamed over "
	 "PATH). Numbers are written in full precision, so loading the file gives the same "
	 "values back.\n\nExample:\n  save data /tmp/musicapp.csv",
	 save_opts, WB_COMPLETE_PATHS, 0, exec_save_data},
	{"generate", "generate SCENARIO [n=N] [seed=S] [p=P] [degree=D] [as NAME]",
	 "make a dataset with a known causal truth",
	 "Generates data from a scenario whose true effects or graph are known, shows that "
	 "truth, and makes the data the active dataset (named after the scenario unless `as "
	 "NAME`). Scenarios:\n  musicapp   personalised recommendations and hours listened "
	 "(true effect 1.0; naive regression overestimates it by about 15%)\n  lineardag  a random "
	 "linear-Gaussian DAG over X1..Xp\n\nExample:\n  generate musicapp n=10000 seed=7",
	 generate_opts, WB_COMPLETE_SCENARIOS, WB_CMD_MODIFIES, exec_generate},
	{NULL, NULL, NULL, NULL, NULL, 0, 0, NULL}};
