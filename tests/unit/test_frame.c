/* Unit tests for engine/frame: building, access, attributes, rows, cell text, CSV, stats. */
#include "../../engine/frame.h"
#include "../tap.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static wb_frame *parse(const char *text, char delim, int threads, wb_err *err)
{
	wb_csv_options opt = {delim, threads};
	wb_frame *f = NULL;
	if (wb_frame_parse_csv("t.csv", text, strlen(text), &opt, &f, err) < 0)
		return NULL;
	return f;
}

static const char *cell(const wb_frame *f, size_t i, const char *col)
{
	static char b[8][256];
	static int k;
	k = (k + 1) % 8;
	long j = wb_frame_col_index(f, col);
	if (j < 0)
		return "(no such column)";
	return wb_frame_cell_text(f, i, (size_t)j, b[k], sizeof b[k]);
}

static double val(const wb_frame *f, size_t i, const char *col)
{
	long j = wb_frame_col_index(f, col);
	return j < 0 ? -999 : wb_frame_col(f, (size_t)j)[i];
}

static wb_col_kind kind(const wb_frame *f, const char *col)
{
	long j = wb_frame_col_index(f, col);
	return j < 0 ? (wb_col_kind)99 : wb_frame_col_kind(f, (size_t)j);
}

/* 1 if f and g hold the same columns, kinds, levels and values (NaN equal to NaN). */
static int same_frame(const wb_frame *f, const wb_frame *g)
{
	if (!f || !g || wb_frame_nrows(f) != wb_frame_nrows(g) ||
	    wb_frame_ncols(f) != wb_frame_ncols(g))
		return 0;
	for (size_t j = 0; j < wb_frame_ncols(f); j++) {
		if (strcmp(wb_frame_colname(f, j), wb_frame_colname(g, j)) ||
		    wb_frame_col_kind(f, j) != wb_frame_col_kind(g, j) ||
		    wb_frame_nlevels(f, j) != wb_frame_nlevels(g, j))
			return 0;
		for (size_t k = 0; k < wb_frame_nlevels(f, j); k++)
			if (strcmp(wb_frame_level(f, j, k), wb_frame_level(g, j, k)))
				return 0;
		const double *a = wb_frame_col(f, j), *b = wb_frame_col(g, j);
		for (size_t i = 0; i < wb_frame_nrows(f); i++)
			if (!(a[i] == b[i] || (isnan(a[i]) && isnan(b[i]))))
				return 0;
	}
	return 1;
}

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

