/*
 * cmd.h — the command table. Each command group is one file in app/ (cmd_data.c,
 * cmd_workspace.c, …) exporting an array of wb_cmd entries; `help`, completion and the man
 * page are generated from the table, so a command is documented where it is defined.
 */
#ifndef WB_CMD_H
#define WB_CMD_H

#include <stddef.h>

#include "../engine/err.h"
#include "../engine/frame.h"
#include "../engine/graph.h"
#include "../engine/result.h"
#include "lex.h"

typedef struct wb_session wb_session;

/* What Tab completes in a command's arguments. */
enum {
	WB_COMPLETE_COLUMNS = 1 << 0,
	WB_COMPLETE_PATHS = 1 << 1,
	WB_COMPLETE_DATASETS = 1 << 2,
	WB_COMPLETE_SCENARIOS = 1 << 3,
	WB_COMPLETE_COMMANDS = 1 << 4,
	WB_COMPLETE_NODES = 1 << 5 /* node names of the active graph */
};

/* Command flags. */
enum {
	WB_CMD_MODIFIES = 1 << 0, /* changes the workspace: marks it unsaved */
	WB_CMD_RAW = 1 << 1       /* gets its argument text unparsed (expressions) */
};

typedef struct wb_option {
	const char *name;  /* "n" */
	const char *value; /* placeholder shown in help: "N" */
	const char *help;  /* one line */
} wb_option;

/* The arguments of one command, as the lexer split them. */
typedef struct wb_args {
	const char *name;     /* the command's table name, e.g. "save data" */
	const char *rest;     /* the text after the name (for WB_CMD_RAW commands) */
	const wb_token **pos; /* positional tokens (words and edges) */
	size_t npos;
	const wb_token **opt; /* key=value options */
	size_t nopt;
} wb_args;

typedef struct wb_cmd {
	const char *name;     /* one or two words: "load", "save data" */
	const char *synopsis; /* "load PATH [as NAME] [delim=C]" */
	const char *summary;  /* one line */
	const char *help;     /* paragraphs, with an example */
	const wb_option *options; /* terminated by {NULL}; may be NULL */
	int complete;         /* WB_COMPLETE_* */
	int flags;            /* WB_CMD_* */
	int (*exec)(wb_session *s, const wb_args *a, wb_err *err);
} wb_cmd;

/* The command groups (each terminated by an entry with name NULL). */
extern const wb_cmd wb_cmds_data[];
extern const wb_cmd wb_cmds_workspace[];
extern const wb_cmd wb_cmds_graph[];
extern const wb_cmd wb_cmds_discover[];
extern const wb_cmd wb_cmds_effects[];
extern const wb_cmd wb_cmds_bandit[];

/* All groups, in help order, terminated by NULL. */
extern const wb_cmd *const wb_cmd_groups[];

/* Finds the command that the tokens start with (two-word names first). *used is how many
 * leading tokens name it. NULL if none. */
const wb_cmd *wb_cmd_find(const wb_token *tokens, size_t ntokens, size_t *used);

/* ---- helpers for exec functions ---- */

/* The value of option key, or def if absent. */
const char *wb_arg_opt(const wb_args *a, const char *key, const char *def);
/* Parses option key as an integer in [lo, hi] into *out (def if absent). */
int wb_arg_long(const wb_args *a, const char *key, long def, long lo, long hi, long *out,
		wb_err *err);
int wb_arg_double(const wb_args *a, const char *key, double def, double *out, wb_err *err);
/* Positional word i, or NULL. */
const char *wb_arg_word(const wb_args *a, size_t i);
/* Fails unless the command got between lo and hi positional arguments. */
int wb_arg_count(const wb_args *a, size_t lo, size_t hi, wb_err *err);
/* Splits "[as NAME]" off the end of the positional arguments: *name is NULL if absent. */
int wb_arg_as(wb_args *a, const char **name, wb_err *err);
/* wb_arg_as, then wb_arg_count(a, lo, hi) on the positional arguments left: the preamble of a
 * command that takes "[as NAME]". Fails with the first of the two errors. */
int wb_arg_as_count(wb_args *a, const char **name, size_t lo, size_t hi, wb_err *err);

/* The name of what a file is loaded as, into out (size bytes, truncated): as when it is not
 * NULL (the command's "as NAME"), else the file name of path without its directory and
 * extension ("data/fans.csv" -> "fans"). */
void wb_load_name(const char *path, const char *as, char *out, size_t size);

/* The candidate closest to word by edit distance, if within maxd; else the only candidate
 * that word (3 characters or more) begins; else NULL. */
const char *wb_closest(const char *word, const char *const *cands, size_t n, size_t maxd);

/* The command name closest to word (a typo), or NULL. */
const char *wb_cmd_closest(const char *word);

/* A new result titled title with the n columns cols, or NULL when out of memory. The result
 * belongs to the caller; the strings are copied. */
wb_result *wb_cmd_result(const char *title, const char *const *cols, size_t n);

/* The names of the nodes idx[0..n-1] of g joined as "A, B, C" into buf (size bytes, truncated). */
void wb_cmd_nodes_text(const wb_graph *g, const size_t *idx, size_t n, char *buf, size_t size);

/* Fails for a name that is not there: sets err to WB_ENOTFOUND "CMD: unknown WHAT 'name'"
 * (without "CMD: " when cmd is NULL), adding " (did you mean 'x'?)" when wb_closest finds x
 * within 2 edits among the n names name_at(obj, 0..n-1). Returns -1. */
long wb_cmd_unknown(const char *cmd, const char *what, const char *name, const void *obj, size_t n,
		    const char *(*name_at)(const void *obj, size_t i), wb_err *err);

/* Column index of name in f, or an error "unknown column 'x' (did you mean 'y'?)". */
long wb_arg_column(const wb_frame *f, const char *name, wb_err *err);

#endif
