/*
 * err.h — error codes and the one-line error buffer every engine call fills.
 *
 * Engine functions return 0 on success or a negative WB_E* code, and on failure write one
 * human line into a caller-supplied wb_err: what went wrong and where
 * ("fans.csv:1043: row has 7 fields, header has 8"). The engine never prints and never exits.
 */
#ifndef WB_ERR_H
#define WB_ERR_H

#include <stddef.h>

enum {
	WB_OK = 0,
	WB_EINVAL = -1,  /* bad argument or bad input data */
	WB_ENOMEM = -2,  /* allocation failed */
	WB_EIO = -3,     /* file could not be read or written */
	WB_EPARSE = -4,  /* malformed file or expression */
	WB_ENUMERIC = -5, /* singular matrix, no convergence, empty group ... */
	WB_ECANCEL = -6, /* cancelled through wb_progress */
	WB_ENOTFOUND = -7 /* unknown name (column, dataset, command) */
};

#define WB_ERR_MAX 512

typedef struct wb_err {
	int code;
	char msg[WB_ERR_MAX];
} wb_err;

/* Sets err (if not NULL) to code and a printf-formatted message; returns code, so a caller can
 * write `return wb_err_set(err, WB_EINVAL, "...")`. */
int wb_err_set(wb_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes the message already in err with "prefix: " (e.g. a file name). Returns err->code. */
int wb_err_prefix(wb_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clears err to WB_OK and an empty message. */
void wb_err_clear(wb_err *err);

/* Switches off GSL's aborting error handler; call once at program start. Engine code then
 * checks GSL status codes itself and turns them into wb_err messages with wb_err_gsl. */
void wb_err_gsl_init(void);

/* Sets err from a GSL status: "<what>: <gsl_strerror(status)>"; returns WB_ENUMERIC. */
int wb_err_gsl(wb_err *err, int gsl_status, const char *what);

#endif
