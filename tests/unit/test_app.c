/* Unit tests for the command layer: session, commands' errors, workspace files, completion. */
#include "../../app/host.h"
#include "../../app/session.h"
#include "../../app/workspace.h"
#include "../tap.h"

#include <glob.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static wb_err err;

/* Runs line; returns the error message ("" on success). */
static const char *run(wb_session *s, const char *line)
{
	wb_err_clear(&err);
	wb_session_run_line(s, line, NULL, &err);
	return err.msg;
}

static int frames_equal(const wb_frame *a, const wb_frame *b)
{
	if (wb_frame_nrows(a) != wb_frame_nrows(b) || wb_frame_ncols(a) != wb_frame_ncols(b))
		return 0;
	for (size_t j = 0; j < wb_frame_ncols(a); j++) {
		if (strcmp(wb_frame_colname(a, j), wb_frame_colname(b, j)) ||
		    wb_frame_col_kind(a, j) != wb_frame_col_kind(b, j) ||
		    wb_frame_nlevels(a, j) != wb_frame_nlevels(b, j))
			return 0;
		for (size_t k = 0; k < wb_frame_nlevels(a, j); k++)
			if (strcmp(wb_frame_level(a, j, k), wb_frame_level(b, j, k)))
				return 0;
		const double *x = wb_frame_col(a, j), *y = wb_frame_col(b, j);
		for (size_t i = 0; i < wb_frame_nrows(a); i++)
			if (!(x[i] == y[i] || (isnan(x[i]) && isnan(y[i]))))
				return 0;
	}
	return 1;
}

static void test_errors(void)
{
	wb_session *s = wb_session_new();
	streq(run(s, "lod x.csv"), "unknown command 'lod' (did you mean 'load'?)", "unknown command");
	streq(run(s, "describe"),
	      "no dataset: load one with `load PATH` or make one with `generate musicapp`",
	      "data command without data");
	streq(run(s, "generate musicapp n=10 sed=3"),
	      "generate: unknown option 'sed' (options: n, seed, p, degree)", "unknown option");
	streq(run(s, "generate musicapp n=ten"),
	      "generate: n must be a whole number from 2 to 100000000, got 'ten'", "bad number");
	streq(run(s, "load"), "load: missing argument (usage: load PATH [as NAME] [delim=C])",
	      "missing argument");
	streq(run(s, "use nowhere"), "no dataset named 'nowhere' (datasets: none)", "use unknown");
	streq(run(s, "set seed -3"), "set seed: N must be a whole number >= 0, got '-3'", "bad seed");
	streq(run(s, "help lood"), "help: no command 'lood' (did you mean 'load'?)", "help typo");
	streq(run(s, "export /tmp/x.json"), "export: no result table to export yet", "export nothing");
	streq(run(s, "load \"a b"), "column 6: unterminated \"-quoted string", "lexer error");
	streq(run(s, "generate musicapp n=100 seed=5; describe HoursOfContent"),
	      "unknown column 'HoursOfContent' (did you mean 'HoursOfContentConsumed'?)",
	      "unknown column, with a suggestion");
	streq(run(s, "derive x == 1"),
	      "derive: expected '=' after the name (usage: derive NAME = EXPRESSION)", "derive syntax");
	streq(run(s, "filter UserEngagementLevel + 1"),
	      "filter: the condition must be true or false (a comparison, and/or/not, isna), not a number",
	      "filter needs a condition");
	streq(run(s, "sort UserEngagementLevel sideways"), "sort: order must be asc or desc, got 'sideways'",
	      "sort order");
	wb_session_set_interactive(s, 1);
	streq(run(s, "quit"),
	      "quit: unsaved changes: `save workspace PATH` first, or `quit!` to discard them",
	      "quit refuses to drop unsaved work on the screen");
	ok(!wb_session_quit_requested(s), "quit refused");
	streq(run(s, "quit!"), "", "quit! quits");
	ok(wb_session_quit_requested(s), "quit requested");
	wb_session_free(s);
}

