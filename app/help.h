/*
 * help.h — help text, the `help` command's results and the man page, all generated from the
 * command table (cmd.h), so that each command is documented once, where it is defined.
 */
#ifndef WB_HELP_H
#define WB_HELP_H

#include <stdio.h>

#include "../engine/err.h"
#include "../engine/result.h"

/* Help for a command ("load", "save data") or NULL for the overview, as a result: the
 * overview is a table of commands; a command's help is its synopsis, text and options as
 * notes. WB_ENOTFOUND for an unknown topic. */
int wb_help_result(const char *topic, wb_result **out, wb_err *err);

/* The same as plain text (malloc'd), for the screen's help overlay; NULL if unknown. */
char *wb_help_text(const char *topic);

/* The man page whybench(1) in roff. */
void wb_help_man(FILE *fp);

#endif
