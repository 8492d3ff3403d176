/*
 * graph_io.h — private to the graph file readers and writers (graph_io.c, graph_dot.c,
 * graph_dagitty.c): the tokenizer both syntaxes share, what both readers do alike (start,
 * attributes, roles, positions, edges, finish), and helpers for writing names and numbers so
 * that files read back exactly. Not part of the engine's public interface.
 */
#ifndef WB_GRAPH_IO_H
#define WB_GRAPH_IO_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "graph.h"

typedef enum {
	GT_END = 0,
	GT_ID,	  /* a name or number; text holds it unquoted */
	GT_PUNCT, /* one of { } [ ] = ; , : */
	GT_EDGE	  /* an edge operator: -> -- <- <-> @-> <-@ @-@ --@ @-- */
} gt_kind;

typedef struct gtok {
	gt_kind kind;
	char *text; /* GT_ID: the name; GT_PUNCT/GT_EDGE: the symbol */
	int quoted; /* GT_ID written in "quotes" (never a keyword) */
	long line, col;
} gtok;

typedef struct glex {
	const char *name; /* for messages */
	const char *buf;
	size_t len, pos;
	long line, col;
	int dagitty; /* accept dagitty's operators (<-, <->, @ marks) */
	gtok tok;    /* the current token */
	char *text;  /* storage of tok.text */
	size_t cap;
	wb_err *err;
} glex;

/* Starts lexing buf and reads the first token. */
int wb_glex_init(glex *lx, const char *name, const char *buf, size_t len, int dagitty, wb_err *err);
void wb_glex_free(glex *lx);
/* Reads the next token into lx->tok; WB_EPARSE with "NAME:LINE:COL: problem". */
int wb_glex_next(glex *lx);
/* "NAME:LINE:COL: message" at the current token; returns WB_EPARSE (or code for _code). */
int wb_glex_fail(glex *lx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int wb_glex_fail_at(glex *lx, long line, long col, int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Nonzero if the current token is the punctuation or unquoted word s (case-insensitive for
 * words). */
int wb_glex_is(const glex *lx, const char *s);
/* The current token described for messages: "'{'", "end of file", "'abc'". */
const char *wb_glex_what(const glex *lx, char *buf, size_t size);

/* Writes name as it must appear in a file: bare when it is an identifier (and not a keyword
 * of either syntax), else double-quoted with \" and \\ escaped. */
void wb_gio_put_name(FILE *fp, const char *name);
/* The shortest text that reads back to x exactly. */
const char *wb_gio_num(double x, char *buf, size_t size);
/* Parses "x,y" (DOT may add a trailing '!'); 0 on success. */
int wb_gio_parse_pos(const char *s, double *x, double *y);
/* Parses a whole number text as a double; 0 on success. */
int wb_gio_parse_num(const char *s, double *x);

/* Starts a reader: the lexer (wb_glex_init) and a new empty graph in *g. End it with
 * wb_gio_finish whatever this returns (*g is NULL if it was not made). */
int wb_gio_start(glex *lx, wb_graph **g, const char *name, const char *buf, size_t len, int dagitty,
		 wb_err *err);

/* Moves past the header word at the current token (dag, digraph, ...) and the graph's name
 * after it, if there is one. */
int wb_gio_skip_header(glex *lx);

/* A reader's handler of one attribute: key and value (NULL when there is no =value) belong to
 * the caller; (line, col) is where the key stands; reader and ctx are those given to
 * wb_gio_attr. Returns 0 or a WB_E* code with lx->err set. */
typedef int (*wb_gio_attr_fn)(void *reader, const char *key, const char *value, long line, long col,
			      void *ctx);
/* Reads one attribute, key or key=value, at the current token, hands it to fn and moves past
 * it. Fails with "expected an attribute name" or "expected a value for KEY" at the token, or
 * with what fn returns. */
int wb_gio_attr(glex *lx, wb_gio_attr_fn fn, void *reader, void *ctx);
/* The role flag (WB_ROLE_*) that a node attribute key names — exposure, outcome, latent or
 * adjusted, in any case — or 0. */
int wb_gio_role(const char *key);
/* Parses a pos attribute's value (NULL when it has none) into *x, *y; WB_EPARSE with
 * "pos must be "x,y", got '...'" at (line, col) when it is not two numbers. */
int wb_gio_attr_pos(glex *lx, const char *value, long line, long col, double *x, double *y);

/* Shared by both readers: sets the edge a–b with marks (ma at a's end), refusing a second,
 * different edge between the same nodes; messages at (line, col). */
int wb_gio_edge(glex *lx, wb_graph *g, size_t a, size_t b, wb_mark ma, wb_mark mb, long line,
		long col);

/* Ends a reader: with rc == 0, refuses text after the closing '}' and hands a copy of g (with
 * an empty undo history) to *out. Frees the lexer and g whatever rc is; returns the result. */
int wb_gio_finish(glex *lx, wb_graph *g, int rc, wb_graph **out);

/* Edge k of g as the writers put it: from *a to *b with marks *ma (at a) and *mb (at b),
 * turned round so that a directed edge is always written a -> b. */
void wb_gio_edge_ends(const wb_graph *g, size_t k, size_t *a, size_t *b, wb_mark *ma,
		      wb_mark *mb);
/* Writes pos="x,y" (exact numbers). */
void wb_gio_put_pos(FILE *fp, double x, double y);
/* Writes node i's roles and position as an attribute list, " [exposure<flag>, pos=...]" with
 * items joined by sep and each role followed by flag ("=true" in DOT, "" in dagitty); nothing
 * when the node has neither. */
void wb_gio_put_node_attrs(FILE *fp, const wb_graph *g, size_t i, const char *sep,
			   const char *flag);

#endif
