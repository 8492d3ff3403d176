/*
 * graph_io.c — the tokenizer shared by the DOT and dagitty readers, name and number writing,
 * and wb_graph_load / wb_graph_save (see graph.h and graph_io.h).
 */
#include "graph_io.h"

#include "atomicio.h"
#include "result.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Graph files larger than this are refused (a drawn or discovered graph is far smaller). */
#define GRAPH_FILE_MAX ((size_t)64 << 20)

/* ---- tokenizer ---- */

int wb_glex_fail_at(glex *lx, long line, long col, int code, const char *fmt, ...)
{
	char msg[WB_ERR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return wb_err_set(lx->err, code, "%s:%ld:%ld: %s", lx->name, line, col, msg);
}

int wb_glex_fail(glex *lx, const char *fmt, ...)
{
	char msg[WB_ERR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return wb_err_set(lx->err, WB_EPARSE, "%s:%ld:%ld: %s", lx->name, lx->tok.line, lx->tok.col,
			  msg);
}

static int peek(const glex *lx, size_t k)
{
	return lx->pos + k < lx->len ? (unsigned char)lx->buf[lx->pos + k] : -1;
}

static void advance(glex *lx, size_t k)
{
	for (size_t i = 0; i < k && lx->pos < lx->len; i++) {
		/* Columns count characters: UTF-8 continuation bytes do not move the column. */
		unsigned char c = (unsigned char)lx->buf[lx->pos++];
		if (c == '\n') {
			lx->line++;
			lx->col = 1;
		} else if ((c & 0xc0) != 0x80) {
			lx->col++;
		}
	}
}

static int put(glex *lx, size_t n, char c)
{
	if (n + 2 > lx->cap) {
		size_t cap = lx->cap ? 2 * lx->cap : 64;
		char *t = realloc(lx->text, cap);
		if (!t)
			return wb_err_set(lx->err, WB_ENOMEM, "out of memory");
		lx->text = t;
		lx->cap = cap;
	}
	lx->text[n] = c;
	lx->text[n + 1] = '\0';
	return 0;
}

static int id_char(int c)
{
	return c >= 0x80 || isalnum(c) || c == '_' || c == '.';
}

/* Skips blanks and comments (// and # to the end of the line, block comments). */
static int skip_space(glex *lx)
{
	for (;;) {
		int c = peek(lx, 0);
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
			advance(lx, 1);
		} else if (c == '#' || (c == '/' && peek(lx, 1) == '/')) {
			while (peek(lx, 0) >= 0 && peek(lx, 0) != '\n')
				advance(lx, 1);
		} else if (c == '/' && peek(lx, 1) == '*') {
			long line = lx->line, col = lx->col;
			advance(lx, 2);
			while (peek(lx, 0) >= 0 && !(peek(lx, 0) == '*' && peek(lx, 1) == '/'))
				advance(lx, 1);
			if (peek(lx, 0) < 0)
				return wb_glex_fail_at(lx, line, col, WB_EPARSE,
						       "unterminated comment");
			advance(lx, 2);
		} else {
			return 0;
		}
	}
}

/* The edge operator at the current position, or NULL. Longest first. */
static const char *edge_op(const glex *lx)
{
	static const char *const dot_ops[] = {"->", "--", NULL};
	static const char *const dagitty_ops[] = {"<->", "<-@", "@->", "@-@", "--@",
						  "@--", "->",	"<-",  "--",  NULL};
	const char *const *ops = lx->dagitty ? dagitty_ops : dot_ops;
	for (size_t k = 0; ops[k]; k++) {
		size_t n = strlen(ops[k]);
		if (lx->pos + n <= lx->len && memcmp(lx->buf + lx->pos, ops[k], n) == 0)
			return ops[k];
	}
	return NULL;
}

int wb_glex_next(glex *lx)
{
	int rc = skip_space(lx);
	if (rc)
		return rc;
	gtok *t = &lx->tok;
	t->line = lx->line;
	t->col = lx->col;
	t->quoted = 0;
	size_t n = 0;
	if (put(lx, 0, '\0'))
		return WB_ENOMEM;
	t->text = lx->text;
	int c = peek(lx, 0);
	if (c < 0) {
		t->kind = GT_END;
		return 0;
	}
	const char *op = edge_op(lx);
	if (op) {
		t->kind = GT_EDGE;
		for (; op[n]; n++)
			if (put(lx, n, op[n]))
				return WB_ENOMEM;
		advance(lx, n);
		t->text = lx->text;
		return 0;
	}
	if (strchr("{}[]=;,:", c)) {
		t->kind = GT_PUNCT;
		if (put(lx, 0, (char)c))
			return WB_ENOMEM;
		advance(lx, 1);
		t->text = lx->text;
		return 0;
	}
	t->kind = GT_ID;
	if (c == '"') {
		t->quoted = 1;
		advance(lx, 1);
		for (;;) {
			c = peek(lx, 0);
			if (c < 0)
				return wb_glex_fail_at(lx, t->line, t->col, WB_EPARSE,
						       "unterminated quoted name (missing \")");
			if (c == '"')
				break;
			if (c == '\\' && (peek(lx, 1) == '"' || peek(lx, 1) == '\\')) {
				advance(lx, 1);
				c = peek(lx, 0);
			} else if (c == '\\' && peek(lx, 1) == '\n') {
				advance(lx, 2); /* a DOT line continuation */
				continue;
			}
			if (put(lx, n++, (char)c))
				return WB_ENOMEM;
			advance(lx, 1);
		}
		advance(lx, 1);
		/* DOT joins "a" + "b". */
		for (;;) {
			size_t save_pos = lx->pos;
			long save_line = lx->line, save_col = lx->col;
			if ((rc = skip_space(lx)))
				return rc;
			if (peek(lx, 0) != '+' || lx->dagitty) {
				lx->pos = save_pos;
				lx->line = save_line;
				lx->col = save_col;
				break;
			}
			advance(lx, 1);
			if ((rc = skip_space(lx)))
				return rc;
			if (peek(lx, 0) != '"')
				return wb_glex_fail(lx, "'+' must join two quoted strings");
			advance(lx, 1);
			while ((c = peek(lx, 0)) != '"') {
				if (c < 0)
					return wb_glex_fail_at(
					    lx, t->line, t->col, WB_EPARSE,
					    "unterminated quoted name (missing \")");
				if (c == '\\' && (peek(lx, 1) == '"' || peek(lx, 1) == '\\')) {
					advance(lx, 1);
					c = peek(lx, 0);
				}
				if (put(lx, n++, (char)c))
					return WB_ENOMEM;
				advance(lx, 1);
			}
			advance(lx, 1);
		}
		t->text = lx->text;
		return 0;
	}
	if (c == '<' && !lx->dagitty) {
		/* An HTML-like DOT ID: <...> with nested angle brackets; the text is what is
		 * between the outer brackets. */
		int depth = 0;
		do {
			c = peek(lx, 0);
			if (c < 0)
				return wb_glex_fail_at(lx, t->line, t->col, WB_EPARSE,
						       "unterminated <...> name");
			depth += c == '<' ? 1 : c == '>' ? -1 : 0;
			if ((depth > 1 || (depth == 1 && c != '<')) && put(lx, n++, (char)c))
				return WB_ENOMEM;
			advance(lx, 1);
		} while (depth > 0);
		t->quoted = 1;
		t->text = lx->text;
		return 0;
	}
	if (c == '-' && (isdigit(peek(lx, 1)) || peek(lx, 1) == '.')) {
		if (put(lx, n++, '-'))
			return WB_ENOMEM;
		advance(lx, 1);
	}
	/* A number may carry an exponent with a sign (1e-07). */
	int number = isdigit(peek(lx, 0)) || (peek(lx, 0) == '.' && isdigit(peek(lx, 1)));
	while ((c = peek(lx, 0)) >= 0 &&
	       (id_char(c) || (number && (c == '-' || c == '+') && n > 0 &&
			       (lx->text[n - 1] == 'e' || lx->text[n - 1] == 'E')))) {
		if (put(lx, n++, (char)c))
			return WB_ENOMEM;
		advance(lx, 1);
	}
	if (n == 0) {
		char what[8];
		if (c >= 0x20 && c < 0x7f)
			snprintf(what, sizeof what, "'%c'", c);
		else
			snprintf(what, sizeof what, "0x%02x", c);
		return wb_glex_fail(lx, "unexpected character %s", what);
	}
	t->text = lx->text;
	return 0;
}

int wb_glex_init(glex *lx, const char *name, const char *buf, size_t len, int dagitty, wb_err *err)
{
	memset(lx, 0, sizeof *lx);
	lx->name = name;
	lx->buf = buf;
	lx->len = len;
	lx->line = lx->col = 1;
	lx->dagitty = dagitty;
	lx->err = err;
	/* Skip a UTF-8 byte order mark. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		lx->pos = 3;
	return wb_glex_next(lx);
}

void wb_glex_free(glex *lx)
{
	free(lx->text);
	lx->text = NULL;
}

int wb_glex_is(const glex *lx, const char *s)
{
	if (lx->tok.kind == GT_PUNCT || lx->tok.kind == GT_EDGE)
		return strcmp(lx->tok.text, s) == 0;
	return lx->tok.kind == GT_ID && !lx->tok.quoted && strcasecmp(lx->tok.text, s) == 0;
}

const char *wb_glex_what(const glex *lx, char *buf, size_t size)
{
	if (lx->tok.kind == GT_END)
		snprintf(buf, size, "end of file");
	else
		snprintf(buf, size, "'%.60s'", lx->tok.text);
	return buf;
}

/* ---- writing ---- */

static int is_keyword(const char *s)
{
	static const char *const kw[] = {"graph", "digraph", "strict", "node", "edge", "subgraph",
					 "dag",	  "pdag",    "mag",    "pag",  "bb",   NULL};
	for (size_t k = 0; kw[k]; k++)
		if (strcasecmp(s, kw[k]) == 0)
			return 1;
	return 0;
}

void wb_gio_put_name(FILE *fp, const char *name)
{
	int bare = *name && !isdigit((unsigned char)*name) && *name != '.' && !is_keyword(name);
	for (const char *p = name; *p && bare; p++)
		bare = (isalnum((unsigned char)*p) || *p == '_') && (unsigned char)*p < 0x80;
	if (bare) {
		fputs(name, fp);
		return;
	}
	fputc('"', fp);
	for (const char *p = name; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}

const char *wb_gio_num(double x, char *buf, size_t size)
{
	return wb_fmt_num(x, 0, buf, size);
}

int wb_gio_parse_num(const char *s, double *x)
{
	char *end;
	errno = 0;
	*x = strtod(s, &end);
	return end == s || *end || errno || !isfinite(*x) ? -1 : 0;
}

int wb_gio_parse_pos(const char *s, double *x, double *y)
{
	char a[128], b[128];
	const char *comma = strchr(s, ',');
	if (!comma || (size_t)(comma - s) >= sizeof a || strlen(comma + 1) >= sizeof b)
		return -1;
	snprintf(a, sizeof a, "%.*s", (int)(comma - s), s);
	snprintf(b, sizeof b, "%s", comma + 1);
	size_t nb = strlen(b);
	if (nb && b[nb - 1] == '!')
		b[nb - 1] = '\0';
	return wb_gio_parse_num(a, x) || wb_gio_parse_num(b, y) ? -1 : 0;
}

int wb_gio_start(glex *lx, wb_graph **g, const char *name, const char *buf, size_t len, int dagitty,
		 wb_err *err)
{
	*g = NULL;
	int rc = wb_glex_init(lx, name, buf, len, dagitty, err);
	if (rc == 0 && !(*g = wb_graph_new()))
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
	return rc;
}

int wb_gio_skip_header(glex *lx)
{
	int rc = wb_glex_next(lx);
	if (rc == 0 && lx->tok.kind == GT_ID)
		rc = wb_glex_next(lx);
	return rc;
}

int wb_gio_attr(glex *lx, wb_gio_attr_fn fn, void *reader, void *ctx)
{
	char got[80];
	if (lx->tok.kind != GT_ID)
		return wb_glex_fail(lx, "expected an attribute name, got %s",
				    wb_glex_what(lx, got, sizeof got));
	long line = lx->tok.line, col = lx->tok.col;
	char *key = strdup(lx->tok.text), *value = NULL;
	if (!key)
		return wb_err_set(lx->err, WB_ENOMEM, "out of memory");
	int rc = wb_glex_next(lx);
	if (rc == 0 && wb_glex_is(lx, "=")) {
		rc = wb_glex_next(lx);
		if (rc == 0 && lx->tok.kind != GT_ID)
			rc = wb_glex_fail(lx, "expected a value for %s, got %s", key,
					  wb_glex_what(lx, got, sizeof got));
		if (rc == 0 && !(value = strdup(lx->tok.text)))
			rc = wb_err_set(lx->err, WB_ENOMEM, "out of memory");
		if (rc == 0)
			rc = wb_glex_next(lx);
	}
	if (rc == 0)
		rc = fn(reader, key, value, line, col, ctx);
	free(key);
	free(value);
	return rc;
}

/* The node attributes of the roles, in the order of the WB_ROLE_* bits. */
static const char *const role_names[] = {"exposure", "outcome", "latent", "adjusted"};

int wb_gio_role(const char *key)
{
	for (int k = 0; k < 4; k++)
		if (strcasecmp(key, role_names[k]) == 0)
			return 1 << k;
	return 0;
}

int wb_gio_attr_pos(glex *lx, const char *value, long line, long col, double *x, double *y)
{
	if (!value || wb_gio_parse_pos(value, x, y))
		return wb_glex_fail_at(lx, line, col, WB_EPARSE, "pos must be \"x,y\", got '%s'",
				       value ? value : "");
	return 0;
}

int wb_gio_edge(glex *lx, wb_graph *g, size_t a, size_t b, wb_mark ma, wb_mark mb, long line,
		long col)
{
	if (wb_graph_adjacent(g, a, b)) {
		if (wb_graph_mark(g, b, a) == ma && wb_graph_mark(g, a, b) == mb)
			return 0;
		char e[WB_ERR_MAX / 2];
		wb_graph_edge_text(g, a, b, e, sizeof e);
		return wb_glex_fail_at(lx, line, col, WB_EPARSE,
				       "a second edge between %s and %s "
				       "(already %s)",
				       wb_graph_node_name(g, a), wb_graph_node_name(g, b), e);
	}
	wb_err inner;
	int rc = wb_graph_set_edge(g, a, b, ma, mb, &inner);
	if (rc)
		return wb_glex_fail_at(lx, line, col, rc, "%s", inner.msg);
	return 0;
}

int wb_gio_finish(glex *lx, wb_graph *g, int rc, wb_graph **out)
{
	char got[80];
	if (rc == 0 && lx->tok.kind != GT_END)
		rc = wb_glex_fail(lx, "unexpected %s after the closing '}'",
				  wb_glex_what(lx, got, sizeof got));
	if (rc == 0 && !(*out = wb_graph_copy(g)))
		rc = wb_err_set(lx->err, WB_ENOMEM, "out of memory");
	wb_glex_free(lx);
	wb_graph_free(g);
	return rc;
}

void wb_gio_edge_ends(const wb_graph *g, size_t k, size_t *a, size_t *b, wb_mark *ma, wb_mark *mb)
{
	wb_graph_edge_at(g, k, a, b);
	*ma = wb_graph_mark(g, *b, *a);
	*mb = wb_graph_mark(g, *a, *b);
	if (*ma == WB_MARK_ARROW && *mb == WB_MARK_TAIL) {
		size_t t = *a;
		*a = *b;
		*b = t;
		*ma = WB_MARK_TAIL;
		*mb = WB_MARK_ARROW;
	}
}

void wb_gio_put_pos(FILE *fp, double x, double y)
{
	char bx[64], by[64];
	fprintf(fp, "pos=\"%s,%s\"", wb_gio_num(x, bx, sizeof bx), wb_gio_num(y, by, sizeof by));
}

void wb_gio_put_node_attrs(FILE *fp, const wb_graph *g, size_t i, const char *sep,
			   const char *flag)
{
	int roles = wb_graph_roles(g, i), first = 1;
	double x, y;
	int has_pos = wb_graph_pos(g, i, &x, &y);
	if (!roles && !has_pos)
		return;
	fputs(" [", fp);
	for (int k = 0; k < 4; k++)
		if (roles & (1 << k)) {
			fprintf(fp, "%s%s%s", first ? "" : sep, role_names[k], flag);
			first = 0;
		}
	if (has_pos) {
		fputs(first ? "" : sep, fp);
		wb_gio_put_pos(fp, x, y);
	}
	fputc(']', fp);
}

/* ---- load and save ---- */

static int has_ext(const char *path, const char *ext)
{
	size_t n = strlen(path), k = strlen(ext);
	return n >= k && strcasecmp(path + n - k, ext) == 0;
}

/* 1 if the text starts (after blanks and comments) with a dagitty header word. */
static int looks_dagitty(const char *path, const char *buf, size_t len)
{
	glex lx;
	wb_err err;
	int dag = 0;
	if (wb_glex_init(&lx, path, buf, len, 1, &err) == 0)
		dag = wb_glex_is(&lx, "dag") || wb_glex_is(&lx, "pdag") || wb_glex_is(&lx, "mag") ||
		      wb_glex_is(&lx, "pag");
	wb_glex_free(&lx);
	return dag;
}

int wb_graph_load(const char *path, wb_graph **out, wb_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	*out = NULL;
	int rc = wb_read_file(path, GRAPH_FILE_MAX, "graph", &buf, &len, err);
	if (rc)
		return rc;
	int dagitty =
	    has_ext(path, ".dagitty") ||
	    (!has_ext(path, ".dot") && !has_ext(path, ".gv") && looks_dagitty(path, buf, len));
	rc = dagitty ? wb_graph_parse_dagitty(path, buf, len, out, err)
		     : wb_graph_parse_dot(path, buf, len, out, err);
	free(buf);
	return rc;
}

static int write_dot_cb(FILE *fp, const void *g, wb_err *err)
{
	return wb_graph_write_dot(g, fp, err);
}

static int write_dagitty_cb(FILE *fp, const void *g, wb_err *err)
{
	return wb_graph_write_dagitty(g, fp, err);
}

int wb_graph_save(const wb_graph *g, const char *path, wb_err *err)
{
	if (has_ext(path, ".dot") || has_ext(path, ".gv"))
		return wb_write_atomic(path, write_dot_cb, g, err);
	if (has_ext(path, ".dagitty"))
		return wb_write_atomic(path, write_dagitty_cb, g, err);
	return wb_err_set(err, WB_EINVAL, "%s: unknown graph file type (use .dot, .gv or .dagitty)",
			  path);
}
