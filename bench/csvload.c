/*
 * csvload — loads a CSV with wb_frame_load_csv and prints what it cost: wall time, MB/s,
 * rows/s and the peak resident set size of the whole process (getrusage ru_maxrss).
 *
 *   csvload [PATH] [THREADS]      default bench/out/fans_1m.csv, 0 (the loader's default)
 */
#include "../engine/frame.h"

#include "bench_clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "bench/out/fans_1m.csv";
	wb_csv_options opt = {0, argc > 2 ? atoi(argv[2]) : 0};
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		return 1;
	}
	wb_frame *f = NULL;
	wb_err err = {0};
	double t0 = wb_bench_now();
	int rc = wb_frame_load_csv(path, &opt, &f, NULL, &err);
	double t = wb_bench_now() - t0;
	if (rc < 0) {
		fprintf(stderr, "csvload: %s\n", err.msg);
		return 1;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double mb = (double)st.st_size / 1e6;
	size_t rows = wb_frame_nrows(f), cols = wb_frame_ncols(f);
	int kinds[4] = {0};
	for (size_t j = 0; j < cols; j++)
		kinds[wb_frame_col_kind(f, j)]++;
	printf("csvload: %s: %zu rows x %zu columns (%d numeric, %d binary, %d categorical, "
	       "%d date)\n",
	       path, rows, cols, kinds[0], kinds[1], kinds[2], kinds[3]);
	printf("csvload: load %.3f s, %.1f MB/s, %.2f M rows/s, peak RSS %.1f MiB\n", t, mb / t,
	       (double)rows / t / 1e6, (double)ru.ru_maxrss / 1024.0);
	wb_frame_free(f);
	return 0;
}
