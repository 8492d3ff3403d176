/* err.c — see err.h. */
#include "err.h"

#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int wb_err_set(wb_err *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

int wb_err_prefix(wb_err *err, const char *fmt, ...)
{
	if (!err)
		return WB_EINVAL;
	char out[WB_ERR_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, sizeof out, fmt, ap);
	va_end(ap);
	size_t len = n < 0 ? 0 : (size_t)n < sizeof out ? (size_t)n : sizeof out - 1;
	/* out = prefix ": " old message, cut to fit. */
	const char *parts[2] = {": ", err->msg};
	for (int k = 0; k < 2; k++) {
		size_t m = strlen(parts[k]);
		if (m > sizeof out - 1 - len)
			m = sizeof out - 1 - len;
		memcpy(out + len, parts[k], m);
		len += m;
	}
	out[len] = '\0';
	memcpy(err->msg, out, len + 1);
	return err->code;
}

void wb_err_clear(wb_err *err)
{
	if (err) {
		err->code = WB_OK;
		err->msg[0] = '\0';
	}
}

void wb_err_gsl_init(void)
{
	gsl_set_error_handler_off();
}

int wb_err_gsl(wb_err *err, int gsl_status, const char *what)
{
	return wb_err_set(err, WB_ENUMERIC, "%s: %s", what, gsl_strerror(gsl_status));
}
