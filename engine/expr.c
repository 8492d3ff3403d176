/* expr.c — the expression language of `derive` and `filter`. See expr.h.
 *
 * Two stages. A recursive-descent parser (one function per precedence level, as in Wirth,
 * "Compiler Construction", ch. 5) builds an AST in a node array, checks types (strings only
 * against categorical levels, no arithmetic on categorical codes) and folds constant
 * subtrees. The evaluator then runs the tree node by node over blocks of WB_EXPR_BLOCK rows
 * (the numexpr approach): each node is one tight loop over a block of its children's
 * results, and blocks keep the temporaries in cache. Temporaries come from a stack of block
 * buffers; a node writes into one of its children's buffers when it can, so a chain such as
 * a + b + c + d needs a single buffer. */
#include "expr.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WB_EXPR_BLOCK 4096
#define WB_EXPR_MAX_NEST 256	/* nesting of parentheses, unary operators and calls */
#define WB_EXPR_MAX_HEIGHT 1000 /* height of the tree (the evaluator recurses over it) */

typedef enum {
	N_NUM,	 /* constant k */
	N_STR,	 /* string literal (parse time only: becomes N_LEVEL in a comparison) */
	N_COL,	 /* column reference name, slot */
	N_LEVEL, /* code of level `name` in the categorical column of kid[0]; resolved per eval */
	N_NEG,
	N_NOT,
	N_ADD,
	N_SUB,
	N_MUL,
	N_DIV,
	N_MOD,
	N_POW,
	N_EQ,
	N_NE,
	N_LT,
	N_LE,
	N_GT,
	N_GE,
	N_CATEQ, /* two categorical columns compared by level text */
	N_CATNE,
	N_AND,
	N_OR,
	N_LOG,
	N_EXP,
	N_SQRT,
	N_ABS,
	N_ROUND, /* round(x) or, with kid[1], round(x, digits) */
	N_FLOOR,
	N_CEIL,
	N_MIN, /* min(a, b, c) is parsed as min(min(a, b), c) */
	N_MAX,
	N_IF,
	N_ISNA
} node_op;

typedef struct node {
	node_op op;
	int kid[3];
	int nkid;
	double k;    /* N_NUM */
	char *name;  /* N_COL: column name; N_STR, N_LEVEL: the string */
	int slot;    /* N_COL: index into the per-evaluation column table */
	int catcol;  /* N_COL of a categorical column */
	int logical; /* yields 0/1/missing */
	int height;  /* of the subtree */
	size_t pos;  /* byte offset in the source, for messages */
} node;

struct wb_expr {
	node *nodes;
	int nnodes, cap;
	int root;
	int nslots; /* N_COL nodes */
	int nbufs;  /* temporaries needed by the evaluator */
};

/* ---- functions ---- */

typedef struct fn_info {
	const char *name;
	node_op op;
	int minargs, maxargs; /* maxargs -1: no limit */
} fn_info;

static const fn_info fns[] = {
    {"log", N_LOG, 1, 1},   {"exp", N_EXP, 1, 1},     {"sqrt", N_SQRT, 1, 1},
    {"abs", N_ABS, 1, 1},   {"round", N_ROUND, 1, 2}, {"floor", N_FLOOR, 1, 1},
    {"ceil", N_CEIL, 1, 1}, {"min", N_MIN, 2, -1},    {"max", N_MAX, 2, -1},
    {"if", N_IF, 3, 3},	    {"isna", N_ISNA, 1, 1},
};
#define NFNS (sizeof fns / sizeof fns[0])

/* ---- edit distance, for "did you mean" ---- */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Levenshtein distance, ignoring ASCII case, capped: returns cap + 1 when larger than cap. */
static size_t edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if ((la > lb ? la - lb : lb - la) > cap || lb > 256)
		return cap + 1;
	size_t row[257];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], best = i;
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t sub = diag + (lower((unsigned char)a[i - 1]) !=
					     lower((unsigned char)b[j - 1]));
			size_t v = sub;
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[lb];
}

/* ---- parser ---- */

typedef enum {
	T_END,
	T_NUM,
	T_STR,
	T_IDENT,  /* bare identifier */
	T_QUOTED, /* `back quoted` name */
	T_LP,
	T_RP,
	T_COMMA,
	T_OP,
	T_ASSIGN, /* a lone '=' */
	T_BAD
} tok_kind;

typedef struct token {
	tok_kind kind;
	node_op op;	 /* T_OP, and T_IDENT for and/or/not (N_AND, N_OR, N_NOT) */
	int keyword;	 /* T_IDENT: 1 and/or/not, 2 true, 3 false */
	size_t pos, len; /* source span */
	double num;
	char *text; /* T_STR, T_IDENT, T_QUOTED: the name or string (owned until taken) */
} token;

typedef struct parser {
	const char *src;
	size_t len;
	const wb_frame *f;
	wb_expr *e;
	wb_err *err;
	int failed, code;
	int depth;
	token tok;
	size_t at; /* lexer position */
} parser;

/* 1-based character column of byte offset pos (UTF-8 continuation bytes do not count). */
static size_t char_column(const char *src, size_t pos)
{
	size_t col = 1;
	for (size_t i = 0; i < pos; i++)
		if (((unsigned char)src[i] & 0xC0) != 0x80)
			col++;
	return col;
}

