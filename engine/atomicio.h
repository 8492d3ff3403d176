/*
 * atomicio.h — writing a file so that it is either wholly the old or wholly the new one.
 */
#ifndef WB_ATOMICIO_H
#define WB_ATOMICIO_H

#include <stdio.h>

#include "err.h"

/* Writes path through a temporary file in the same directory: write_fn fills the open
 * stream (returning 0, or a WB_E* code with err set), then the stream is flushed, synced and
 * renamed over path. On any failure the temporary file is removed, path is untouched, and
 * err says "PATH: problem". */
int wb_write_atomic(const char *path, int (*write_fn)(FILE *fp, const void *ctx, wb_err *err),
		    const void *ctx, wb_err *err);

#endif
