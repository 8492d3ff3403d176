/*
 * atomicio.h — writing a file so that it is either wholly the old or wholly the new one, and
 * reading one whole.
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

/* Reads the whole of path into *buf, with a '\0' after its *len bytes; *buf belongs to the
 * caller. With max > 0, a file longer than max bytes is refused (WB_EINVAL, "PATH: larger than
 * N MB: not a WHAT file"); with max 0 there is no limit. Otherwise fails with WB_EIO ("PATH:
 * cannot open: reason", "PATH: read error") or WB_ENOMEM, and *buf and *len are untouched. */
int wb_read_file(const char *path, size_t max, const char *what, char **buf, size_t *len,
		 wb_err *err);

#endif
