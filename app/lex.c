/* lex.c — see lex.h. */
#include "lex.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct buf {
	char *s;
	size_t n, cap;
} buf;

static int buf_put(buf *b, char c)
{
	if (b->n + 2 > b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		char *s = realloc(b->s, cap);
		if (!s)
			return WB_ENOMEM;
		b->s = s;
		b->cap = cap;
	}
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
	return 0;
}

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Scans past a quoted part starting at s[i] (a quote char); returns the index after the
 * closing quote, or (size_t)-1 if unterminated. */
static size_t skip_quoted(const char *s, size_t i)
{
	char q = s[i++];
	for (; s[i]; i++) {
		if (q == '"' && s[i] == '\\' && s[i + 1])
			i++;
		else if (s[i] == q)
			return i + 1;
	}
	return (size_t)-1;
}

static const char *quote_name(char q)
{
	return q == '"' ? "\"-quoted string" : q == '\'' ? "'-quoted string" : "`-quoted name";
}

size_t wb_lex_command_start(const char *line, size_t end)
{
	size_t start = 0;
	for (size_t i = 0; i < end && line[i];) {
		if (line[i] == '"' || line[i] == '\'' || line[i] == '`') {
			size_t j = skip_quoted(line, i);
			if (j == (size_t)-1 || j > end)
				return start;
			i = j;
		} else {
			if (line[i] == ';')
				start = i + 1;
			i++;
		}
	}
	return start;
}

static int is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_ident(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.';
}

static const char *edge_ops[] = {"<->", "->", "--"};

/* If s (an unquoted word) is exactly an edge operator, returns it. */
static const char *edge_op(const char *s)
{
	for (size_t k = 0; k < 3; k++)
		if (strcmp(s, edge_ops[k]) == 0)
			return edge_ops[k];
	return NULL;
}

static int push_token(wb_command_text *c, wb_token t)
{
	wb_token *tk = realloc(c->tokens, (c->ntokens + 1) * sizeof *tk);
	if (!tk)
		return WB_ENOMEM;
	c->tokens = tk;
	tk[c->ntokens++] = t;
	return 0;
}

/* A plain word "A->B": split into A, ->, B when both sides are names. */
static int push_word(wb_command_text *c, char *w, int quoted, size_t pos)
{
	if (!quoted) {
		const char *op = edge_op(w);
		if (op) {
			free(w);
			return push_token(c, (wb_token){WB_TOK_EDGE, dupn(op, strlen(op)), NULL, 0, pos});
		}
		for (size_t k = 0; k < 3; k++) {
			char *at = strstr(w, edge_ops[k]);
			if (at && at > w && at[strlen(edge_ops[k])] && !(k == 1 && at[-1] == '<')) {
				size_t left = (size_t)(at - w), oplen = strlen(edge_ops[k]);
				char *a = dupn(w, left), *b = dupn(at + oplen, strlen(at + oplen));
				char *o = dupn(edge_ops[k], oplen);
				free(w);
				if (!a || !b || !o) {
					free(a);
					free(b);
					free(o);
					return WB_ENOMEM;
				}
				int rc = push_token(c, (wb_token){WB_TOK_WORD, a, NULL, 0, pos});
				if (!rc)
					rc = push_token(c, (wb_token){WB_TOK_EDGE, o, NULL, 0, pos + left});
				if (!rc)
					rc = push_word(c, b, 0, pos + left + oplen);
				return rc;
			}
		}
	}
	return push_token(c, (wb_token){WB_TOK_WORD, w, NULL, quoted, pos});
}

