/* render.c — see render.h. */
#include "render.h"

#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Display width of a UTF-8 string: one column per code point (no wide characters here). */
static size_t text_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void pad(FILE *fp, size_t n)
{
	while (n--)
		fputc(' ', fp);
}

int wb_render_text(const wb_result *r, FILE *fp)
{
	size_t nc = wb_result_ncols(r), nr = wb_result_nrows(r);
	const char *title = wb_result_title(r);
	if (nc > 0) {
		if (*title)
			fprintf(fp, "== %s\n", title);
		size_t *w = calloc(nc, sizeof *w);
		int *right = calloc(nc, sizeof *right);
		if (!w || !right) {
			free(w);
			free(right);
			return WB_ENOMEM;
		}
		char buf[4096];
		for (size_t j = 0; j < nc; j++) {
			w[j] = text_width(wb_result_colname(r, j));
			right[j] = 1;
			for (size_t i = 0; i < nr; i++) {
				const wb_cell *c = wb_result_cell(r, i, j);
				if (c->kind == WB_CELL_STR || c->kind == WB_CELL_SET)
					right[j] = 0;
				size_t cw = text_width(wb_result_cell_text(r, i, j, buf, sizeof buf));
				if (cw > w[j])
					w[j] = cw;
			}
		}
		for (size_t j = 0; j < nc; j++) {
			const char *h = wb_result_colname(r, j);
			size_t gap = w[j] - text_width(h);
			if (right[j])
				pad(fp, gap);
			fputs(h, fp);
			if (j + 1 < nc)
				pad(fp, (right[j] ? 0 : gap) + 2);
		}
		fputc('\n', fp);
		for (size_t i = 0; i < nr; i++) {
			for (size_t j = 0; j < nc; j++) {
				wb_result_cell_text(r, i, j, buf, sizeof buf);
				size_t gap = w[j] - text_width(buf);
				if (right[j])
					pad(fp, gap);
				fputs(buf, fp);
				if (j + 1 < nc)
					pad(fp, (right[j] ? 0 : gap) + 2);
			}
			fputc('\n', fp);
		}
		free(w);
		free(right);
	} else if (*title) {
		fprintf(fp, "== %s\n", title);
	}
	for (size_t i = 0; i < wb_result_nnotes(r); i++)
		fprintf(fp, "%s%s\n", nc > 0 || *title ? "  " : "", wb_result_note(r, i));
	return ferror(fp) ? WB_EIO : 0;
}

void wb_json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		default:
			if (*p < 0x20)
				fprintf(fp, "\\u%04x", *p);
			else
				fputc(*p, fp);
		}
	}
	fputc('"', fp);
}

int wb_render_json(const wb_result *r, FILE *fp)
{
	size_t nc = wb_result_ncols(r), nr = wb_result_nrows(r);
	fputs("{\"command\": ", fp);
	wb_json_string(fp, wb_result_command(r));
	fputs(", \"title\": ", fp);
	wb_json_string(fp, wb_result_title(r));
	fputs(", \"columns\": [", fp);
	for (size_t j = 0; j < nc; j++) {
		if (j)
			fputs(", ", fp);
		wb_json_string(fp, wb_result_colname(r, j));
	}
	fputs("], \"rows\": [", fp);
	char buf[64];
	for (size_t i = 0; i < nr; i++) {
		fputs(i ? ", [" : "[", fp);
		for (size_t j = 0; j < nc; j++) {
			const wb_cell *c = wb_result_cell(r, i, j);
			if (j)
				fputs(", ", fp);
			switch (c->kind) {
			case WB_CELL_NULL:
				fputs("null", fp);
				break;
			case WB_CELL_NUM:
				if (isfinite(c->num))
					fputs(wb_fmt_num(c->num, 0, buf, sizeof buf), fp);
				else
					fputs("null", fp);
				break;
			case WB_CELL_STR:
				wb_json_string(fp, c->str);
				break;
			case WB_CELL_SET:
				fputc('[', fp);
				for (size_t k = 0; k < c->nset; k++) {
					if (k)
						fputs(", ", fp);
					wb_json_string(fp, c->set[k]);
				}
				fputc(']', fp);
				break;
			}
		}
		fputc(']', fp);
	}
	fputs("], \"notes\": [", fp);
	for (size_t i = 0; i < wb_result_nnotes(r); i++) {
		if (i)
			fputs(", ", fp);
		wb_json_string(fp, wb_result_note(r, i));
	}
	fputs("]}\n", fp);
	return ferror(fp) ? WB_EIO : 0;
}

int wb_render_csv(const wb_result *r, FILE *fp)
{
	size_t nc = wb_result_ncols(r), nr = wb_result_nrows(r);
	char buf[4096];
	for (size_t j = 0; j < nc; j++) {
		if (j)
			fputc(',', fp);
		const char *h = wb_result_colname(r, j);
		csv_fwrite(fp, h, strlen(h));
	}
	fputc('\n', fp);
	for (size_t i = 0; i < nr; i++) {
		for (size_t j = 0; j < nc; j++) {
			if (j)
				fputc(',', fp);
			const wb_cell *c = wb_result_cell(r, i, j);
			if (c->kind == WB_CELL_NUM) {
				if (!isnan(c->num))
					fputs(wb_fmt_num(c->num, 0, buf, sizeof buf), fp);
			} else if (c->kind != WB_CELL_NULL) {
				wb_result_cell_text(r, i, j, buf, sizeof buf);
				csv_fwrite(fp, buf, strlen(buf));
			}
		}
		fputc('\n', fp);
	}
	return ferror(fp) ? WB_EIO : 0;
}