__attribute__((format(printf, 4, 5))) static int fail(parser *p, int code, size_t pos,
						      const char *fmt, ...)
{
	if (p->failed)
		return -1;
	p->failed = 1;
	p->code = code;
	char msg[WB_ERR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	wb_err_set(p->err, code, "expression column %zu: %s", char_column(p->src, pos), msg);
	return -1;
}

static int is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int is_ident_char(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Token text for messages: the source span, at most 24 bytes, cut at a character boundary. */
static const char *tok_text(const parser *p, const token *t, char *buf, size_t size)
{
	if (t->kind == T_END)
		return "the end of the expression";
	size_t n = t->len;
	if (n > 24) {
		n = 24;
		while (n > 0 && ((unsigned char)p->src[t->pos + n] & 0xC0) == 0x80)
			n--;
	}
	snprintf(buf, size, "'%.*s%s'", (int)n, p->src + t->pos, n < t->len ? "..." : "");
	return buf;
}

/* Converts a validated decimal literal without depending on the locale's decimal point. */
static double parse_number(const char *s, size_t n)
{
	char buf[128];
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	double v;
	if (c) {
		v = strtod_l(buf, NULL, c);
		freelocale(c);
	} else {
		v = strtod(buf, NULL);
	}
	return v;
}

static void tok_clear(token *t)
{
	free(t->text);
	t->text = NULL;
}

/* Reads a quoted span starting at p->at (the opening quote q); fills t->text. */
static int lex_quoted(parser *p, token *t, char q)
{
	size_t i = p->at + 1;
	size_t cap = 16, n = 0;
	char *s = malloc(cap);
	if (!s)
		return fail(p, WB_ENOMEM, t->pos, "out of memory");
	for (;;) {
		if (i >= p->len) {
			free(s);
			return fail(p, WB_EPARSE, t->pos,
				    q == '`' ? "unterminated back-quoted name"
					     : "unterminated string");
		}
		char c = p->src[i];
		if (c == q) {
			i++;
			break;
		}
		if (c == '\\' && q != '`' && i + 1 < p->len &&
		    (p->src[i + 1] == q || p->src[i + 1] == '\\'))
			c = p->src[++i];
		if (n + 1 >= cap) {
			char *ns = realloc(s, cap * 2);
			if (!ns) {
				free(s);
				return fail(p, WB_ENOMEM, t->pos, "out of memory");
			}
			s = ns;
			cap *= 2;
		}
		s[n++] = c;
		i++;
	}
	s[n] = '\0';
	t->text = s;
	t->len = i - t->pos;
	p->at = i;
	return 0;
}

static int lex(parser *p)
{
	token *t = &p->tok;
	tok_clear(t);
	memset(t, 0, sizeof *t);
	const char *s = p->src;
	while (p->at < p->len &&
	       (s[p->at] == ' ' || s[p->at] == '\t' || s[p->at] == '\n' || s[p->at] == '\r'))
		p->at++;
	t->pos = p->at;
	if (p->at >= p->len) {
		t->kind = T_END;
		return 0;
	}
	unsigned char c = (unsigned char)s[p->at];
	unsigned char c1 = p->at + 1 < p->len ? (unsigned char)s[p->at + 1] : 0;
	t->len = 1;
	if (is_digit(c) || (c == '.' && is_digit(c1))) {
		size_t i = p->at, digits = 0;
		while (i < p->len && is_digit((unsigned char)s[i]))
			i++, digits++;
		if (i < p->len && s[i] == '.') {
			i++;
			while (i < p->len && is_digit((unsigned char)s[i]))
				i++, digits++;
		}
		int good = digits > 0;
		if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
			size_t j = i + 1, ed = 0;
			if (j < p->len && (s[j] == '+' || s[j] == '-'))
				j++;
			while (j < p->len && is_digit((unsigned char)s[j]))
				j++, ed++;
			if (ed == 0)
				good = 0;
			i = j;
		}
		size_t end = i;
		while (end < p->len && is_ident_char((unsigned char)s[end]))
			end++;
		if (!good || end != i) {
			t->kind = T_NUM;
			t->len = end - p->at;
			char b[64];
			return fail(p, WB_EPARSE, t->pos, "malformed number %s",
				    tok_text(p, t, b, sizeof b));
		}
		t->kind = T_NUM;
		t->len = i - p->at;
		t->num = parse_number(s + p->at, t->len);
		p->at = i;
		return 0;
	}
	if (is_ident_start(c)) {
		size_t i = p->at;
		while (i < p->len && is_ident_char((unsigned char)s[i]))
			i++;
		t->len = i - p->at;
		t->text = malloc(t->len + 1);
		if (!t->text)
			return fail(p, WB_ENOMEM, t->pos, "out of memory");
		memcpy(t->text, s + p->at, t->len);
		t->text[t->len] = '\0';
		t->kind = T_IDENT;
		if (!strcmp(t->text, "and"))
			t->keyword = 1, t->op = N_AND;
		else if (!strcmp(t->text, "or"))
			t->keyword = 1, t->op = N_OR;
		else if (!strcmp(t->text, "not"))
			t->keyword = 1, t->op = N_NOT;
		else if (!strcmp(t->text, "true"))
			t->keyword = 2;
		else if (!strcmp(t->text, "false"))
			t->keyword = 3;
		if (t->keyword == 1)
			t->kind = T_OP;
		p->at = i;
		return 0;
	}
	if (c == '"' || c == '\'') {
		t->kind = T_STR;
		return lex_quoted(p, t, (char)c);
	}
	if (c == '`') {
		t->kind = T_QUOTED;
		return lex_quoted(p, t, '`');
	}
	t->kind = T_OP;
	switch (c) {
	case '(':
		t->kind = T_LP;
		break;
	case ')':
		t->kind = T_RP;
		break;
	case ',':
		t->kind = T_COMMA;
		break;
	case '+':
		t->op = N_ADD;
		break;
	case '-':
		t->op = N_SUB;
		break;
	case '*':
		t->op = N_MUL;
		break;
	case '/':
		t->op = N_DIV;
		break;
	case '%':
		t->op = N_MOD;
		break;
	case '^':
		t->op = N_POW;
		break;
	case '<':
		t->op = c1 == '=' ? N_LE : N_LT;
		break;
	case '>':
		t->op = c1 == '=' ? N_GE : N_GT;
		break;
	case '=':
		if (c1 == '=')
			t->op = N_EQ;
		else
			t->kind = T_ASSIGN;
		break;
	case '!':
		t->op = c1 == '=' ? N_NE : N_NOT;
		break;
	case '&':
		if (c1 != '&')
			return fail(p, WB_EPARSE, t->pos,
				    "unexpected character '&' (use 'and' or '&&')");
		t->op = N_AND;
		break;
	case '|':
		if (c1 != '|')
			return fail(p, WB_EPARSE, t->pos,
				    "unexpected character '|' (use 'or' or '||')");
		t->op = N_OR;
		break;
	default:
		t->kind = T_BAD;
		if (c < 0x20 || c == 0x7f)
			return fail(p, WB_EPARSE, t->pos, "unexpected control character 0x%02x", c);
		return fail(p, WB_EPARSE, t->pos, "unexpected character '%c'", c);
	}
	if (t->kind == T_OP && (t->op == N_LE || t->op == N_GE || t->op == N_EQ ||
				(t->op == N_NE && c == '!') || t->op == N_AND || t->op == N_OR))
		t->len = 2;
	p->at += t->len;
	return 0;
}

/* ---- node construction ---- */

static int new_node(parser *p, node_op op, size_t pos)
{
	wb_expr *e = p->e;
	if (e->nnodes == e->cap) {
		int cap = e->cap ? e->cap * 2 : 16;
		node *nn = realloc(e->nodes, (size_t)cap * sizeof *nn);
		if (!nn)
			return fail(p, WB_ENOMEM, pos, "out of memory");
		e->nodes = nn;
		e->cap = cap;
	}
	node *n = &e->nodes[e->nnodes];
	memset(n, 0, sizeof *n);
	n->op = op;
	n->pos = pos;
	n->height = 1;
	n->kid[0] = n->kid[1] = n->kid[2] = -1;
	return e->nnodes++;
}

static node *N(parser *p, int i)
{
	return &p->e->nodes[i];
}

static int is_comparison(node_op op)
{
	return op >= N_EQ && op <= N_GE;
}

/* A number is needed here: rejects strings and categorical columns. what: "arithmetic" or
 * "logic". */
static int need_number(parser *p, int i, int logic)
{
	node *n = N(p, i);
	if (n->op == N_STR)
		return fail(p, WB_EINVAL, n->pos,
			    "string \"%s\" can only be compared with a categorical column",
			    n->name);
	if (n->op == N_COL && n->catcol) {
		if (logic)
			return fail(p, WB_EINVAL, n->pos,
				    "categorical column '%s' is not true/false: compare it with a "
				    "level, as in `%s` == \"level\"",
				    n->name, n->name);
		return fail(p, WB_EINVAL, n->pos, "arithmetic on categorical column '%s'", n->name);
	}
	return 0;
}

static void eval_node_const(const wb_expr *e, int i, double *out);

/* Makes an operator node over kids, with constant folding when every kid is a constant. */
static int make(parser *p, node_op op, size_t pos, const int *kids, int nkid, int logical)
{
	int i = new_node(p, op, pos);
	if (i < 0)
		return -1;
	node *n = N(p, i);
	int allconst = 1, h = 0;
	for (int k = 0; k < nkid; k++) {
		n->kid[k] = kids[k];
		const node *c = N(p, kids[k]);
		if (c->op != N_NUM)
			allconst = 0;
		if (c->height > h)
			h = c->height;
	}
	n->nkid = nkid;
	n->logical = logical;
	n->height = h + 1;
	if (n->height > WB_EXPR_MAX_HEIGHT)
		return fail(p, WB_EINVAL, pos,
			    "expression too long (more than %d nested operations)",
			    WB_EXPR_MAX_HEIGHT);
	if (allconst) {
		double v;
		eval_node_const(p->e, i, &v);
		n = N(p, i);
		n->op = N_NUM;
		n->k = v;
		n->nkid = 0;
		n->height = 1;
	}
	return i;
}

static const char *level_list(const wb_frame *f, size_t j, char *buf, size_t size)
{
	size_t nl = wb_frame_nlevels(f, j), used = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < nl && k < 5; k++) {
		int w = snprintf(buf + used, size - used, "%s%s", k ? ", " : "",
				 wb_frame_level(f, j, k));
		if (w < 0 || (size_t)w >= size - used)
			return buf;
		used += (size_t)w;
	}
	if (nl > 5)
		snprintf(buf + used, size - used, ", ... %zu in all", nl);
	return buf;
}