static void test_kinds(void)
{
	wb_err err = {0};
	wb_frame *f = parse("id,age,plan,churn,promo,joined,seen,empty,mixed\n"
			    "1,31,free,0,true,2024-01-01,2024-03-05T10:30,,1\n"
			    "2,NA,premium,1,FALSE,2023-12-31,2024-03-05 23:59:59,NA,2.50\n"
			    "3,45.5,free,,True,,2024-03-06T00:00,null,abc\n"
			    "4,-2e3,N/A,1,,1970-01-01,,None,1\n",
			    0, 1, &err);
	ok(f != NULL, "typed file loads (%s)", err.msg);
	if (!f)
		return;
	ok(wb_frame_nrows(f) == 4 && wb_frame_ncols(f) == 9, "4 rows, 9 columns");
	ok(kind(f, "id") == WB_COL_BINARY || kind(f, "id") == WB_COL_NUMERIC, "id kind");
	ok(kind(f, "id") == WB_COL_NUMERIC, "1..4 is numeric");
	ok(kind(f, "age") == WB_COL_NUMERIC, "age numeric");
	near(val(f, 3, "age"), -2000, 0, "exponent notation");
	ok(isnan(val(f, 1, "age")), "NA is missing");
	ok(kind(f, "plan") == WB_COL_CATEGORICAL, "plan categorical");
	ok(wb_frame_nlevels(f, 2) == 2, "two levels");
	streq(wb_frame_level(f, 2, 0), "free", "levels in first-seen order (0)");
	streq(wb_frame_level(f, 2, 1), "premium", "levels in first-seen order (1)");
	ok(isnan(val(f, 3, "plan")), "N/A is missing in a categorical column");
	ok(kind(f, "churn") == WB_COL_BINARY, "0/1 with a gap is binary");
	ok(kind(f, "promo") == WB_COL_BINARY, "true/false is binary");
	ok(val(f, 0, "promo") == 1 && val(f, 1, "promo") == 0 && val(f, 2, "promo") == 1,
	   "true/FALSE/True read as 1/0/1");
	ok(kind(f, "joined") == WB_COL_DATE, "ISO dates");
	near(val(f, 0, "joined"), 19723, 0, "2024-01-01 is day 19723");
	near(val(f, 3, "joined"), 0, 0, "1970-01-01 is day 0");
	ok(kind(f, "seen") == WB_COL_DATE, "date-times");
	near(val(f, 0, "seen"), 19787 + 37800.0 / 86400, 1e-9, "10:30 is 0.4375 of a day");
	streq(cell(f, 0, "seen"), "2024-03-05T10:30", "date-time shown back as ISO");
	streq(cell(f, 1, "seen"), "2024-03-05T23:59:59", "seconds shown when not zero");
	streq(cell(f, 2, "seen"), "2024-03-06", "midnight shown as a date");
	ok(kind(f, "empty") == WB_COL_NUMERIC, "all-missing column is numeric");
	ok(kind(f, "mixed") == WB_COL_CATEGORICAL, "numbers then text: categorical");
	ok(wb_frame_nlevels(f, 8) == 3, "mixed: 3 levels");
	streq(wb_frame_level(f, 8, 0), "1", "earlier number becomes a level (1)");
	streq(wb_frame_level(f, 8, 1), "2.5", "by its shortest text (2.50 -> 2.5)");
	streq(wb_frame_level(f, 8, 2), "abc", "then the text");
	ok(val(f, 3, "mixed") == 0, "a later 1 maps to the level '1'");
	streq(wb_frame_attr(f, "source"), "t.csv", "source attribute");
	wb_frame_free(f);

	f = parse("d,n\n2024-02-29,1\n2023-02-29,2\n", 0, 1, &err);
	ok(f && kind(f, "d") == WB_COL_CATEGORICAL, "an impossible date makes the column text");
	wb_frame_free(f);
	f = parse("b\n1\n0\ntrue\nmaybe\n", 0, 1, &err);
	ok(f && kind(f, "b") == WB_COL_CATEGORICAL && wb_frame_nlevels(f, 0) == 4,
	   "0/1/true then text: categorical with 4 levels");
	streq(f ? wb_frame_level(f, 0, 0) : "", "1", "a number keeps its text");
	streq(f ? wb_frame_level(f, 0, 2) : "", "true", "a word keeps its text");
	wb_frame_free(f);
	f = parse("x\n0\n1\n7\n", 0, 1, &err);
	ok(f && kind(f, "x") == WB_COL_NUMERIC, "0/1 then 7 is numeric");
	wb_frame_free(f);
}

