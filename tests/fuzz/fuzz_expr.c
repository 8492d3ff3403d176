/* libFuzzer harness for engine/expr: any byte string is parsed against a small fixed frame
 * and, when it parses, evaluated. Must never crash, leak or trip a sanitizer; the parser
 * must either succeed or leave an "expression column C: ..." message.
 *
 *   make -C build fuzz-expr && ./build/fuzz-expr -max_total_time=120 -max_len=256 */
#include "../../engine/expr.h"
#include "../../engine/frame.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static wb_frame *fixed_frame(void)
{
	/* More rows than one evaluation block, so block boundaries are exercised too. */
	size_t n = 4100;
	wb_frame *f = wb_frame_new(n);
	double *x = malloc(n * sizeof *x), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c);
	for (size_t i = 0; i < n; i++) {
		x[i] = i % 7 == 3 ? NAN : (double)i / 10 - 200;
		b[i] = i % 5 == 1 ? NAN : (double)(i % 2);
		c[i] = i % 11 == 4 ? NAN : (double)(i % 3);
	}
	const char *lv[] = {"Music", "Podcasts", "Audiobooks"};
	const char *lv2[] = {"Podcasts", "Radio"};
	wb_err err;
	wb_frame_set_column(f, "a", WB_COL_NUMERIC, x, &err);
	wb_frame_set_column(f, "b", WB_COL_BINARY, b, &err);
	wb_frame_set_categorical(f, "t", c, lv, 3, &err);
	for (size_t i = 0; i < n; i++)
		c[i] = (double)(i % 2);
	wb_frame_set_categorical(f, "u", c, lv2, 2, &err);
	wb_frame_set_column(f, "d", WB_COL_DATE, x, &err);
	wb_frame_set_column(f, "my col", WB_COL_NUMERIC, x, &err);
	free(x);
	free(b);
	free(c);
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static wb_frame *f;
	static double *out;
	if (!f) {
		f = fixed_frame();
		out = malloc(wb_frame_nrows(f) * sizeof *out);
	}
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	wb_expr *e = NULL;
	wb_err err;
	wb_err_clear(&err);
	int rc = wb_expr_parse(text, f, &e, &err);
	if (rc == 0) {
		if (!e || wb_expr_eval(e, f, out, &err) != 0)
			abort(); /* a parsed expression must evaluate on its own frame */
		int logical = wb_expr_is_logical(e);
		for (size_t i = 0; logical && i < wb_frame_nrows(f); i++)
			if (!(isnan(out[i]) || out[i] == 0 || out[i] == 1))
				abort(); /* logical results are 0, 1 or missing */
	} else if (e || rc >= 0 || strncmp(err.msg, "expression column ", 18) != 0) {
		abort();
	}
	wb_expr_free(e);
	free(text);
	return 0;
}