/* A comparison l OP r: strings against categorical levels, categorical against categorical by
 * level text, anything else by value (categorical columns by code). */
static int make_compare(parser *p, node_op op, size_t pos, int l, int r)
{
	const node *a = N(p, l), *b = N(p, r);
	if (a->op == N_STR && b->op == N_STR)
		return need_number(p, l, 0);
	if (b->op == N_STR || a->op == N_STR) {
		if (a->op == N_STR) { /* "Music" == col: turn around */
			int t = l;
			l = r;
			r = t;
			a = N(p, l);
			b = N(p, r);
			if (op == N_LT)
				op = N_GT;
			else if (op == N_GT)
				op = N_LT;
			else if (op == N_LE)
				op = N_GE;
			else if (op == N_GE)
				op = N_LE;
		}
		if (!(a->op == N_COL && a->catcol)) {
			if (a->op == N_COL) {
				long j = wb_frame_col_index(p->f, a->name);
				return fail(
				    p, WB_EINVAL, b->pos,
				    "cannot compare string \"%s\" with %s column '%s'", b->name,
				    wb_col_kind_name(wb_frame_col_kind(p->f, (size_t)j)), a->name);
			}
			return fail(p, WB_EINVAL, b->pos,
				    "cannot compare string \"%s\" with a number", b->name);
		}
		if (op != N_EQ && op != N_NE)
			return fail(p, WB_EINVAL, pos,
				    "levels of categorical column '%s' have no order: use == or !=",
				    a->name);
		long j = wb_frame_col_index(p->f, a->name);
		if (wb_frame_level_index(p->f, (size_t)j, b->name) < 0) {
			char lv[300];
			return fail(p, WB_EINVAL, b->pos,
				    "level \"%s\" not in column '%s' (levels: %s)", b->name,
				    a->name, level_list(p->f, (size_t)j, lv, sizeof lv));
		}
		/* The string node becomes the level lookup; it keeps its text. */
		node *s = N(p, r);
		s->op = N_LEVEL;
		s->kid[0] = l;
		s->nkid = 0; /* not evaluated as a child: resolved against kid[0]'s column */
		int kids[2] = {l, r};
		return make(p, op, pos, kids, 2, 1);
	}
	if (a->op == N_COL && a->catcol && b->op == N_COL && b->catcol) {
		if (op != N_EQ && op != N_NE)
			return fail(p, WB_EINVAL, pos,
				    "levels of categorical column '%s' have no order: use == or !=",
				    a->name);
		int kids[2] = {l, r};
		return make(p, op == N_EQ ? N_CATEQ : N_CATNE, pos, kids, 2, 1);
	}
	/* Categorical against a number: by code. */
	int kids[2] = {l, r};
	return make(p, op, pos, kids, 2, 1);
}

