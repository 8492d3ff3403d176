/* workspace.c — see workspace.h for the file format. */
#include "workspace.h"

#include "../engine/atomicio.h"
#include "../engine/frame.h"
#include "../engine/graph.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing ---- */

static void put_escaped(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", fp);
		else if (*s == '\n')
			fputs("\\n", fp);
		else if (*s == '\t')
			fputs("\\t", fp);
		else
			fputc(*s, fp);
	}
}

/* The data block: a CSV of numbers (codes for levels, days for dates). */
static int write_data(FILE *fp, const wb_frame *f, wb_err *err)
{
	size_t nr = wb_frame_nrows(f), nc = wb_frame_ncols(f);
	/* The header repeats the column numbers only: names are in the column lines. */
	for (size_t j = 0; j < nc; j++)
		fprintf(fp, "%sc%zu", j ? "," : "", j + 1);
	fputc('\n', fp);
	char buf[64];
	for (size_t i = 0; i < nr; i++) {
		for (size_t j = 0; j < nc; j++) {
			double x = wb_frame_col(f, j)[i];
			if (j)
				fputc(',', fp);
			if (!isnan(x))
				fputs(wb_fmt_num(x, 0, buf, sizeof buf), fp);
		}
		fputc('\n', fp);
	}
	return ferror(fp) ? wb_err_set(err, WB_EIO, "write error") : 0;
}

static const char *const mark_names[] = {"none", "tail", "arrow", "circle"};
static const char role_letters[] = "eola"; /* in WB_ROLE_* bit order */

static void put_num_or_dash(FILE *fp, double x)
{
	char buf[64];
	fputs(isnan(x) ? "-" : wb_fmt_num(x, 0, buf, sizeof buf), fp);
}

static void write_graph(FILE *fp, const char *name, const wb_graph *g)
{
	size_t n = wb_graph_nnodes(g), m = wb_graph_nedges(g);
	fputs("graph ", fp);
	put_escaped(fp, name);
	fprintf(fp, " %zu %zu\n", n, m);
	for (size_t i = 0; i < n; i++) {
		int roles = wb_graph_roles(g, i);
		fputs("node ", fp);
		for (int k = 0; k < 4; k++)
			if (roles & (1 << k))
				fputc(role_letters[k], fp);
		if (!roles)
			fputc('-', fp);
		double x = NAN, y = NAN;
		wb_graph_pos(g, i, &x, &y);
		fputc(' ', fp);
		put_num_or_dash(fp, x);
		fputc(' ', fp);
		put_num_or_dash(fp, y);
		fputc(' ', fp);
		put_escaped(fp, wb_graph_node_name(g, i));
		fputc('\n', fp);
	}
	for (size_t k = 0; k < m; k++) {
		size_t a, b;
		wb_graph_edge_at(g, k, &a, &b);
		fprintf(fp, "edge %zu %zu %s %s ", a, b, mark_names[wb_graph_mark(g, b, a)],
			mark_names[wb_graph_mark(g, a, b)]);
		put_num_or_dash(fp, wb_graph_edge_weight(g, a, b));
		fputc('\n', fp);
	}
}