static void test_quoting(void)
{
	wb_err err = {0};
	wb_frame *f = parse("name,quote,n\n"
			    "\"Smith, Ann\",\"she said \"\"hi\"\"\",1\n"
			    "\"two\nlines\",\"\",2\n"
			    "  padded  ,\"  kept  \",3\n",
			    0, 1, &err);
	ok(f != NULL, "quoted file loads (%s)", err.msg);
	if (!f)
		return;
	ok(wb_frame_nrows(f) == 3, "embedded newline does not end the row");
	streq(cell(f, 0, "name"), "Smith, Ann", "quoted delimiter");
	streq(cell(f, 0, "quote"), "she said \"hi\"", "doubled quotes");
	streq(cell(f, 1, "name"), "two\nlines", "quoted newline");
	ok(isnan(val(f, 1, "quote")), "quoted empty field is missing");
	streq(cell(f, 2, "name"), "padded", "spaces around unquoted fields trimmed");
	streq(cell(f, 2, "quote"), "  kept  ", "spaces inside quotes kept");
	wb_frame_free(f);

	f = parse("\xEF\xBB\xBF"
		  "a,b\r\n1,x\r\n\r\n2,y\r\n",
		  0, 1, &err);
	ok(f && wb_frame_col_index(f, "a") == 0, "BOM skipped before the first name");
	ok(f && wb_frame_nrows(f) == 2, "CRLF rows, empty line skipped");
	streq(f ? cell(f, 1, "b") : "", "y", "no CR left in the last field");
	wb_frame_free(f);

	f = parse("a;b;c\n1,5;x;\"p;q\"\n2;;r\n", 0, 1, &err);
	ok(f && wb_frame_ncols(f) == 3, "semicolon detected");
	streq(f ? cell(f, 0, "a") : "", "1,5", "comma inside a semicolon file is text");
	streq(f ? cell(f, 0, "c") : "", "p;q", "quoted semicolon");
	wb_frame_free(f);

	f = parse("a\tb c\tc\n  1 \tx y\t\n2\t\tz\n", 0, 1, &err);
	ok(f && wb_frame_ncols(f) == 3, "tab detected (%s)", err.msg);
	streq(f ? wb_frame_colname(f, 1) : "", "b c", "space inside a tab-separated name");
	ok(f && val(f, 0, "a") == 1, "spaces trimmed around a tab-separated number");
	ok(f && isnan(val(f, 0, "c")) && isnan(val(f, 1, "b c")), "empty tab fields are missing");
	wb_frame_free(f);

	f = parse("a,b\n1,2", 0, 1, &err);
	ok(f && wb_frame_nrows(f) == 1 && val(f, 0, "b") == 2, "last line without newline");
	wb_frame_free(f);
	f = parse("a,b\n", 0, 1, &err);
	ok(f && wb_frame_nrows(f) == 0 && wb_frame_ncols(f) == 2, "header only: 0 rows");
	wb_frame_free(f);
	f = parse("x;y\n1;2\n", ',', 1, &err);
	ok(f && wb_frame_ncols(f) == 1, "a given delimiter is not second-guessed");
	wb_frame_free(f);

	/* error lines are physical lines where the row starts */
	ok(parse("a,b\r\n\r\n\"1\n\n\",2\r\n3\r\n", 0, 1, &err) == NULL, "ragged row");
	streq(err.msg, "t.csv:6: row has 1 field, header has 2",
	      "line counts CRLF, blanks, quotes");
	ok(parse("a,b\n1,2,3\n", 0, 1, &err) == NULL && err.code == WB_EPARSE, "too many fields");
	streq(err.msg, "t.csv:2: row has 3 fields, header has 2", "too many fields message");
	ok(parse("", 0, 1, &err) == NULL, "empty buffer");
	streq(err.msg, "t.csv: file is empty", "empty message");
	ok(parse("\n\n  \n", 0, 1, &err) == NULL, "blank lines only");
	streq(err.msg, "t.csv: file is empty", "blank lines are an empty file");
}

static void test_numbers(void)
{
	/* The fast path must agree with strtod on every input. */
	char *buf = malloc(1 << 20), text[64];
	size_t len = (size_t)sprintf(buf, "x\n");
	uint64_t s = 88172645463325252u;
	enum { N = 20000 };
	static double want[N];
	for (int i = 0; i < N; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17; /* xorshift64 (Marsaglia 2003) */
		int nd = 1 + (int)(s % 20), point = (int)((s >> 8) % (unsigned)(nd + 1));
		char *p = text;
		if ((s >> 16) & 1)
			*p++ = '-';
		for (int d = 0; d < nd; d++) {
			if (d == point && d)
				*p++ = '.';
			*p++ = (char)('0' + (s >> (20 + d * 2)) % 10);
		}
		if ((s >> 62) & 1)
			p += sprintf(p, "e%d", (int)((s >> 24) % 61) - 30);
		*p = '\0';
		want[i] = strtod(text, NULL);
		len += (size_t)sprintf(buf + len, "%s\n", text);
	}
	wb_err err = {0};
	wb_frame *f = parse(buf, 0, 1, &err);
	int bad = !f;
	for (int i = 0; f && i < N; i++)
		if (val(f, (size_t)i, "x") != want[i] && !bad++)
			printf("# row %d: got %.17g want %.17g\n", i, val(f, (size_t)i, "x"),
			       want[i]);
	ok(!bad, "20000 random decimals read exactly as strtod does");
	wb_frame_free(f);
	f = parse("x\n0.1\n1e22\n123456789012345678901234\n-0\ninf\n-Infinity\n4.9e-324\n", 0, 1,
		  &err);
	ok(f && val(f, 0, "x") == 0.1 && val(f, 1, "x") == 1e22 &&
	       val(f, 2, "x") == 123456789012345678901234.0 && val(f, 3, "x") == 0 &&
	       signbit(val(f, 3, "x")) && val(f, 4, "x") == INFINITY &&
	       val(f, 5, "x") == -INFINITY && val(f, 6, "x") == 4.9e-324,
	   "edge numbers");
	wb_frame_free(f);
	free(buf);
}