static int parse_or(parser *p);

static int expect_operand_error(parser *p)
{
	char b[64];
	if (p->tok.kind == T_RP)
		return fail(p, WB_EPARSE, p->tok.pos, "unmatched ')'");
	if (p->tok.kind == T_ASSIGN)
		return fail(p, WB_EPARSE, p->tok.pos, "'=' is not an operator: compare with '=='");
	return fail(p, WB_EPARSE, p->tok.pos, "expected a value, found %s",
		    tok_text(p, &p->tok, b, sizeof b));
}

static int enter(parser *p)
{
	if (++p->depth > WB_EXPR_MAX_NEST)
		return fail(p, WB_EINVAL, p->tok.pos,
			    "expression nested too deeply (more than %d levels)", WB_EXPR_MAX_NEST);
	return 0;
}

static const fn_info *find_fn(const char *name)
{
	for (size_t i = 0; i < NFNS; i++)
		if (!strcmp(fns[i].name, name))
			return &fns[i];
	return NULL;
}

static int unknown_function(parser *p, const char *name, size_t pos)
{
	const char *best = NULL;
	size_t bd = 3;
	for (size_t i = 0; i < NFNS; i++) {
		size_t d = edit_distance(name, fns[i].name, 2);
		if (d < bd)
			bd = d, best = fns[i].name;
	}
	if (best)
		return fail(p, WB_ENOTFOUND, pos, "unknown function '%s' (did you mean '%s'?)",
			    name, best);
	char list[200];
	size_t used = 0;
	for (size_t i = 0; i < NFNS; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
					 fns[i].name);
	return fail(p, WB_ENOTFOUND, pos, "unknown function '%s' (functions: %s)", name, list);
}

static int unknown_column(parser *p, const char *name, size_t pos)
{
	const char *best = NULL;
	size_t bd = 3;
	for (size_t j = 0; j < wb_frame_ncols(p->f); j++) {
		const char *c = wb_frame_colname(p->f, j);
		size_t d = edit_distance(name, c, 2);
		if (d < bd)
			bd = d, best = c;
	}
	if (best)
		return fail(p, WB_ENOTFOUND, pos, "unknown column '%s' (did you mean '%s'?)", name,
			    best);
	return fail(p, WB_ENOTFOUND, pos, "unknown column '%s'", name);
}

static int parse_call(parser *p, char *name, size_t pos)
{
	const fn_info *fn = find_fn(name);
	if (!fn) {
		unknown_function(p, name, pos);
		free(name);
		return -1;
	}
	free(name);
	size_t lp = p->tok.pos;
	if (lex(p) < 0)
		return -1;
	int args[64], nargs = 0, folded = -1;
	if (p->tok.kind != T_RP) {
		for (;;) {
			int a = parse_or(p);
			if (a < 0)
				return -1;
			if (fn->op == N_MIN || fn->op == N_MAX) {
				/* min(a, b, c) = min(min(a, b), c): no limit on arguments. */
				if (need_number(p, a, 0) < 0)
					return -1;
				if (folded < 0) {
					folded = a;
				} else {
					int kids[2] = {folded, a};
					folded = make(p, fn->op, pos, kids, 2, 0);
					if (folded < 0)
						return -1;
				}
				nargs++;
			} else if (nargs < 64) {
				args[nargs++] = a;
			} else {
				nargs++;
			}
			if (p->tok.kind == T_COMMA) {
				if (lex(p) < 0)
					return -1;
				continue;
			}
			if (p->tok.kind == T_RP)
				break;
			char b[64];
			if (p->tok.kind == T_END)
				return fail(p, WB_EPARSE, p->tok.pos,
					    "missing ')' to close '(' at column %zu",
					    char_column(p->src, lp));
			return fail(p, WB_EPARSE, p->tok.pos,
				    "expected ',' or ')' in the arguments of %s(), found %s",
				    fn->name, tok_text(p, &p->tok, b, sizeof b));
		}
	}
	if (nargs < fn->minargs || (fn->maxargs >= 0 && nargs > fn->maxargs)) {
		if (fn->maxargs < 0)
			return fail(p, WB_EINVAL, pos, "%s() takes at least %d arguments, got %d",
				    fn->name, fn->minargs, nargs);
		if (fn->minargs != fn->maxargs)
			return fail(p, WB_EINVAL, pos, "%s() takes %d or %d arguments, got %d",
				    fn->name, fn->minargs, fn->maxargs, nargs);
		return fail(p, WB_EINVAL, pos, "%s() takes %d argument%s, got %d", fn->name,
			    fn->minargs, fn->minargs == 1 ? "" : "s", nargs);
	}
	if (lex(p) < 0) /* past ')' */
		return -1;
	if (fn->op == N_MIN || fn->op == N_MAX)
		return folded;
	if (fn->op == N_ISNA) {
		if (N(p, args[0])->op == N_STR)
			return need_number(p, args[0], 0);
		return make(p, N_ISNA, pos, args, 1, 1);
	}
	if (fn->op == N_IF) {
		for (int k = 0; k < 3; k++)
			if (need_number(p, args[k], k == 0) < 0)
				return -1;
		int logical = N(p, args[1])->logical && N(p, args[2])->logical;
		return make(p, N_IF, pos, args, 3, logical);
	}
	for (int k = 0; k < nargs; k++)
		if (need_number(p, args[k], 0) < 0)
			return -1;
	return make(p, fn->op, pos, args, nargs, 0);
}