/* Tokenises one command's text. */
static int tokenize(wb_command_text *c, size_t base, wb_err *err)
{
	const char *s = c->text;
	size_t i = 0;
	while (s[i]) {
		while (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
			i++;
		if (!s[i])
			break;
		size_t start = i;
		buf word = {0};
		int quoted = 0;
		long eq = -1; /* position of '=' in the unquoted prefix, if an identifier precedes */
		while (s[i] && !(s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) {
			if (s[i] == '"' || s[i] == '\'') {
				char q = s[i++];
				quoted = 1;
				while (s[i] && s[i] != q) {
					if (q == '"' && s[i] == '\\' && s[i + 1])
						i++;
					if (buf_put(&word, s[i++]))
						goto nomem;
				}
				if (!s[i]) {
					free(word.s);
					return wb_err_set(err, WB_EPARSE, "column %zu: unterminated %s",
							  base + start + 1, quote_name(q));
				}
				i++;
			} else if (s[i] == '`') {
				size_t j = skip_quoted(s, i);
				if (j == (size_t)-1) {
					free(word.s);
					return wb_err_set(err, WB_EPARSE, "column %zu: unterminated %s",
							  base + i + 1, quote_name('`'));
				}
				for (; i < j; i++)
					if (buf_put(&word, s[i]))
						goto nomem;
			} else {
				if (s[i] == '=' && eq < 0 && !quoted && word.n > 0 &&
				    is_ident_start((unsigned char)word.s[0])) {
					int ident = 1;
					for (size_t k = 0; k < word.n; k++)
						ident &= is_ident((unsigned char)word.s[k]);
					if (ident)
						eq = (long)word.n;
				}
				if (buf_put(&word, s[i++]))
					goto nomem;
			}
		}
		if (!word.s && buf_put(&word, '\0') == 0)
			word.n = 0;
		if (!word.s)
			goto nomem;
		int rc;
		if (eq > 0) {
			char *key = dupn(word.s, (size_t)eq);
			char *val = dupn(word.s + eq + 1, word.n - (size_t)eq - 1);
			free(word.s);
			if (!key || !val) {
				free(key);
				free(val);
				return WB_ENOMEM;
			}
			rc = push_token(c, (wb_token){WB_TOK_OPTION, key, val, 0, start});
		} else {
			rc = push_word(c, word.s, quoted, start);
		}
		if (rc)
			return wb_err_set(err, rc, "out of memory");
		continue;
	nomem:
		free(word.s);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	return 0;
}

void wb_lex_free(wb_command_text *cmds, size_t ncmds)
{
	for (size_t i = 0; i < ncmds; i++) {
		for (size_t k = 0; k < cmds[i].ntokens; k++) {
			free(cmds[i].tokens[k].text);
			free(cmds[i].tokens[k].value);
		}
		free(cmds[i].tokens);
		free(cmds[i].text);
	}
	free(cmds);
}

int wb_lex_line(const char *line, wb_command_text **out, size_t *nout, wb_err *err)
{
	wb_command_text *cmds = NULL;
	size_t n = 0;
	size_t i = 0, start = 0;
	int rc = 0;
	*out = NULL;
	*nout = 0;
	for (;;) {
		char c = line[i];
		if (c == '"' || c == '\'' || c == '`') {
			size_t j = skip_quoted(line, i);
			if (j == (size_t)-1) {
				rc = wb_err_set(err, WB_EPARSE, "column %zu: unterminated %s", i + 1,
						quote_name(c));
				goto fail;
			}
			i = j;
			continue;
		}
		if (c == ';' || c == '#' || c == '\0') {
			size_t a = start, b = i;
			while (a < b && isspace((unsigned char)line[a]))
				a++;
			while (b > a && isspace((unsigned char)line[b - 1]))
				b--;
			if (b > a) {
				wb_command_text *nc = realloc(cmds, (n + 1) * sizeof *nc);
				if (!nc)
					goto nomem;
				cmds = nc;
				memset(&cmds[n], 0, sizeof cmds[n]);
				if (!(cmds[n].text = dupn(line + a, b - a)))
					goto nomem;
				n++;
				if ((rc = tokenize(&cmds[n - 1], a, err)))
					goto fail;
			}
			if (c != ';')
				break;
			start = i + 1;
		}
		i++;
	}
	*out = cmds;
	*nout = n;
	return 0;
nomem:
	rc = wb_err_set(err, WB_ENOMEM, "out of memory");
fail:
	wb_lex_free(cmds, n);
	return rc;
}

char *wb_lex_quote(const char *s)
{
	int plain = *s != '\0';
	for (const char *p = s; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr("_-./:+,", *p) || (unsigned char)*p >= 0x80))
			plain = 0;
	if (plain)
		return dupn(s, strlen(s));
	buf b = {0};
	if (buf_put(&b, '"'))
		return NULL;
	for (const char *p = s; *p; p++) {
		if ((*p == '"' || *p == '\\') && buf_put(&b, '\\'))
			goto nomem;
		if (buf_put(&b, *p))
			goto nomem;
	}
	if (buf_put(&b, '"'))
		goto nomem;
	return b.s;
nomem:
	free(b.s);
	return NULL;
}
