/*
 * gencsv — writes the CSV loading benchmark file: 1,000,000 rows x 20 columns (~136 MB) of
 * fan data — numeric, binary (0/1 and true/false) and categorical columns, about 1% of cells
 * missing — from a fixed seed, so every run writes the same bytes.
 *
 *   gencsv [PATH] [ROWS]      default bench/out/fans_1m.csv, 1000000
 */
#include "../engine/rng.h"

#include <stdio.h>
#include <stdlib.h>

static const char *countries[] = {"United States", "Germany", "United Kingdom", "France",
				  "Brazil",	   "Mexico",  "Japan",		"Sweden",
				  "Netherlands",   "Spain",   "Italy",		"Canada",
				  "Australia",	   "India",   "South Korea",	"Poland"};
static const char *plans[] = {"free", "premium", "family", "student", "duo"};
static const char *devices[] = {"ios", "android", "web", "desktop", "smart_tv", "console"};
static const char *genres[] = {"pop",	"rock",	  "hiphop",  "jazz",	   "classical",
			       "latin", "metal",  "country", "electronic", "k-pop",
			       "indie", "reggae", "soul",    "blues",	   "folk"};
#define N(a) (sizeof a / sizeof a[0])

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "bench/out/fans_1m.csv";
	long rows = argc > 2 ? atol(argv[2]) : 1000000;
	FILE *fp = fopen(path, "w");
	if (!fp) {
		perror(path);
		return 1;
	}
	static char buf[1 << 20];
	setvbuf(fp, buf, _IOFBF, sizeof buf);
	wb_rng *r = wb_rng_new(20240601);
	fputs("user_id,age,country,plan,device,favourite_genre,tenure_days,sessions_week,"
	      "minutes_day,skip_ratio,spend_month,concerts_year,bought_merch,churned,saved_album,"
	      "promo_opt_in,engagement_score,lifetime_value,referrals,segment\n",
	      fp);
	for (long i = 0; i < rows; i++) {
		char cell[20][48];
		snprintf(cell[0], 48, "%ld", 10000000 + i);
		snprintf(cell[1], 48, "%lu", 16 + wb_rng_int(r, 60));
		snprintf(cell[2], 48, "%s", countries[wb_rng_int(r, N(countries))]);
		snprintf(cell[3], 48, "%s", plans[wb_rng_int(r, N(plans))]);
		snprintf(cell[4], 48, "%s", devices[wb_rng_int(r, N(devices))]);
		snprintf(cell[5], 48, "%s", genres[wb_rng_int(r, N(genres))]);
		snprintf(cell[6], 48, "%lu", wb_rng_int(r, 3650));
		snprintf(cell[7], 48, "%.2f", wb_rng_gamma(r, 2, 3));
		snprintf(cell[8], 48, "%.5f", wb_rng_gamma(r, 3, 25));
		snprintf(cell[9], 48, "%.6f", wb_rng_beta(r, 2, 5));
		snprintf(cell[10], 48, "%.3f", wb_rng_gamma(r, 2, 6));
		snprintf(cell[11], 48, "%u", wb_rng_poisson(r, 1.5));
		snprintf(cell[12], 48, "%d", wb_rng_bernoulli(r, 0.2));
		snprintf(cell[13], 48, "%d", wb_rng_bernoulli(r, 0.1));
		snprintf(cell[14], 48, "%d", wb_rng_bernoulli(r, 0.4));
		snprintf(cell[15], 48, "%s", wb_rng_bernoulli(r, 0.3) ? "true" : "false");
		snprintf(cell[16], 48, "%.9f", wb_rng_normal(r, 0, 1));
		snprintf(cell[17], 48, "%.6f", wb_rng_gamma(r, 2, 400));
		snprintf(cell[18], 48, "%u", wb_rng_poisson(r, 0.7));
		snprintf(cell[19], 48, "lifecycle_segment_%03lu", wb_rng_int(r, 250));
		for (int j = 0; j < 20; j++) {
			/* about 1% missing, never in the id column */
			int missing = j > 0 && wb_rng_bernoulli(r, 0.01);
			fputs(missing ? "" : cell[j], fp);
			fputc(j < 19 ? ',' : '\n', fp);
		}
	}
	wb_rng_free(r);
	if (fclose(fp) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}