static int parse_primary(parser *p)
{
	token *t = &p->tok;
	int i;
	switch (t->kind) {
	case T_NUM:
		i = new_node(p, N_NUM, t->pos);
		if (i < 0)
			return -1;
		N(p, i)->k = t->num;
		return lex(p) < 0 ? -1 : i;
	case T_STR:
		i = new_node(p, N_STR, t->pos);
		if (i < 0)
			return -1;
		N(p, i)->name = t->text;
		t->text = NULL;
		return lex(p) < 0 ? -1 : i;
	case T_LP: {
		size_t lp = t->pos;
		if (enter(p) < 0 || lex(p) < 0)
			return -1;
		i = parse_or(p);
		if (i < 0)
			return -1;
		p->depth--;
		if (t->kind != T_RP) {
			char b[64];
			if (t->kind == T_END)
				return fail(p, WB_EPARSE, t->pos,
					    "missing ')' to close '(' at column %zu",
					    char_column(p->src, lp));
			return fail(p, WB_EPARSE, t->pos,
				    "expected ')' to close '(' at column %zu, found %s",
				    char_column(p->src, lp), tok_text(p, t, b, sizeof b));
		}
		return lex(p) < 0 ? -1 : i;
	}
	case T_IDENT:
	case T_QUOTED: {
		size_t pos = t->pos;
		int quoted = t->kind == T_QUOTED;
		if (!quoted && (t->keyword == 2 || t->keyword == 3)) {
			i = new_node(p, N_NUM, pos);
			if (i < 0)
				return -1;
			N(p, i)->k = t->keyword == 2;
			N(p, i)->logical = 1;
			return lex(p) < 0 ? -1 : i;
		}
		char *name = t->text;
		t->text = NULL;
		if (lex(p) < 0) {
			free(name);
			return -1;
		}
		if (!quoted && t->kind == T_LP) {
			if (enter(p) < 0) {
				free(name);
				return -1;
			}
			i = parse_call(p, name, pos);
			p->depth--;
			return i;
		}
		long j = wb_frame_col_index(p->f, name);
		if (j < 0) {
			unknown_column(p, name, pos);
			free(name);
			return -1;
		}
		i = new_node(p, N_COL, pos);
		if (i < 0) {
			free(name);
			return -1;
		}
		node *n = N(p, i);
		n->name = name;
		n->slot = p->e->nslots++;
		n->catcol = wb_frame_col_kind(p->f, (size_t)j) == WB_COL_CATEGORICAL;
		n->logical = wb_frame_col_kind(p->f, (size_t)j) == WB_COL_BINARY;
		return i;
	}
	default:
		return expect_operand_error(p);
	}
}

/* pow: primary [ '^' unary ] — right-associative, and the exponent may carry a sign. */
static int parse_unary(parser *p);

static int parse_pow(parser *p)
{
	int l = parse_primary(p);
	if (l < 0)
		return -1;
	if (p->tok.kind == T_OP && p->tok.op == N_POW) {
		size_t pos = p->tok.pos;
		if (enter(p) < 0 || lex(p) < 0)
			return -1;
		int r = parse_unary(p);
		if (r < 0)
			return -1;
		p->depth--;
		if (need_number(p, l, 0) < 0 || need_number(p, r, 0) < 0)
			return -1;
		int kids[2] = {l, r};
		return make(p, N_POW, pos, kids, 2, 0);
	}
	return l;
}

static int parse_unary(parser *p)
{
	if (p->tok.kind == T_OP && (p->tok.op == N_SUB || p->tok.op == N_ADD)) {
		size_t pos = p->tok.pos;
		int neg = p->tok.op == N_SUB;
		if (enter(p) < 0 || lex(p) < 0)
			return -1;
		int k = parse_unary(p);
		if (k < 0)
			return -1;
		p->depth--;
		if (need_number(p, k, 0) < 0)
			return -1;
		return neg ? make(p, N_NEG, pos, &k, 1, 0) : k;
	}
	return parse_pow(p);
}

static int parse_binary_level(parser *p, int level);

/* Levels of the left-associative binary operators, lowest first. */
static int level_has(int level, const token *t)
{
	if (t->kind != T_OP)
		return 0;
	switch (level) {
	case 0:
		return t->op == N_OR;
	case 1:
		return t->op == N_AND;
	case 3:
		return t->op == N_ADD || t->op == N_SUB;
	case 4:
		return t->op == N_MUL || t->op == N_DIV || t->op == N_MOD;
	}
	return 0;
}

static int parse_not(parser *p)
{
	if (p->tok.kind == T_OP && p->tok.op == N_NOT) {
		size_t pos = p->tok.pos;
		if (enter(p) < 0 || lex(p) < 0)
			return -1;
		int k = parse_not(p);
		if (k < 0)
			return -1;
		p->depth--;
		if (need_number(p, k, 1) < 0)
			return -1;
		return make(p, N_NOT, pos, &k, 1, 1);
	}
	return parse_binary_level(p, 2);
}

/* Comparisons do not chain: `a < b < c` is an error (write `a < b and b < c`). */
static int parse_compare(parser *p)
{
	int l = parse_binary_level(p, 3);
	if (l < 0)
		return -1;
	if (p->tok.kind == T_OP && is_comparison(p->tok.op)) {
		node_op op = p->tok.op;
		size_t pos = p->tok.pos;
		if (lex(p) < 0)
			return -1;
		int r = parse_binary_level(p, 3);
		if (r < 0)
			return -1;
		if (p->tok.kind == T_OP && is_comparison(p->tok.op))
			return fail(p, WB_EPARSE, p->tok.pos,
				    "comparisons do not chain: write 'a < b and b < c'");
		return make_compare(p, op, pos, l, r);
	}
	if (p->tok.kind == T_ASSIGN)
		return fail(p, WB_EPARSE, p->tok.pos, "'=' is not an operator: compare with '=='");
	return l;
}

