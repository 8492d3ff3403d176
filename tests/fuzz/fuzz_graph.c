/*
 * fuzz_graph — libFuzzer harness for the DOT and dagitty readers, the writers and (on small
 * graphs) identification. Built on demand, not by `make check`:
 *
 *   make fuzz-graph && mkdir -p corpus-graph &&
 *   ./fuzz-graph -max_total_time=120 corpus-graph $(top_srcdir)/tests/data/bad/graph \
 *	$(top_srcdir)/sample-data
 *
 * The first input byte picks the syntax (even: DOT, odd: dagitty); the rest is the file. What
 * a reader accepts must be written and read back to the same graph, in both syntaxes.
 */
#include "../../engine/graph.h"
#include "../../engine/identify.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const wb_graph *a, const wb_graph *b)
{
	size_t n = wb_graph_nnodes(a);
	if (n != wb_graph_nnodes(b) || wb_graph_nedges(a) != wb_graph_nedges(b))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(wb_graph_node_name(a, i), wb_graph_node_name(b, i)) ||
		    wb_graph_roles(a, i) != wb_graph_roles(b, i))
			return 0;
		for (size_t j = 0; j < n; j++)
			if (wb_graph_mark(a, i, j) != wb_graph_mark(b, i, j))
				return 0;
	}
	return 1;
}

static void round_trip(const wb_graph *g, int dagitty)
{
	char *text = NULL;
	size_t len = 0;
	wb_err err = {0};
	FILE *fp = open_memstream(&text, &len);
	if (!fp)
		return;
	int rc = dagitty ? wb_graph_write_dagitty(g, fp, &err) : wb_graph_write_dot(g, fp, &err);
	fclose(fp);
	wb_graph *h = NULL;
	if (rc == 0)
		rc = dagitty ? wb_graph_parse_dagitty("rt", text, len, &h, &err)
			     : wb_graph_parse_dot("rt", text, len, &h, &err);
	if (rc || !same(g, h))
		abort(); /* what was written must read back */
	wb_graph_free(h);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int dagitty = size && (data[0] & 1);
	if (size) {
		data++;
		size--;
	}
	wb_graph *g = NULL;
	wb_err err = {0};
	int rc = dagitty ? wb_graph_parse_dagitty("fuzz", (const char *)data, size, &g, &err)
			 : wb_graph_parse_dot("fuzz", (const char *)data, size, &g, &err);
	if (rc) {
		if (g || !err.msg[0])
			abort(); /* a failure returns nothing and says why */
		return 0;
	}
	round_trip(g, 0);
	round_trip(g, 1);
	size_t n = wb_graph_nnodes(g);
	if (n >= 2 && n <= 12 && strcmp(wb_graph_kind(g), "pag") != 0 &&
	    !(wb_graph_roles(g, 0) & WB_ROLE_LATENT) && !(wb_graph_roles(g, 1) & WB_ROLE_LATENT)) {
		size_t x = 0, y = 1;
		wb_identification id;
		if (wb_identify_effect(g, &x, 1, &y, 1, &id, &err) == 0)
			wb_identify_free(&id);
		wb_implication *imp = NULL;
		size_t nimp = 0;
		if (wb_identify_implications(g, &imp, &nimp, &err) == 0)
			wb_identify_implications_free(imp, nimp);
	}
	wb_graph_free(g);
	return 0;
}
