/*
 * lex.h — the command language's lexer.
 *
 * A line holds commands separated by ';'; '#' starts a comment. Inside a command: words
 * separated by blanks, "double quoted" (with \" and \\ escapes) or 'single quoted' parts,
 * `back quoted` parts (kept with their back quotes, for expressions), key=value options
 * (key an identifier; the value may be quoted: tiers="A,B | C"), and the edge operators
 * ->, -- and <-> (alone or between two names: A->B). ';' and '#' inside quotes are text.
 */
#ifndef WB_LEX_H
#define WB_LEX_H

#include <stddef.h>

#include "../engine/err.h"

typedef enum { WB_TOK_WORD, WB_TOK_OPTION, WB_TOK_EDGE } wb_tok_kind;

typedef struct wb_token {
	wb_tok_kind kind;
	char *text;  /* WORD: the word, unquoted; OPTION: the key; EDGE: "->", "--" or "<->" */
	char *value; /* OPTION: the value, unquoted */
	int quoted;  /* WORD: some part of it was quoted (so it is never an option or edge) */
	size_t pos;  /* offset of the token in the command text */
} wb_token;

typedef struct wb_command_text {
	char *text;       /* the command's text, trimmed (comment removed) */
	wb_token *tokens;
	size_t ntokens;
} wb_command_text;

/* Splits line into commands and tokenises each. *cmds is a new array of *ncmds commands
 * (empty commands skipped); free with wb_lex_free. Errors: an unterminated quote,
 * "column C: unterminated \"-quoted string". */
int wb_lex_line(const char *line, wb_command_text **cmds, size_t *ncmds, wb_err *err);
void wb_lex_free(wb_command_text *cmds, size_t ncmds);

/* Offset just past the last unquoted ';' in line[0..end) (0 if none): where the command being
 * typed starts, for completion. */
size_t wb_lex_command_start(const char *line, size_t end);

/* Quotes s for the command language if it needs it (blanks, quotes, ';', '#', '=' …):
 * returns a new string. */
char *wb_lex_quote(const char *s);

#endif