static int parse_binary_level(parser *p, int level)
{
	if (level == 2)
		return parse_compare(p);
	if (level == 5)
		return parse_unary(p);
	int l = level == 1 ? parse_not(p) : parse_binary_level(p, level + 1);
	if (l < 0)
		return -1;
	while (level_has(level, &p->tok)) {
		node_op op = p->tok.op;
		size_t pos = p->tok.pos;
		if (lex(p) < 0)
			return -1;
		int r = level == 1 ? parse_not(p) : parse_binary_level(p, level + 1);
		if (r < 0)
			return -1;
		int logic = level <= 1;
		if (need_number(p, l, logic) < 0 || need_number(p, r, logic) < 0)
			return -1;
		int kids[2] = {l, r};
		l = make(p, op, pos, kids, 2, logic);
		if (l < 0)
			return -1;
	}
	return l;
}

static int parse_or(parser *p)
{
	return parse_binary_level(p, 0);
}

static int is_leaf(const node *n)
{
	return n->op == N_NUM || n->op == N_COL || n->op == N_LEVEL;
}

/* Temporaries the evaluator needs for node i (a Sethi–Ullman count): kid k is evaluated while
 * the buffers of the earlier non-leaf kids are held, and the node writes its result into a
 * kid's buffer, or into a new one when every kid is a leaf. */
static int buffers_needed(const wb_expr *e, int i)
{
	const node *n = &e->nodes[i];
	if (is_leaf(n))
		return 0;
	int need = 1, held = 0;
	for (int k = 0; k < n->nkid; k++) {
		const node *kid = &e->nodes[n->kid[k]];
		int b = held + buffers_needed(e, n->kid[k]);
		if (b > need)
			need = b;
		if (!is_leaf(kid))
			held++;
	}
	return need;
}

int wb_expr_parse(const char *text, const wb_frame *f, wb_expr **out, wb_err *err)
{
	*out = NULL;
	if (!text || !f)
		return wb_err_set(err, WB_EINVAL, "expression: no text or no data");
	wb_expr *e = calloc(1, sizeof *e);
	if (!e)
		return wb_err_set(err, WB_ENOMEM, "expression: out of memory");
	parser p = {.src = text, .len = strlen(text), .f = f, .e = e, .err = err};
	int root = -1;
	if (lex(&p) == 0) {
		if (p.tok.kind == T_END) {
			fail(&p, WB_EPARSE, 0, "empty expression");
		} else {
			root = parse_or(&p);
			if (root >= 0 && N(&p, root)->op == N_STR)
				root = need_number(&p, root, 0);
			if (root >= 0 && p.tok.kind != T_END) {
				char b[64];
				if (p.tok.kind == T_RP)
					fail(&p, WB_EPARSE, p.tok.pos, "unmatched ')'");
				else
					fail(&p, WB_EPARSE, p.tok.pos,
					     "unexpected %s after a complete expression",
					     tok_text(&p, &p.tok, b, sizeof b));
			}
		}
	}
	tok_clear(&p.tok);
	if (p.failed || root < 0) {
		wb_expr_free(e);
		return p.code < 0 ? p.code : WB_EPARSE;
	}
	e->root = root;
	e->nbufs = buffers_needed(e, root);
	*out = e;
	return 0;
}

void wb_expr_free(wb_expr *e)
{
	if (!e)
		return;
	for (int i = 0; i < e->nnodes; i++)
		free(e->nodes[i].name);
	free(e->nodes);
	free(e);
}

int wb_expr_is_logical(const wb_expr *e)
{
	return e ? e->nodes[e->root].logical : 0;
}

/* ---- evaluation ---- */

/* A node's value over one block: a constant, or len values at p (a frame column or one of
 * the evaluator's buffers; own is the buffer's index on the stack, or -1). */
typedef struct val {
	const double *p;
	double k;
	int scalar;
	int own;
} val;

typedef struct evalctx {
	const wb_expr *e;
	const double **cols; /* per slot */
	double *level;	     /* per node: level code (N_LEVEL) */
	int **catmap;	     /* per node (N_CATEQ/N_CATNE): codes of kid[1] -> codes of kid[0] */
	double *bufs;	     /* nbufs * WB_EXPR_BLOCK */
	int nbufs, top;
	size_t off, len;
} evalctx;

static double *buf_at(evalctx *c, int b)
{
	return c->bufs + (size_t)b * WB_EXPR_BLOCK;
}

#define GET(v, i) ((v).scalar ? (v).k : (v).p[i])

/* Loops for a binary operation written in a and b, specialised for constant operands. */
#define BINLOOP(A, B, OUT, LEN, EXPR)                                                              \
	do {                                                                                       \
		if (!(A).scalar && !(B).scalar) {                                                  \
			for (size_t i_ = 0; i_ < (LEN); i_++) {                                    \
				double a = (A).p[i_], b = (B).p[i_];                               \
				(OUT)[i_] = (EXPR);                                                \
			}                                                                          \
		} else if ((B).scalar) {                                                           \
			double b = (B).k;                                                          \
			for (size_t i_ = 0; i_ < (LEN); i_++) {                                    \
				double a = (A).p[i_];                                              \
				(OUT)[i_] = (EXPR);                                                \
			}                                                                          \
		} else {                                                                           \
			double a = (A).k;                                                          \
			for (size_t i_ = 0; i_ < (LEN); i_++) {                                    \
				double b = (B).p[i_];                                              \
				(OUT)[i_] = (EXPR);                                                \
			}                                                                          \
		}                                                                                  \
	} while (0)