static int write_workspace(FILE *fp, const void *ctx, wb_err *err)
{
	const wb_session *s = ctx;
	fprintf(fp, "%s\n", WB_WORKSPACE_MAGIC);
	fprintf(fp, "seed %llu\n", (unsigned long long)wb_session_seed(s));
	fprintf(fp, "threads %d\n", wb_session_threads(s));
	for (size_t d = 0; d < wb_session_ndatasets(s); d++) {
		const wb_frame *f = wb_session_dataset(s, d);
		fputs("dataset ", fp);
		put_escaped(fp, wb_session_dataset_name(s, d));
		fprintf(fp, " %zu %zu\n", wb_frame_nrows(f), wb_frame_ncols(f));
		for (size_t a = 0; a < wb_frame_nattrs(f); a++) {
			const char *key = wb_frame_attr_key(f, a);
			fputs("attr ", fp);
			put_escaped(fp, key);
			fputc(' ', fp);
			put_escaped(fp, wb_frame_attr(f, key));
			fputc('\n', fp);
		}
		for (size_t j = 0; j < wb_frame_ncols(f); j++) {
			fprintf(fp, "column %s ", wb_col_kind_name(wb_frame_col_kind(f, j)));
			put_escaped(fp, wb_frame_colname(f, j));
			fputc('\n', fp);
			if (wb_frame_col_kind(f, j) == WB_COL_CATEGORICAL)
				for (size_t k = 0; k < wb_frame_nlevels(f, j); k++) {
					fputs("level ", fp);
					put_escaped(fp, wb_frame_level(f, j, k));
					fputc('\n', fp);
				}
		}
		/* The byte count comes first, so write the block to memory. */
		char *block = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&block, &len);
		if (!mem)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		int rc = write_data(mem, f, err);
		fclose(mem);
		if (rc) {
			free(block);
			return rc;
		}
		fprintf(fp, "data %zu\n", len);
		fwrite(block, 1, len, fp);
		free(block);
		fputc('\n', fp);
	}
	const char *active;
	if (wb_session_frame(s, &active)) {
		fputs("active ", fp);
		put_escaped(fp, active);
		fputc('\n', fp);
	}
	for (size_t i = 0; i < wb_session_ngraphs(s); i++)
		write_graph(fp, wb_session_graph_name(s, i), wb_session_graph_at(s, i));
	if (wb_session_graph(s, &active)) {
		fputs("active-graph ", fp);
		put_escaped(fp, active);
		fputc('\n', fp);
	}
	for (size_t i = 0; i < wb_session_nhistory(s); i++) {
		fputs("history ", fp);
		put_escaped(fp, wb_session_history(s, i));
		fputc('\n', fp);
	}
	fputs("end\n", fp);
	return ferror(fp) ? wb_err_set(err, WB_EIO, "write error") : 0;
}

int wb_workspace_save(const wb_session *s, const char *path, wb_err *err)
{
	return wb_write_atomic(path, write_workspace, s, err);
}

/* ---- reading ---- */

typedef struct reader {
	const char *path;
	char *buf;
	size_t len, pos;
	long line;
	wb_err *err;
} reader;

static int fail(reader *r, const char *fmt, const char *arg)
{
	char msg[300];
	snprintf(msg, sizeof msg, fmt, arg);
	return wb_err_set(r->err, WB_EPARSE, "%s:%ld: %s", r->path, r->line, msg);
}

/* Next line (without its newline) in place; NULL at the end. */
static char *next_line(reader *r)
{
	if (r->pos >= r->len)
		return NULL;
	char *s = r->buf + r->pos;
	char *nl = memchr(s, '\n', r->len - r->pos);
	size_t n = nl ? (size_t)(nl - s) : r->len - r->pos;
	s[n] = '\0';
	r->pos += n + 1;
	r->line++;
	return s;
}

static void unescape(char *s)
{
	char *d = s;
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*d++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/* "word rest": splits at the first space; returns rest ("" if none). */
static char *split_word(char *s)
{
	char *sp = strchr(s, ' ');
	if (!sp)
		return s + strlen(s);
	*sp = '\0';
	return sp + 1;
}

typedef struct colspec {
	char *name;
	wb_col_kind kind;
	char **levels;
	size_t nlevels;
} colspec;

static void free_specs(colspec *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].name);
		for (size_t k = 0; k < c[i].nlevels; k++)
			free(c[i].levels[k]);
		free(c[i].levels);
	}
	free(c);
}

static int kind_of(const char *s, wb_col_kind *k)
{
	for (int i = WB_COL_NUMERIC; i <= WB_COL_DATE; i++)
		if (strcmp(s, wb_col_kind_name((wb_col_kind)i)) == 0) {
			*k = (wb_col_kind)i;
			return 0;
		}
	return -1;
}

