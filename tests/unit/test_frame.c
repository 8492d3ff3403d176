/* Unit tests for engine/frame: building, access, attributes, rows, cell text, CSV, stats. */
#include "../../engine/frame.h"
#include "../tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void test_build(void)
{
	wb_err err = {0};
	wb_frame *f = wb_frame_new(4);
	double age[] = {31, 45.5, NAN, 19};
	double churn[] = {0, 1, 1, NAN};
	double plan[] = {1, 0, NAN, 1};
	const char *plans[] = {"free", "premium"};
	double day[] = {0, 19723, 19723.5, NAN};
	ok(wb_frame_set_column(f, "age", WB_COL_NUMERIC, age, &err) == 0, "add numeric column");
	ok(wb_frame_set_column(f, "churn", WB_COL_BINARY, churn, &err) == 0, "add binary column");
	ok(wb_frame_set_categorical(f, "plan", plan, plans, 2, &err) == 0, "add categorical");
	ok(wb_frame_set_column(f, "joined", WB_COL_DATE, day, &err) == 0, "add date column");
	double bad[] = {0, 2, 1, 0};
	ok(wb_frame_set_column(f, "b", WB_COL_BINARY, bad, &err) == WB_EINVAL,
	   "binary column holding 2 is refused");
	streq(err.msg, "column 'b': binary value 2 in row 2 is not 0 or 1", "binary error text");
	double badcode[] = {0, 2, 1, 0};
	ok(wb_frame_set_categorical(f, "c", badcode, plans, 2, &err) == WB_EINVAL,
	   "code beyond the levels is refused");
	ok(wb_frame_ncols(f) == 4 && wb_frame_nrows(f) == 4, "4 x 4 frame");
	ok(wb_frame_col_index(f, "plan") == 2, "column index by name");
	ok(wb_frame_col_index(f, "nope") == -1, "unknown column gives -1");
	ok(wb_frame_col_kind(f, 1) == WB_COL_BINARY, "kind kept");
	streq(wb_col_kind_name(wb_frame_col_kind(f, 3)), "date", "kind name");
	ok(wb_frame_level_index(f, 2, "premium") == 1, "level lookup");
	ok(wb_frame_level_index(f, 2, "gold") == -1, "unknown level gives -1");
	char b[64];
	streq(wb_frame_cell_text(f, 1, 0, b, sizeof b), "45.5", "numeric cell text");
	streq(wb_frame_cell_text(f, 2, 0, b, sizeof b), "", "missing cell text is empty");
	streq(wb_frame_cell_text(f, 0, 2, b, sizeof b), "premium", "categorical cell text");
	streq(wb_frame_cell_text(f, 0, 3, b, sizeof b), "1970-01-01", "epoch date");
	streq(wb_frame_cell_text(f, 1, 3, b, sizeof b), "2024-01-01", "day 19723 is 2024-01-01");
	streq(wb_frame_cell_text(f, 2, 3, b, sizeof b), "2024-01-01T12:00", "half a day is noon");

	/* replacing a column keeps its position */
	double age2[] = {1, 2, 3, 4};
	ok(wb_frame_set_column(f, "age", WB_COL_NUMERIC, age2, &err) == 0, "replace column");
	ok(wb_frame_col_index(f, "age") == 0 && wb_frame_col(f, 0)[3] == 4, "replaced in place");

	ok(wb_frame_set_attr(f, "source", "fans.csv") == 0, "set attribute");
	ok(wb_frame_set_attr(f, "truth", "ate=2") == 0, "second attribute");
	ok(wb_frame_set_attr(f, "source", "x.csv") == 0, "overwrite attribute");
	streq(wb_frame_attr(f, "source"), "x.csv", "attribute value");
	ok(wb_frame_nattrs(f) == 2, "two attributes");
	wb_frame_set_attr(f, "source", NULL);
	ok(wb_frame_attr(f, "source") == NULL && wb_frame_nattrs(f) == 1, "attribute removed");
	streq(wb_frame_attr_key(f, 0), "truth", "remaining key");

	size_t idx[] = {3, 0, 0};
	wb_frame *g = wb_frame_take_rows(f, idx, 3);
	ok(g && wb_frame_nrows(g) == 3 && wb_frame_ncols(g) == 4, "take_rows shape");
	ok(g && wb_frame_col(g, 0)[0] == 4 && wb_frame_col(g, 0)[2] == 1, "take_rows order");
	streq(g ? wb_frame_cell_text(g, 1, 2, b, sizeof b) : "", "premium", "levels kept");
	streq(g ? wb_frame_attr(g, "truth") : "", "ate=2", "attributes kept");
	size_t badidx[] = {4};
	ok(wb_frame_take_rows(f, badidx, 1) == NULL, "row index out of range gives NULL");
	wb_frame *h = wb_frame_copy(f);
	ok(h && wb_frame_nrows(h) == 4 && isnan(wb_frame_col(h, 1)[3]), "copy keeps missing");
	ok(wb_frame_drop_column(f, "churn", &err) == 0 && wb_frame_ncols(f) == 3, "drop column");
	ok(wb_frame_col_index(f, "plan") == 1, "columns after the dropped one move up");
	ok(wb_frame_drop_column(f, "churn", &err) == WB_ENOTFOUND, "dropping twice fails");
	ok(h && wb_frame_ncols(h) == 4, "the copy is independent");
	wb_frame_free(g);
	wb_frame_free(h);
	wb_frame_free(f);
	wb_frame_free(NULL);
}

int main(void)
{
	test_build();
	return done();
}
