/*
 * progress.h — progress reporting and cancellation for long work.
 *
 * A job running on a worker thread calls wb_progress_set as it goes and checks
 * wb_progress_cancelled; the screen reads the fraction from another thread and sets the
 * cancel flag on Ctrl-C. Every function accepts NULL (no reporting, never cancelled), so engine
 * code can take an optional `wb_progress *`.
 */
#ifndef WB_PROGRESS_H
#define WB_PROGRESS_H

#include <stdatomic.h>

typedef struct wb_progress {
	_Atomic double fraction; /* 0 .. 1 */
	atomic_int cancel;       /* set by the UI thread */
	atomic_int active;       /* 1 while a job runs */
	char label[64];          /* what is running, set before the job starts */
} wb_progress;

void wb_progress_init(wb_progress *p, const char *label);
void wb_progress_set(wb_progress *p, double fraction);
double wb_progress_get(const wb_progress *p);
void wb_progress_request_cancel(wb_progress *p);
/* Nonzero once cancellation was requested; long loops check it and return WB_ECANCEL. */
int wb_progress_cancelled(const wb_progress *p);
void wb_progress_done(wb_progress *p);

#endif
