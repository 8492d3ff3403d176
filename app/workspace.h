/*
 * workspace.h — saving and restoring a whole session as one text file.
 *
 * Format (version 1), line oriented, UTF-8; every file starts with the magic line:
 *
 *   whybench workspace 1
 *   seed 42
 *   threads 0
 *   dataset NAME ROWS COLUMNS        one block per dataset, in order
 *   attr KEY VALUE                   frame attributes (value to the end of the line, escaped)
 *   column KIND NAME                 KIND: numeric, binary, categorical, date
 *   level TEXT                       after a categorical column: its levels in code order
 *   data BYTES                       then exactly BYTES bytes of CSV: a header of the column
 *                                    names and one row per data row, every cell a number
 *                                    (level codes for categorical, days for dates; empty =
 *                                    missing), written in the shortest text that reads back
 *                                    exactly; then a newline
 *   graph NAME NODES EDGES           one block per graph, in order:
 *   node ROLES X Y NAME              NODES lines, in index order; ROLES letters e (exposure),
 *                                    o (outcome), l (latent), a (adjusted), or "-"; X Y the
 *                                    position, or "- -" for none
 *   edge I J MARK_I MARK_J WEIGHT    EDGES lines: node indices, the mark at each end (tail,
 *                                    arrow, circle), the edge's number or "-" for none
 *   active NAME                      the active dataset
 *   active-graph NAME                the active graph
 *   history LINE                     the commands run, oldest first
 *   end
 *
 * Numbers are written in the shortest text that reads back exactly. Names and values are escaped: backslash, newline and tab as \\, \n, \t. Saving writes a
 * temporary file beside the target, syncs it and renames it over the target, so a crash
 * never leaves a half-written workspace. Opening reads the whole file before replacing the
 * session; a broken file leaves the session as it was and says "PATH:LINE: problem".
 */
#ifndef WB_WORKSPACE_H
#define WB_WORKSPACE_H

#include "../engine/err.h"
#include "session.h"

#define WB_WORKSPACE_SUFFIX ".wbw"
#define WB_WORKSPACE_MAGIC "whybench workspace 1"

int wb_workspace_save(const wb_session *s, const char *path, wb_err *err);
int wb_workspace_open(wb_session *s, const char *path, wb_err *err);

/* Nonzero if the file at path starts with the workspace magic line. */
int wb_workspace_sniff(const char *path);

#endif
