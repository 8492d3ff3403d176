/* estimate_naive.c — the naive estimate: the difference in mean outcome between the treated
 * and the controls (OLS of the outcome on the treatment alone), the benchmark that the
 * adjusted estimates are compared with. */
#include "estimate_impl.h"

int wb_est_fit_naive(const wb_est_data *d, const wb_estimate_spec *s, wb_estimate *e, wb_err *err)
{
	int rc = wb_est_regress(d, s, e, 0, err);
	if (rc == 0 && !d->point_only)
		rc = wb_estimate_note(e, "naive: difference in means, no adjustment — confounded "
					 "unless the treatment was randomised");
	return rc;
}