static void test_data_commands(void)
{
	wb_session *s = wb_session_new();
	streq(run(s, "set seed 11; generate musicapp n=1000"), "", "generate");
	const char *name;
	const wb_frame *f = wb_session_frame(s, &name);
	streq(name, "musicapp", "dataset named after the scenario");
	ok(f && wb_frame_nrows(f) == 1000, "1000 rows");
	streq(run(s, "derive h2 = HoursOfContentConsumed * 2; derive hi = h2 > 20"), "", "derive");
	f = wb_session_frame(s, NULL);
	long h = wb_frame_col_index(f, "HoursOfContentConsumed"), h2 = wb_frame_col_index(f, "h2");
	long hi = wb_frame_col_index(f, "hi");
	ok(h >= 0 && h2 >= 0 && hi >= 0, "derived columns exist");
	ok(wb_frame_col_kind(f, (size_t)hi) == WB_COL_BINARY, "a comparison derives a binary column");
	size_t above = 0;
	int same = 1;
	for (size_t i = 0; i < 1000; i++) {
		double x = wb_frame_col(f, (size_t)h)[i];
		same &= wb_frame_col(f, (size_t)h2)[i] == 2 * x;
		above += 2 * x > 20;
	}
	ok(same, "h2 is twice the hours");
	streq(run(s, "filter hi"), "", "filter by a binary column");
	ok(wb_frame_nrows(wb_session_frame(s, NULL)) == above, "filter kept the %zu rows above 20", above);
	streq(run(s, "sort HoursOfContentConsumed desc"), "", "sort");
	f = wb_session_frame(s, NULL);
	const double *v = wb_frame_col(f, (size_t)wb_frame_col_index(f, "HoursOfContentConsumed"));
	int sorted = 1;
	for (size_t i = 1; i < wb_frame_nrows(f); i++)
		sorted &= v[i - 1] >= v[i];
	ok(sorted, "sorted descending");
	/* The same seed gives the same data. */
	wb_session *t = wb_session_new();
	run(t, "set seed 11; generate musicapp n=1000");
	run(s, "generate musicapp n=1000 as again");
	ok(frames_equal(wb_session_frame(s, NULL), wb_session_frame(t, NULL)),
	   "same seed, same dataset in two sessions");
	wb_session_free(t);
	wb_session_free(s);
}