#define UNLOOP(A, OUT, LEN, EXPR)                                                                  \
	do {                                                                                       \
		if ((A).scalar) {                                                                  \
			double a = (A).k, r_ = (EXPR);                                             \
			for (size_t i_ = 0; i_ < (LEN); i_++)                                      \
				(OUT)[i_] = r_;                                                    \
		} else {                                                                           \
			for (size_t i_ = 0; i_ < (LEN); i_++) {                                    \
				double a = (A).p[i_];                                              \
				(OUT)[i_] = (EXPR);                                                \
			}                                                                          \
		}                                                                                  \
	} while (0)

/* Floored modulo (the sign of the divisor, as R's %% and Python's %); x % 0 is missing. */
static double fmod_floor(double a, double b)
{
	if (b == 0)
		return NAN;
	double r = fmod(a, b);
	if (r != 0 && ((r < 0) != (b < 0)))
		r += b;
	return r;
}

/* round(x, d): half away from zero at d decimal digits (d rounded to an integer). */
static double round_digits(double x, double d)
{
	if (isnan(x) || isnan(d))
		return NAN;
	double s = pow(10, round(d));
	if (s == 0 || isinf(s))
		return s == 0 ? 0 : x;
	return round(x * s) / s;
}

static double missing_pow(double a, double b)
{
	return isnan(a) || isnan(b) ? NAN : pow(a, b);
}

/* Written with | rather than || so that the loops compile to selects, not branches. */
#define MISS2(a, b) (isnan(a) | isnan(b))
/* Truth of a value for and/or/not/if: nonzero is true; NaN stays missing. */
#define TRUE_(x) (((x) != 0) & !isnan(x))
#define FALSE_(x) ((x) == 0)

/* Applies node n's operation to its kids' values a (nkid of them) over len rows into out.
 * out may alias any kid's values. */
static void apply(const node *n, const val *kv, size_t len, double *out, const evalctx *c, int self)
{
	const val A = kv[0];
	const val B = n->nkid > 1 ? kv[1] : kv[0];
	switch (n->op) {
	case N_NUM:
	case N_STR:
	case N_COL:
	case N_LEVEL:
		break;
	case N_NEG:
		UNLOOP(A, out, len, -a);
		break;
	case N_NOT:
		UNLOOP(A, out, len, isnan(a) ? NAN : (double)(a == 0));
		break;
	case N_ADD:
		BINLOOP(A, B, out, len, a + b);
		break;
	case N_SUB:
		BINLOOP(A, B, out, len, a - b);
		break;
	case N_MUL:
		BINLOOP(A, B, out, len, a * b);
		break;
	case N_DIV:
		BINLOOP(A, B, out, len, a / b);
		break;
	case N_MOD:
		BINLOOP(A, B, out, len, fmod_floor(a, b));
		break;
	case N_POW:
		BINLOOP(A, B, out, len, missing_pow(a, b));
		break;
	case N_EQ:
		BINLOOP(A, B, out, len, MISS2(a, b) ? NAN : (double)(a == b));
		break;
	case N_NE:
		BINLOOP(A, B, out, len, MISS2(a, b) ? NAN : (double)(a != b));
		break;
	case N_LT:
		BINLOOP(A, B, out, len, MISS2(a, b) ? NAN : (double)(a < b));
		break;
	case N_LE:
		BINLOOP(A, B, out, len, MISS2(a, b) ? NAN : (double)(a <= b));
		break;
	case N_GT:
		BINLOOP(A, B, out, len, MISS2(a, b) ? NAN : (double)(a > b));
		break;
	case N_GE:
		BINLOOP(A, B, out, len, MISS2(a, b) ? NAN : (double)(a >= b));
		break;
	case N_CATEQ:
	case N_CATNE: {
		/* Level text equality through the code map (-1: level absent from kid[0]). */
		const int *map = c ? c->catmap[self] : NULL;
		size_t nmap = map ? (size_t)map[0] : 0;
		int ne = n->op == N_CATNE;
		for (size_t i = 0; i < len; i++) {
			double x = GET(A, i), y = GET(B, i);
			if (isnan(x) || isnan(y)) {
				out[i] = NAN;
				continue;
			}
			int eq = 0;
			if (y >= 0 && y < (double)nmap)
				eq = map[1 + (size_t)y] >= 0 && (double)map[1 + (size_t)y] == x;
			out[i] = eq != ne;
		}
		break;
	}
	/* Kleene three-valued logic: false and NA = false, true or NA = true. */
	case N_AND:
		BINLOOP(A, B, out, len, (FALSE_(a) | FALSE_(b)) ? 0.0 : (MISS2(a, b) ? NAN : 1.0));
		break;
	case N_OR:
		BINLOOP(A, B, out, len, (TRUE_(a) | TRUE_(b)) ? 1.0 : (MISS2(a, b) ? NAN : 0.0));
		break;
	case N_LOG:
		UNLOOP(A, out, len, log(a));
		break;
	case N_EXP:
		UNLOOP(A, out, len, exp(a));
		break;
	case N_SQRT:
		UNLOOP(A, out, len, sqrt(a));
		break;
	case N_ABS:
		UNLOOP(A, out, len, fabs(a));
		break;
	case N_ROUND:
		if (n->nkid == 2)
			BINLOOP(A, B, out, len, round_digits(a, b));
		else
			UNLOOP(A, out, len, round(a));
		break;
	case N_FLOOR:
		UNLOOP(A, out, len, floor(a));
		break;
	case N_CEIL:
		UNLOOP(A, out, len, ceil(a));
		break;
	case N_MIN:
		BINLOOP(A, B, out, len, MISS2(a, b) ? NAN : (a < b ? a : b));
		break;
	case N_MAX:
		BINLOOP(A, B, out, len, MISS2(a, b) ? NAN : (a > b ? a : b));
		break;
	case N_IF: {
		const val C = kv[2];
		for (size_t i = 0; i < len; i++) {
			double cond = GET(A, i);
			out[i] = isnan(cond) ? NAN : cond != 0 ? GET(B, i) : GET(C, i);
		}
		break;
	}
	case N_ISNA:
		UNLOOP(A, out, len, (double)isnan(a));
		break;
	}
}

