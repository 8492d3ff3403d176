/* atomicio.c — see atomicio.h. */
#include "atomicio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int wb_write_atomic(const char *path, int (*write_fn)(FILE *fp, const void *ctx, wb_err *err),
		    const void *ctx, wb_err *err)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int e = errno;
		free(tmp);
		return wb_err_set(err, WB_EIO, "%s: cannot write: %s", path, strerror(e));
	}
	/* mkstemp makes the file private; give it the mode a plain fopen would. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	FILE *fp = fdopen(fd, "w");
	if (!fp) {
		int e = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		return wb_err_set(err, WB_EIO, "%s: cannot write: %s", path, strerror(e));
	}
	int rc = write_fn(fp, ctx, err);
	int e = 0;
	if (rc == 0 && (fflush(fp) != 0 || fsync(fileno(fp)) != 0))
		e = errno;
	if (fclose(fp) != 0 && rc == 0 && !e)
		e = errno;
	if (rc == 0 && !e && rename(tmp, path) != 0)
		e = errno;
	if (rc == 0 && e)
		rc = wb_err_set(err, WB_EIO, "%s: cannot write: %s", path, strerror(e));
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}