static void test_workspace(void)
{
	char dir[] = "/tmp/wbtest.XXXXXX";
	ok(mkdtemp(dir) != NULL, "temporary directory");
	char path[256], bad[256];
	snprintf(path, sizeof path, "%s/study.wbw", dir);
	wb_session *s = wb_session_new();
	streq(run(s, "set seed 5; generate lineardag p=4 n=50 as dag; generate musicapp n=300 as \"music app\""),
	      "", "two datasets");
	char line[512];
	snprintf(line, sizeof line, "save workspace %s", path);
	streq(run(s, line), "", "save workspace");
	ok(!wb_session_dirty(s), "saving clears the unsaved flag");

	wb_session *t = wb_session_new();
	snprintf(line, sizeof line, "open workspace %s", path);
	streq(run(t, line), "", "open workspace");
	ok(wb_session_ndatasets(t) == 2, "two datasets restored");
	int same = 1;
	for (size_t i = 0; i < 2; i++)
		same &= strcmp(wb_session_dataset_name(s, i), wb_session_dataset_name(t, i)) == 0 &&
			frames_equal(wb_session_dataset(s, i), wb_session_dataset(t, i));
	ok(same, "datasets identical after the round trip (values bit for bit, kinds, levels)");
	const char *active;
	wb_session_frame(t, &active);
	streq(active, "music app", "active dataset restored");
	ok(wb_session_seed(t) == 5, "seed restored");
	ok(wb_session_nhistory(t) == wb_session_nhistory(s) + 0 && wb_session_nhistory(t) >= 4,
	   "history restored (%zu lines)", wb_session_nhistory(t));
	streq(wb_frame_attr(wb_session_dataset(t, 0), "truth"), wb_frame_attr(wb_session_dataset(s, 0), "truth"),
	      "the planted truth travels with the data");

	/* A truncated file is refused and changes nothing. */
	FILE *in = fopen(path, "rb");
	snprintf(bad, sizeof bad, "%s/cut.wbw", dir);
	FILE *out = fopen(bad, "wb");
	char buf[200];
	size_t n = fread(buf, 1, sizeof buf, in);
	fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
	wb_session *u = wb_session_new();
	run(u, "generate musicapp n=20");
	snprintf(line, sizeof line, "open workspace %s", bad);
	ok(strstr(run(u, line), "cut.wbw:") != NULL, "truncated workspace refused: %s", err.msg);
	ok(wb_session_ndatasets(u) == 1 && wb_frame_nrows(wb_session_frame(u, NULL)) == 20,
	   "the session is unchanged after a failed open");
	/* Saving over a directory fails cleanly and leaves no temporary file behind. */
	snprintf(line, sizeof line, "save workspace %s", dir);
	ok(strstr(run(u, line), "cannot write") != NULL, "saving onto a directory fails: %s", err.msg);
	/* The temporary file would be /tmp/.wbtest.XXXXXX.XXXXXX, beside the target. */
	char pattern[300];
	snprintf(pattern, sizeof pattern, "/tmp/.%s.*", dir + 5);
	glob_t g;
	int tmpfiles = glob(pattern, 0, NULL, &g) == 0 ? (int)g.gl_pathc : 0;
	globfree(&g);
	ok(tmpfiles == 0, "no temporary file left (found %d matching %s)", tmpfiles, pattern);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ok(system(cmd) == 0, "clean up");
	wb_session_free(s);
	wb_session_free(t);
	wb_session_free(u);
}

static int has(char **cands, const char *want)
{
	for (size_t i = 0; cands && cands[i]; i++)
		if (strcmp(cands[i], want) == 0)
			return 1;
	return 0;
}

static size_t count(char **cands)
{
	size_t n = 0;
	while (cands && cands[n])
		n++;
	return n;
}

static void free_cands(char **cands)
{
	for (size_t i = 0; cands && cands[i]; i++)
		free(cands[i]);
	free(cands);
}

static void test_completion(void)
{
	wb_session *s = wb_session_new();
	run(s, "generate musicapp n=50");
	char **c = wb_host_complete(s, "lo", 0, 2);
	ok(has(c, "load") && count(c) == 1, "command name");
	free_cands(c);
	c = wb_host_complete(s, "save ", 5, 5);
	ok(has(c, "data") && has(c, "workspace") && count(c) == 2, "second word of save");
	free_cands(c);
	c = wb_host_complete(s, "describe User", 9, 13);
	ok(has(c, "UserEngagementLevel") && count(c) == 1, "column name");
	free_cands(c);
	c = wb_host_complete(s, "head; generate m", 15, 16);
	ok(has(c, "musicapp") && count(c) == 1, "scenario after ;");
	free_cands(c);
	c = wb_host_complete(s, "generate musicapp s", 18, 19);
	ok(has(c, "seed=") && count(c) == 1, "option name with =");
	free_cands(c);
	c = wb_host_complete(s, "help sa", 5, 7);
	ok(has(c, "save") && count(c) == 1, "help completes commands");
	free_cands(c);
	mkdir("/tmp/wbcomplete.d", 0700);
	c = wb_host_complete(s, "load /tmp/wbcomplete", 5, 20);
	ok(has(c, "/tmp/wbcomplete.d/"), "paths, directories with a slash");
	free_cands(c);
	rmdir("/tmp/wbcomplete.d");
	wb_session_free(s);
}

int main(void)
{
	wb_err_gsl_init();
	test_errors();
	test_data_commands();
	test_workspace();
	test_completion();
	return done();
}