/* Folds node i, whose kids are all constants, to one value. */
static void eval_node_const(const wb_expr *e, int i, double *out)
{
	const node *n = &e->nodes[i];
	val a[3];
	for (int k = 0; k < n->nkid; k++) {
		a[k].scalar = 0;
		a[k].p = &e->nodes[n->kid[k]].k;
		a[k].own = -1;
	}
	apply(n, a, 1, out, NULL, i);
}

static int eval_block(evalctx *c, int i, val *v)
{
	const node *n = &c->e->nodes[i];
	v->own = -1;
	v->scalar = 0;
	switch (n->op) {
	case N_NUM:
		v->scalar = 1;
		v->k = n->k;
		return 0;
	case N_LEVEL:
		v->scalar = 1;
		v->k = c->level[i];
		return 0;
	case N_COL:
		v->p = c->cols[n->slot] + c->off;
		return 0;
	default:
		break;
	}
	val a[3];
	int nk = n->nkid;
	for (int k = 0; k < nk; k++)
		if (eval_block(c, n->kid[k], &a[k]) < 0)
			return -1;
	/* Output into the lowest buffer owned by a kid (the others sit above it on the stack),
	 * else a fresh one. */
	int dst = -1;
	for (int k = 0; k < nk; k++)
		if (a[k].own >= 0 && (dst < 0 || a[k].own < dst))
			dst = a[k].own;
	if (dst < 0)
		dst = c->top++;
	if (dst >= c->nbufs) /* cannot happen if buffers_needed is right */
		return -1;
	double *out = buf_at(c, dst);
	apply(n, a, c->len, out, c, i);
	c->top = dst + 1;
	v->p = out;
	v->own = dst;
	return 0;
}

/* Points every column slot at f's data and resolves level codes; errors if f lacks a column. */
static int bind(const wb_expr *e, const wb_frame *f, evalctx *c, wb_err *err)
{
	for (int i = 0; i < e->nnodes; i++) {
		const node *n = &e->nodes[i];
		if (n->op == N_COL) {
			long j = wb_frame_col_index(f, n->name);
			if (j < 0)
				return wb_err_set(err, WB_ENOTFOUND,
						  "expression: column '%s' is not in the data",
						  n->name);
			int cat = wb_frame_col_kind(f, (size_t)j) == WB_COL_CATEGORICAL;
			if (cat != n->catcol)
				return wb_err_set(
				    err, WB_EINVAL,
				    "expression: column '%s' changed kind since parsing", n->name);
			c->cols[n->slot] = wb_frame_col(f, (size_t)j);
		}
	}
	for (int i = 0; i < e->nnodes; i++) {
		const node *n = &e->nodes[i];
		if (n->op == N_LEVEL) {
			const char *col = e->nodes[n->kid[0]].name;
			long j = wb_frame_col_index(f, col);
			long code = wb_frame_level_index(f, (size_t)j, n->name);
			if (code < 0)
				return wb_err_set(err, WB_EINVAL,
						  "expression: level \"%s\" not in column '%s'",
						  n->name, col);
			c->level[i] = (double)code;
		} else if (n->op == N_CATEQ || n->op == N_CATNE) {
			size_t ja = (size_t)wb_frame_col_index(f, e->nodes[n->kid[0]].name);
			size_t jb = (size_t)wb_frame_col_index(f, e->nodes[n->kid[1]].name);
			size_t nb = wb_frame_nlevels(f, jb);
			int *map = malloc((nb + 1) * sizeof *map);
			if (!map)
				return wb_err_set(err, WB_ENOMEM, "expression: out of memory");
			map[0] = (int)nb;
			for (size_t k = 0; k < nb; k++)
				map[1 + k] =
				    (int)wb_frame_level_index(f, ja, wb_frame_level(f, jb, k));
			c->catmap[i] = map;
		}
	}
	return 0;
}

int wb_expr_eval(const wb_expr *e, const wb_frame *f, double *out, wb_err *err)
{
	if (!e || !f || !out)
		return wb_err_set(err, WB_EINVAL, "expression: nothing to evaluate");
	size_t nrows = wb_frame_nrows(f);
	evalctx c = {.e = e};
	int rc = WB_ENOMEM;
	c.cols = calloc((size_t)e->nslots + 1, sizeof *c.cols);
	c.level = calloc((size_t)e->nnodes, sizeof *c.level);
	c.catmap = calloc((size_t)e->nnodes, sizeof *c.catmap);
	c.nbufs = e->nbufs + 1;
	c.bufs = malloc((size_t)c.nbufs * WB_EXPR_BLOCK * sizeof *c.bufs);
	if (!c.cols || !c.level || !c.catmap || !c.bufs) {
		wb_err_set(err, WB_ENOMEM, "expression: out of memory");
		goto done;
	}
	rc = bind(e, f, &c, err);
	if (rc < 0)
		goto done;
	for (size_t off = 0; off < nrows; off += WB_EXPR_BLOCK) {
		c.off = off;
		c.len = nrows - off < WB_EXPR_BLOCK ? nrows - off : WB_EXPR_BLOCK;
		c.top = 0;
		val v;
		if (eval_block(&c, e->root, &v) < 0) {
			rc = wb_err_set(err, WB_EINVAL, "expression: internal error (buffers)");
			goto done;
		}
		if (v.scalar) {
			for (size_t i = 0; i < c.len; i++)
				out[off + i] = v.k;
		} else {
			memcpy(out + off, v.p, c.len * sizeof *out);
		}
	}
	rc = 0;
done:
	if (c.catmap)
		for (int i = 0; i < e->nnodes; i++)
			free(c.catmap[i]);
	free(c.catmap);
	free(c.level);
	free(c.cols);
	free(c.bufs);
	return rc;
}
