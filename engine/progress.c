/* progress.c — see progress.h. */
#include "progress.h"

#include <string.h>

void wb_progress_init(wb_progress *p, const char *label)
{
	if (!p)
		return;
	atomic_store(&p->fraction, 0.0);
	atomic_store(&p->cancel, 0);
	atomic_store(&p->active, 1);
	if (label) {
		strncpy(p->label, label, sizeof p->label - 1);
		p->label[sizeof p->label - 1] = '\0';
	} else {
		p->label[0] = '\0';
	}
}

void wb_progress_set(wb_progress *p, double fraction)
{
	if (p)
		atomic_store(&p->fraction, fraction < 0 ? 0 : fraction > 1 ? 1 : fraction);
}

double wb_progress_get(const wb_progress *p)
{
	return p ? atomic_load(&p->fraction) : 0.0;
}

void wb_progress_request_cancel(wb_progress *p)
{
	if (p)
		atomic_store(&p->cancel, 1);
}

int wb_progress_cancelled(const wb_progress *p)
{
	return p ? atomic_load(&p->cancel) : 0;
}

void wb_progress_done(wb_progress *p)
{
	if (p) {
		atomic_store(&p->fraction, 1.0);
		atomic_store(&p->active, 0);
	}
}