static void test_roundtrip(void)
{
	wb_err err = {0};
	const char *text = "name,score,when,flag,note\n"
			   "\"Smith, Ann\",0.1,2024-01-01T08:15,1,\" lead\"\n"
			   "Bob,,2023-06-30,0,\"say \"\"x\"\"\"\n"
			   "\"multi\nline\",0.3333333333333333,,,plain\n"
			   ",1e-300,1999-12-31T23:59:59,1,\n";
	wb_frame *f = parse(text, 0, 1, &err);
	ok(f != NULL, "round-trip source loads (%s)", err.msg);
	char dir[] = "/tmp/wbframeXXXXXX";
	if (!f || !mkdtemp(dir))
		return;
	char path[64];
	snprintf(path, sizeof path, "%s/out.csv", dir);
	ok(wb_frame_save_csv(f, path, ',', &err) == 0, "save (%s)", err.msg);
	wb_frame *g = NULL;
	ok(wb_frame_load_csv(path, NULL, &g, NULL, &err) == 0, "load saved (%s)", err.msg);
	ok(same_frame(f, g), "saved and loaded again: the same frame");
	wb_frame_free(g);
	snprintf(path, sizeof path, "%s/out.tsv", dir);
	ok(wb_frame_save_csv(f, path, '\t', &err) == 0, "save tab-separated");
	g = NULL;
	wb_frame_load_csv(path, NULL, &g, NULL, &err);
	ok(same_frame(f, g), "tab-separated round trip");
	wb_frame_free(g);

	/* one column with missing values: an empty line would be skipped, so it is quoted */
	wb_frame *h = wb_frame_new(3);
	double x[] = {1, NAN, 3};
	wb_frame_set_column(h, "x", WB_COL_NUMERIC, x, &err);
	snprintf(path, sizeof path, "%s/one.csv", dir);
	wb_frame_save_csv(h, path, ',', &err);
	g = NULL;
	wb_frame_load_csv(path, NULL, &g, NULL, &err);
	ok(same_frame(h, g), "single column with a missing value round trip");
	wb_frame_free(g);
	wb_frame_free(h);

	wb_progress p;
	wb_progress_init(&p, "load");
	g = NULL;
	ok(wb_frame_load_csv(path, NULL, &g, &p, &err) == 0 && wb_progress_get(&p) == 1,
	   "progress reaches 1");
	wb_frame_free(g);
	wb_progress_request_cancel(&p);
	g = NULL;
	ok(wb_frame_load_csv(path, NULL, &g, &p, &err) == WB_ECANCEL && !g, "cancelled load");
	ok(wb_frame_save_csv(f, "/nonexistent-dir/x.csv", ',', &err) == WB_EIO, "save fails");
	streq(err.msg, "/nonexistent-dir/x.csv: cannot write: No such file or directory",
	      "save error message");
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ok(system(cmd) == 0, "temporary directory removed");
	wb_frame_free(f);
}

/* A file of about 3 MB, large enough to be cut in two: the two-thread path must give the
 * same frame as one thread, including a column that turns categorical only after the cut
 * and levels first seen after the cut. */
