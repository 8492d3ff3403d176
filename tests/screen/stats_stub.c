/*
 * stats_stub.c — TEMPORARY weak stand-ins for the frame statistics that branch `frame` has
 * not committed yet, so the screen links. The real (strong) definitions replace these as
 * soon as they exist; this file goes away then.
 */
#include "engine/frame.h"

__attribute__((weak)) int wb_frame_column_stats(const wb_frame *f, size_t j, wb_colstats *out,
						wb_err *err)
{
	(void)f, (void)j, (void)out;
	return wb_err_set(err, WB_EINVAL, "statistics not available yet");
}

__attribute__((weak)) long wb_frame_histogram(const wb_frame *f, size_t j, size_t nbins,
					      size_t *counts, double *lo, double *hi)
{
	(void)f, (void)j, (void)nbins, (void)counts, (void)lo, (void)hi;
	return 0;
}
