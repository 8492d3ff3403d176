/*
 * fuzz_csv — libFuzzer harness for the CSV reader (and, on what it accepts, the writer and the
 * statistics). Built on demand, not by `make check`:
 *
 *   make fuzz-csv && mkdir -p corpus-out &&
 *   ./fuzz-csv -max_total_time=120 corpus-out $(top_srcdir)/tests/data/good
 * $(top_srcdir)/tests/data/bad
 *
 * The first input byte picks the delimiter (detected, ',', ';', tab) and the number of threads
 * (1-4); the rest is the file. The fuzzing build splits inputs of 64 bytes and more
 * (-DWB_CSV_MIN_SPLIT=64), so the cut-and-join paths are fuzzed too.
 */
#include "../../engine/frame.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wb_csv_options opt = {0, 1};
	if (size) {
		opt.delim = "\0,;\t"[data[0] & 3];
		opt.threads = 1 + ((data[0] >> 2) & 3);
		data++;
		size--;
	}
	wb_frame *f = NULL;
	wb_err err = {0};
	if (wb_frame_parse_csv("fuzz.csv", (const char *)data, size, &opt, &f, &err) != 0) {
		if (f || !err.msg[0])
			abort(); /* a failure must return nothing and say why */
		return 0;
	}
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	if (fp) {
		wb_frame_write_csv(f, fp, opt.delim ? opt.delim : ',', &err);
		fclose(fp);
		wb_frame *g = NULL;
		wb_csv_options o2 = {opt.delim ? opt.delim : ',', 1};
		/* what we write must read back with as many rows and columns */
		if (wb_frame_parse_csv("out.csv", text, len, &o2, &g, &err) == 0 &&
		    (wb_frame_nrows(g) != wb_frame_nrows(f) ||
		     wb_frame_ncols(g) != wb_frame_ncols(f)))
			abort();
		wb_frame_free(g);
		free(text);
	}
	wb_result *r = NULL;
	if (wb_frame_describe(f, NULL, 0, &r, &err) == 0)
		wb_result_free(r);
	size_t n = wb_frame_nrows(f);
	size_t *idx = malloc((n ? n : 1) * sizeof *idx);
	size_t counts[8];
	double lo, hi;
	char b[128];
	for (size_t j = 0; idx && j < wb_frame_ncols(f); j++) {
		wb_frame_sort_index(f, j, (int)(j & 1), idx, &err);
		wb_frame_histogram(f, j, 8, counts, &lo, &hi);
		for (size_t i = 0; i < n && i < 16; i++)
			wb_frame_cell_text(f, i, j, b, sizeof b);
	}
	free(idx);
	wb_frame_free(f);
	return 0;
}