static void test_threads(void)
{
	enum { ROWS = 60000 };
	size_t cap = (size_t)ROWS * 120 + 400000;
	char *buf = malloc(cap);
	size_t len = (size_t)sprintf(buf, "id,grp,late,when,flag,note,tb\n");
	for (int i = 0; i < ROWS; i++) {
		char late[32];
		if (i == ROWS * 3 / 4 + 1)
			strcpy(late, "text");
		else
			sprintf(late, "%d.%d", i % 97, i % 7);
		len +=
		    (size_t)sprintf(buf + len, "%d,g%d,%s,2020-01-%02dT%02d:00,%s,\"n, %d\",%s\n",
				    i, i < ROWS / 2 ? i % 5 : i % 9, i % 50 ? late : "", 1 + i % 28,
				    i % 24, i % 3 ? "true" : "false", i % 11,
				    i < ROWS / 2	? (i % 2 ? "1" : "0")
				    : i == ROWS * 7 / 8 ? "x"
				    : i % 2		? "TRUE"
							: "false");
	}
	buf[len] = '\0';
	wb_err err = {0};
	wb_frame *one = parse(buf, 0, 1, &err), *two = parse(buf, 0, 2, &err),
		 *four = parse(buf, 0, 4, &err);
	ok(one && wb_frame_nrows(one) == ROWS, "big file on one thread (%s)", err.msg);
	ok(one && kind(one, "late") == WB_COL_CATEGORICAL, "late text makes it categorical");
	ok(one && wb_frame_nlevels(one, 1) == 9, "levels from both halves");
	ok(one && kind(one, "tb") == WB_COL_CATEGORICAL && wb_frame_nlevels(one, 6) == 5,
	   "0/1, then true/false, then text: 5 levels");
	streq(one ? wb_frame_level(one, 6, 2) : "", "false", "third level 'false'");
	ok(same_frame(one, two), "two threads give the same frame as one");
	ok(same_frame(one, four), "four threads give the same frame as one");
	wb_frame_free(two);
	wb_frame_free(four);
	wb_frame_free(one);

	/* a quoted field full of newlines across the middle: the cut is not at a row boundary */
	len = (size_t)sprintf(buf, "id,note\n");
	for (int i = 0; i < 20000; i++)
		len += (size_t)sprintf(buf + len, "%d,row %d\n", i, i);
	len += (size_t)sprintf(buf + len, "-1,\"");
	for (int i = 0; i < 40000; i++)
		len += (size_t)sprintf(buf + len, "x,\n");
	len += (size_t)sprintf(buf + len, "\"\n");
	for (int i = 0; i < 20000; i++)
		len += (size_t)sprintf(buf + len, "%d,row %d\n", i, i);
	one = parse(buf, 0, 1, &err);
	two = parse(buf, 0, 2, &err);
	ok(one && wb_frame_nrows(one) == 40001, "quoted newlines across the middle, one thread");
	ok(same_frame(one, two), "cut inside a quoted field: falls back to one thread");
	wb_frame_free(one);
	wb_frame_free(two);

	/* an error after the cut carries the right line */
	len = (size_t)sprintf(buf, "a,b\n");
	for (int i = 0; i < 200000; i++)
		len += (size_t)sprintf(buf + len, "%d,%d\n", i, i);
	sprintf(buf + len, "oops\n");
	ok(parse(buf, 0, 2, &err) == NULL, "ragged row in the second half");
	streq(err.msg, "t.csv:200002: row has 1 field, header has 2", "its line");
	free(buf);
}

