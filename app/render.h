/*
 * render.h — results as plain text (batch output, the log), JSON and CSV.
 */
#ifndef WB_RENDER_H
#define WB_RENDER_H

#include <stdio.h>

#include "../engine/err.h"
#include "../engine/result.h"

/* Plain text: the title, an aligned table (numbers right-aligned), then the notes. A
 * note-only result prints just its notes. */
int wb_render_text(const wb_result *r, FILE *fp);

/* One JSON object on one line, shaped
 * {"command": …, "title": …, "columns": […], "rows": [[…], …], "notes": […]};
 * a cell is a number, a string, null, or an array of strings. */
int wb_render_json(const wb_result *r, FILE *fp);

/* The table as CSV (header row, then rows; sets as "{A, B}"; notes are not written). */
int wb_render_csv(const wb_result *r, FILE *fp);

/* Writes a string as a JSON string literal. */
void wb_json_string(FILE *fp, const char *s);

#endif
