/* CSV files on disk: every tests/data/bad/NAME.err holds the exact one-line message expected
 * when loading NAME.csv from that directory (a missing NAME.csv is the unreadable case);
 * tests/data/good holds files that must load to known values. */
#include "../../engine/frame.h"
#include "../tap.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int err_file(const struct dirent *d)
{
	return ends_with(d->d_name, ".err");
}

static int csv_file(const struct dirent *d)
{
	return ends_with(d->d_name, ".csv");
}

static void test_bad(const char *dir)
{
	if (!ok(chdir(dir) == 0, "chdir %s", dir))
		return;
	struct dirent **list;
	int n = scandir(".", &list, err_file, alphasort);
	ok(n >= 10, "at least 10 bad cases (%d)", n);
	for (int i = 0; i < n; i++) {
		char want[600] = "", path[300];
		FILE *fp = fopen(list[i]->d_name, "r");
		if (fp) {
			if (!fgets(want, sizeof want, fp))
				want[0] = '\0';
			fclose(fp);
		}
		want[strcspn(want, "\n")] = '\0';
		snprintf(path, sizeof path, "%.*s.csv", (int)(strlen(list[i]->d_name) - 4),
			 list[i]->d_name);
		wb_frame *f = NULL;
		wb_err err = {0};
		int rc = wb_frame_load_csv(path, NULL, &f, NULL, &err);
		ok(rc < 0 && f == NULL, "%s is refused", path);
		streq(err.msg, want, "%s message", path);
		wb_frame_free(f);
		free(list[i]);
	}
	free(list);
	/* every broken file has its expected message */
	n = scandir(".", &list, csv_file, alphasort);
	for (int i = 0; i < n; i++) {
		char e[300];
		snprintf(e, sizeof e, "%.*s.err", (int)(strlen(list[i]->d_name) - 4),
			 list[i]->d_name);
		ok(access(e, R_OK) == 0, "%s has %s", list[i]->d_name, e);
		free(list[i]);
	}
	free(list);
}

static void test_unreadable(void)
{
	char dir[] = "/tmp/wbbadXXXXXX";
	if (!ok(mkdtemp(dir) != NULL && chdir(dir) == 0, "temporary directory"))
		return;
	mkdir("dir.csv", 0755);
	wb_frame *f = NULL;
	wb_err err = {0};
	ok(wb_frame_load_csv("dir.csv", NULL, &f, NULL, &err) == WB_EIO && !f, "a directory");
	streq(err.msg, "dir.csv: cannot open: Is a directory", "directory message");
	rmdir("dir.csv");
	chdir("/");
	rmdir(dir);
}

static void test_good(const char *dir)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/semicolon.csv", dir);
	wb_frame *f = NULL;
	wb_err err = {0};
	ok(wb_frame_load_csv(path, NULL, &f, NULL, &err) == 0, "semicolon.csv loads (%s)", err.msg);
	if (!f)
		return;
	char b[64];
	ok(wb_frame_nrows(f) == 3 && wb_frame_ncols(f) == 5, "3 x 5");
	streq(wb_frame_cell_text(f, 0, 0, b, sizeof b), "Smith, Ann", "quoted comma");
	streq(wb_frame_cell_text(f, 2, 0, b, sizeof b), "Lee; Jo", "quoted semicolon");
	ok(isnan(wb_frame_col(f, 1)[1]), "empty city is missing");
	ok(wb_frame_col_kind(f, 2) == WB_COL_NUMERIC && isnan(wb_frame_col(f, 2)[1]) &&
	       wb_frame_col(f, 2)[2] == 4,
	   "score numeric with NA");
	ok(wb_frame_col_kind(f, 3) == WB_COL_DATE && isnan(wb_frame_col(f, 3)[2]), "joined date");
	ok(wb_frame_col_kind(f, 4) == WB_COL_BINARY && wb_frame_col(f, 4)[2] == 1,
	   "member binary (TRUE)");
	wb_frame_free(f);
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	char bad[PATH_MAX], good[PATH_MAX], here[PATH_MAX];
	if (!getcwd(here, sizeof here))
		return 1;
	snprintf(bad, sizeof bad, "%s/tests/data/bad", top ? top : ".");
	snprintf(good, sizeof good, "%s/tests/data/good", top ? top : ".");
	if (bad[0] != '/') { /* relative to where we started */
		char t[2 * PATH_MAX + 2];
		snprintf(t, sizeof t, "%s/%s", here, bad);
		snprintf(bad, sizeof bad, "%.*s", PATH_MAX - 1, t);
		snprintf(t, sizeof t, "%s/%s", here, good);
		snprintf(good, sizeof good, "%.*s", PATH_MAX - 1, t);
	}
	test_good(good);
	test_bad(bad);
	test_unreadable();
	return done();
}