/* Reads one dataset block after its "dataset" line; adds it to target. */
static int read_dataset(reader *r, char *rest, wb_session *target)
{
	char *dims = strrchr(rest, ' ');
	size_t nrows, ncols;
	char name_buf[512];
	if (!dims)
		return fail(r, "%s", "dataset line needs NAME ROWS COLUMNS");
	*dims = '\0';
	char *rows_s = strrchr(rest, ' ');
	if (!rows_s || sscanf(rows_s + 1, "%zu", &nrows) != 1 || sscanf(dims + 1, "%zu", &ncols) != 1)
		return fail(r, "%s", "dataset line needs NAME ROWS COLUMNS");
	*rows_s = '\0';
	unescape(rest);
	snprintf(name_buf, sizeof name_buf, "%s", rest);

	colspec *cols = calloc(ncols ? ncols : 1, sizeof *cols);
	char **attr_k = NULL, **attr_v = NULL;
	size_t nattr = 0, ncol = 0;
	wb_frame *raw = NULL, *f = NULL;
	int rc = 0;
	if (!cols)
		return wb_err_set(r->err, WB_ENOMEM, "out of memory");
	char *line;
	while ((line = next_line(r))) {
		char *word = line, *arg = split_word(line);
		if (strcmp(word, "attr") == 0) {
			char *val = split_word(arg);
			unescape(arg);
			unescape(val);
			char **k2 = realloc(attr_k, (nattr + 1) * sizeof *k2);
			if (k2)
				attr_k = k2;
			char **v2 = realloc(attr_v, (nattr + 1) * sizeof *v2);
			if (v2)
				attr_v = v2;
			if (!k2 || !v2 || !(attr_k[nattr] = strdup(arg))) {
				rc = wb_err_set(r->err, WB_ENOMEM, "out of memory");
				goto out;
			}
			if (!(attr_v[nattr] = strdup(val))) {
				free(attr_k[nattr]);
				rc = wb_err_set(r->err, WB_ENOMEM, "out of memory");
				goto out;
			}
			nattr++;
		} else if (strcmp(word, "column") == 0) {
			if (ncol == ncols) {
				rc = fail(r, "%s", "more column lines than the dataset line says");
				goto out;
			}
			char *cname = split_word(arg);
			if (kind_of(arg, &cols[ncol].kind)) {
				rc = fail(r, "unknown column kind '%s'", arg);
				goto out;
			}
			unescape(cname);
			if (!(cols[ncol].name = strdup(cname))) {
				rc = wb_err_set(r->err, WB_ENOMEM, "out of memory");
				goto out;
			}
			ncol++;
		} else if (strcmp(word, "level") == 0) {
			colspec *c = ncol ? &cols[ncol - 1] : NULL;
			if (!c || c->kind != WB_COL_CATEGORICAL) {
				rc = fail(r, "%s", "a level line must follow a categorical column");
				goto out;
			}
			unescape(arg);
			char **lv = realloc(c->levels, (c->nlevels + 1) * sizeof *lv);
			if (!lv || !(lv[c->nlevels] = strdup(arg))) {
				if (lv)
					c->levels = lv;
				rc = wb_err_set(r->err, WB_ENOMEM, "out of memory");
				goto out;
			}
			c->levels = lv;
			c->nlevels++;
		} else if (strcmp(word, "data") == 0) {
			size_t bytes;
			char *end;
			bytes = strtoull(arg, &end, 10);
			if (*end || end == arg || bytes > r->len - r->pos) {
				rc = fail(r, "%s", "data line needs a byte count within the file");
				goto out;
			}
			if (ncol != ncols) {
				rc = fail(r, "%s", "fewer column lines than the dataset line says");
				goto out;
			}
			long data_line = r->line;
			wb_csv_options opt = {',', 1};
			char where[600];
			snprintf(where, sizeof where, "%s (data of dataset %s, from line %ld)", r->path,
				 name_buf, data_line + 1);
			rc = wb_frame_parse_csv(where, r->buf + r->pos, bytes, &opt, &raw, r->err);
			if (rc)
				goto out;
			for (const char *p = r->buf + r->pos; p < r->buf + r->pos + bytes; p++)
				r->line += *p == '\n';
			r->pos += bytes;
			if (r->pos < r->len && r->buf[r->pos] == '\n') {
				r->pos++;
			}
			if (wb_frame_nrows(raw) != nrows || wb_frame_ncols(raw) != ncols) {
				rc = fail(r, "%s", "data block size differs from the dataset line");
				goto out;
			}
			break;
		} else {
			rc = fail(r, "unexpected '%s' inside a dataset block", word);
			goto out;
		}
	}
	if (!raw) {
		rc = fail(r, "%s", "dataset block has no data");
		goto out;
	}
	if (!(f = wb_frame_new(nrows))) {
		rc = wb_err_set(r->err, WB_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t j = 0; j < ncols; j++) {
		const double *v = wb_frame_col(raw, j);
		if (cols[j].kind == WB_COL_CATEGORICAL) {
			for (size_t i = 0; i < nrows; i++)
				if (!isnan(v[i]) && (v[i] < 0 || v[i] >= (double)cols[j].nlevels ||
						     v[i] != floor(v[i]))) {
					rc = fail(r, "column '%s' has a level code out of range", cols[j].name);
					goto out;
				}
			rc = wb_frame_set_categorical(f, cols[j].name, v,
						      (const char *const *)cols[j].levels,
						      cols[j].nlevels, r->err);
		} else {
			rc = wb_frame_set_column(f, cols[j].name, cols[j].kind, v, r->err);
		}
		if (rc) {
			wb_err_prefix(r->err, "%s:%ld", r->path, r->line);
			goto out;
		}
	}
	for (size_t a = 0; a < nattr; a++)
		if (wb_frame_set_attr(f, attr_k[a], attr_v[a])) {
			rc = wb_err_set(r->err, WB_ENOMEM, "out of memory");
			goto out;
		}
	rc = wb_session_put_frame(target, name_buf, f, r->err);
	f = NULL;
out:
	wb_frame_free(raw);
	wb_frame_free(f);
	free_specs(cols, ncols);
	for (size_t a = 0; a < nattr; a++) {
		free(attr_k[a]);
		free(attr_v[a]);
	}
	free(attr_k);
	free(attr_v);
	return rc;
}

/* A number, or "-" for none (NaN); -1 if neither. */
static int num_or_dash(const char *s, double *x)
{
	if (strcmp(s, "-") == 0) {
		*x = NAN;
		return 0;
	}
	char *end;
	*x = strtod(s, &end);
	return end == s || *end || !isfinite(*x) ? -1 : 0;
}

static int mark_of(const char *s, wb_mark *m)
{
	for (int k = WB_MARK_TAIL; k <= WB_MARK_CIRCLE; k++)
		if (strcmp(s, mark_names[k]) == 0) {
			*m = (wb_mark)k;
			return 0;
		}
	return -1;
}

/* One node line's fields: "ROLES X Y NAME". */
static int read_node(reader *r, char *arg, wb_graph *g)
{
	char *xs = split_word(arg), *ys = split_word(xs), *name = split_word(ys);
	double x, y;
	if (!*name || num_or_dash(xs, &x) || num_or_dash(ys, &y) || isnan(x) != isnan(y))
		return fail(r, "%s", "node line needs ROLES X Y NAME");
	unescape(name);
	long i = wb_graph_add_node(g, name, r->err);
	if (i < 0)
		return wb_err_prefix(r->err, "%s:%ld", r->path, r->line);
	if (!isnan(x) && wb_graph_set_pos(g, (size_t)i, x, y, r->err))
		return wb_err_prefix(r->err, "%s:%ld", r->path, r->line);
	for (const char *c = arg; *c && strcmp(arg, "-") != 0; c++) {
		const char *k = strchr(role_letters, *c);
		if (!k)
			return fail(r, "unknown role letter in '%s'", arg);
		wb_graph_set_role(g, (size_t)i, 1 << (k - role_letters), 1, r->err);
	}
	return 0;
}

/* One edge line's fields: "I J MARK_I MARK_J WEIGHT". */
static int read_edge(reader *r, char *arg, wb_graph *g)
{
	char *f[5];
	f[0] = arg;
	for (int k = 1; k < 5; k++)
		f[k] = split_word(f[k - 1]);
	char *end1, *end2;
	unsigned long a = strtoul(f[0], &end1, 10), b = strtoul(f[1], &end2, 10);
	wb_mark ma, mb;
	double w;
	if (*end1 || *end2 || end1 == f[0] || end2 == f[1] || mark_of(f[2], &ma) ||
	    mark_of(f[3], &mb) || num_or_dash(f[4], &w))
		return fail(r, "%s", "edge line needs I J MARK MARK WEIGHT");
	if (a >= wb_graph_nnodes(g) || b >= wb_graph_nnodes(g))
		return fail(r, "%s", "edge line names a node index beyond the node lines");
	if (wb_graph_set_edge(g, a, b, ma, mb, r->err) ||
	    (!isnan(w) && wb_graph_set_edge_weight(g, a, b, w, r->err)))
		return wb_err_prefix(r->err, "%s:%ld", r->path, r->line);
	return 0;
}

/* Reads one graph block after its "graph" line; adds it to target. */
static int read_graph(reader *r, char *rest, wb_session *target)
{
	char *dims = strrchr(rest, ' ');
	size_t nodes, edges;
	if (!dims)
		return fail(r, "%s", "graph line needs NAME NODES EDGES");
	*dims = '\0';
	char *nodes_s = strrchr(rest, ' ');
	if (!nodes_s || sscanf(nodes_s + 1, "%zu", &nodes) != 1 ||
	    sscanf(dims + 1, "%zu", &edges) != 1)
		return fail(r, "%s", "graph line needs NAME NODES EDGES");
	*nodes_s = '\0';
	unescape(rest);
	wb_graph *g = wb_graph_new();
	if (!g)
		return wb_err_set(r->err, WB_ENOMEM, "out of memory");
	int rc = 0;
	for (size_t k = 0; k < nodes + edges && rc == 0; k++) {
		char *line = next_line(r);
		if (!line) {
			rc = fail(r, "%s", "the file ends inside a graph block");
			break;
		}
		char *word = line, *arg = split_word(line);
		const char *want = k < nodes ? "node" : "edge";
		if (strcmp(word, want) != 0)
			rc = fail(r, k < nodes ? "expected a node line, got '%s'"
					       : "expected an edge line, got '%s'",
				  word);
		else
			rc = k < nodes ? read_node(r, arg, g) : read_edge(r, arg, g);
	}
	if (rc) {
		wb_graph_free(g);
		return rc;
	}
	/* A restored graph starts with an empty history. */
	wb_graph *fresh = wb_graph_copy(g);
	wb_graph_free(g);
	if (!fresh)
		return wb_err_set(r->err, WB_ENOMEM, "out of memory");
	return wb_session_put_graph(target, rest, fresh, r->err);
}

int wb_workspace_open(wb_session *s, const char *path, wb_err *err)
{
	reader r = {.path = path, .err = err};
	int rc = wb_read_file(path, 0, NULL, &r.buf, &r.len, err);
	if (rc)
		return rc;
	wb_session *t = wb_session_new();
	if (!t) {
		free(r.buf);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	char *line = next_line(&r);
	if (!line || strcmp(line, WB_WORKSPACE_MAGIC) != 0) {
		rc = fail(&r, "%s", "not a whybench workspace (the first line must be '" WB_WORKSPACE_MAGIC "')");
		goto out;
	}
	int ended = 0;
	char active[512] = "", active_graph[512] = "";
	while (!ended && (line = next_line(&r))) {
		if (!*line)
			continue;
		char *word = line, *arg = split_word(line);
		if (strcmp(word, "seed") == 0) {
			char *end;
			unsigned long long seed = strtoull(arg, &end, 10);
			if (*end || end == arg) {
				rc = fail(&r, "bad seed '%s'", arg);
				goto out;
			}
			wb_session_set_seed(t, seed);
		} else if (strcmp(word, "threads") == 0) {
			wb_session_set_threads(t, atoi(arg));
		} else if (strcmp(word, "dataset") == 0) {
			if ((rc = read_dataset(&r, arg, t)))
				goto out;
		} else if (strcmp(word, "graph") == 0) {
			if ((rc = read_graph(&r, arg, t)))
				goto out;
		} else if (strcmp(word, "active-graph") == 0) {
			unescape(arg);
			snprintf(active_graph, sizeof active_graph, "%s", arg);
		} else if (strcmp(word, "active") == 0) {
			unescape(arg);
			snprintf(active, sizeof active, "%s", arg);
		} else if (strcmp(word, "history") == 0) {
			unescape(arg);
			if (wb_session_add_history(t, arg)) {
				rc = wb_err_set(err, WB_ENOMEM, "out of memory");
				goto out;
			}
		} else if (strcmp(word, "end") == 0) {
			ended = 1;
		} else {
			rc = fail(&r, "unknown line '%s'", word);
			goto out;
		}
	}
	if (!ended) {
		rc = fail(&r, "%s", "the file ends before its 'end' line (truncated?)");
		goto out;
	}
	if (*active && (rc = wb_session_use(t, active, err))) {
		wb_err_prefix(err, "%s", path);
		goto out;
	}
	if (*active_graph && (rc = wb_session_use_graph(t, active_graph, err))) {
		wb_err_prefix(err, "%s", path);
		goto out;
	}
	wb_session_adopt(s, t);
	wb_session_set_dirty(s, 0);
out:
	wb_session_free(t);
	free(r.buf);
	return rc;
}

int wb_workspace_sniff(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	char head[sizeof WB_WORKSPACE_MAGIC] = "";
	size_t n = fread(head, 1, sizeof head - 1, fp);
	fclose(fp);
	head[n] = '\0';
	return strcmp(head, WB_WORKSPACE_MAGIC) == 0;
}