static void test_stats(void)
{
	wb_err err = {0};
	/* Expected values from pandas 1.5.3 (Debian python3-pandas):
	 *   d = pandas.read_csv("desc.csv"); d["x"].describe(); d["b"].describe();
	 *   d["plan"].value_counts()
	 * with desc.csv holding exactly the text below. */
	wb_frame *f = parse("x,b,plan\n3.5,1,free\n1,0,premium\nNA,1,free\n7.25,1,family\n"
			    "2,,free\n10,0,\n4,1,premium\n,0,free\n6.5,0,family\n0.5,1,free\n",
			    0, 1, &err);
	ok(f != NULL, "describe data loads");
	if (!f)
		return;
	wb_colstats s;
	ok(wb_frame_column_stats(f, 0, &s, &err) == 0, "stats of x");
	ok(s.count == 8 && s.missing == 2, "x: count 8, missing 2");
	near(s.mean, 4.34375, 1e-12, "x mean (pandas)");
	near(s.sd, 3.3245233278084934, 1e-12, "x sd (pandas)");
	near(s.min, 0.5, 0, "x min");
	near(s.q1, 1.75, 1e-12, "x 25%% (pandas)");
	near(s.median, 3.75, 1e-12, "x 50%% (pandas)");
	near(s.q3, 6.6875, 1e-12, "x 75%% (pandas)");
	near(s.max, 10, 0, "x max");
	wb_frame_column_stats(f, 1, &s, &err);
	near(s.mean, 0.5555555555555556, 1e-12, "b mean (pandas)");
	near(s.sd, 0.5270462766947299, 1e-12, "b sd (pandas)");
	ok(s.q1 == 0 && s.median == 1 && s.q3 == 1, "b quartiles 0, 1, 1 (pandas)");
	ok(s.ntop == 2 && s.top[0] == 1 && s.top_count[0] == 5, "b: 1 is most frequent (5)");
	wb_frame_column_stats(f, 2, &s, &err);
	ok(s.count == 9 && s.missing == 1 && s.nlevels == 3, "plan: 9 values, 3 levels");
	ok(s.ntop == 3 && s.top[0] == 0 && s.top_count[0] == 5 && s.top_count[1] == 2 &&
	       s.top_count[2] == 2,
	   "plan top counts 5, 2, 2 (pandas value_counts)");
	ok(isnan(s.mean) && isnan(s.sd), "no mean for a categorical column");

	wb_result *r = NULL;
	ok(wb_frame_describe(f, NULL, 0, &r, &err) == 0 && r, "describe");
	if (r) {
		const char *want[] = {"column", "kind", "count", "missing", "mean", "sd",
				      "min",	"25%",	"50%",	 "75%",	    "max",  "top"};
		int names = wb_result_ncols(r) == 12;
		for (size_t k = 0; names && k < 12; k++)
			names = strcmp(wb_result_colname(r, k), want[k]) == 0;
		ok(names, "describe columns as in frame.h");
		ok(wb_result_nrows(r) == 3, "one row per column");
		char b[128];
		streq(wb_result_cell_text(r, 0, 4, b, sizeof b), "4.34375", "x mean cell");
		streq(wb_result_cell_text(r, 0, 7, b, sizeof b), "1.75", "x 25%% cell");
		streq(wb_result_cell_text(r, 2, 1, b, sizeof b), "categorical", "plan kind cell");
		streq(wb_result_cell_text(r, 2, 11, b, sizeof b),
		      "free (5), premium (2), family (2)", "plan top cell");
		streq(wb_result_cell_text(r, 2, 4, b, sizeof b), "", "plan has no mean");
		streq(wb_result_cell_text(r, 1, 11, b, sizeof b), "1 (5), 0 (4)", "binary top");
	}
	wb_result_free(r);
	size_t cols[] = {2};
	ok(wb_frame_describe(f, cols, 1, &r, &err) == 0 && wb_result_nrows(r) == 1,
	   "describe one column");
	wb_result_free(r);

	/* sorting: stable, missing last either way, categorical by level text */
	wb_frame *g = parse("v,c\n3,pear\n1,apple\n,fig\n1,apple\n3,\n2,pear\n", 0, 1, &err);
	size_t idx[6];
	wb_frame_sort_index(g, 0, 0, idx, &err);
	ok(idx[0] == 1 && idx[1] == 3 && idx[2] == 5 && idx[3] == 0 && idx[4] == 4 && idx[5] == 2,
	   "ascending, ties in row order, missing last");
	wb_frame_sort_index(g, 0, 1, idx, &err);
	ok(idx[0] == 0 && idx[1] == 4 && idx[2] == 5 && idx[3] == 1 && idx[4] == 3 && idx[5] == 2,
	   "descending, ties still in row order, missing last");
	wb_frame_sort_index(g, 1, 0, idx, &err);
	ok(idx[0] == 1 && idx[1] == 3 && idx[2] == 2 && idx[3] == 0 && idx[4] == 5 && idx[5] == 4,
	   "categorical by level text");
	wb_frame_free(g);

	g = parse("v,c\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", 0, 1, &err);
	ok(!g, "ragged");
	g = parse("v,c\n0,a\n1,b\n2,a\n3,c\n4,a\n5,b\n6,a\n7,a\n8,a\n9,\n10,a\n,b\n", 0, 1, &err);
	size_t counts[5];
	double lo, hi;
	ok(wb_frame_histogram(g, 0, 5, counts, &lo, &hi) == 5, "5 bins");
	ok(counts[0] == 2 && counts[1] == 2 && counts[2] == 2 && counts[3] == 2 && counts[4] == 3,
	   "bin counts 2 2 2 2 3 (last bin closed)");
	ok(lo == 0 && hi == 10, "range 0..10");
	ok(wb_frame_histogram(g, 1, 5, counts, &lo, &hi) == 3, "categorical: one bin per level");
	ok(counts[0] == 7 && counts[1] == 3 && counts[2] == 1, "level counts 7 3 1");
	wb_frame_free(g);
	wb_frame_free(f);
}

int main(void)
{
	test_build();
	test_kinds();
	test_quoting();
	test_numbers();
	test_roundtrip();
	test_threads();
	test_stats();
	return done();
}
