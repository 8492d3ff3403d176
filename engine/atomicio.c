/* atomicio.c — see atomicio.h. */
#include "atomicio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int wb_read_file(const char *path, size_t max, const char *what, char **buf, size_t *len,
		 wb_err *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return wb_err_set(err, WB_EIO, "%s: cannot open: %s", path, strerror(errno));
	char *b = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n + 65536 > cap) {
			cap = cap ? 2 * cap : 65536;
			char *nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				fclose(fp);
				return wb_err_set(err, WB_ENOMEM, "%s: out of memory", path);
			}
			b = nb;
		}
		size_t got = fread(b + n, 1, 65536, fp);
		n += got;
		if (max && n > max) {
			free(b);
			fclose(fp);
			return wb_err_set(err, WB_EINVAL, "%s: larger than %zu MB: not a %s file",
					  path, max >> 20, what);
		}
		if (got < 65536)
			break;
	}
	int bad = ferror(fp);
	fclose(fp);
	if (bad) {
		free(b);
		return wb_err_set(err, WB_EIO, "%s: read error", path);
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int wb_write_atomic(const char *path, int (*write_fn)(FILE *fp, const void *ctx, wb_err *err),
		    const void *ctx, wb_err *err)
{
	if (!path || !*path)
		return wb_err_set(err, WB_EINVAL, "no file name given");
	size_t n = strlen(path);
	char *dir = strdup(path), *base = strdup(path), *tmp = malloc(n + 32);
	int rc = 0;
	if (!dir || !base || !tmp) {
		rc = wb_err_set(err, WB_ENOMEM, "%s: out of memory", path);
		goto out;
	}
	/* A hidden temporary file beside the target, so the rename stays on one file system. */
	const char *dn = dirname(dir), *bn = basename(base);
	snprintf(tmp, n + 32, "%s/.%s.XXXXXX", dn, bn);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rc = wb_err_set(err, WB_EIO, "%s: cannot write: %s", path, strerror(errno));
		goto out;
	}
	/* Keep the mode of a file being replaced; a new file gets rw-r--r--. */
	struct stat st;
	fchmod(fd, stat(path, &st) == 0 && S_ISREG(st.st_mode) ? st.st_mode & 07777 : 0644);
	FILE *fp = fdopen(fd, "w");
	if (!fp) {
		rc = wb_err_set(err, WB_EIO, "%s: cannot write: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	rc = write_fn(fp, ctx, err);
	int e = 0;
	if (rc == 0 && (fflush(fp) != 0 || fsync(fileno(fp)) != 0))
		e = errno;
	if (fclose(fp) != 0 && rc == 0 && !e)
		e = errno;
	if (rc == 0 && !e && rename(tmp, path) != 0)
		e = errno;
	if (rc == 0 && e)
		rc = wb_err_set(err, WB_EIO, "%s: cannot write: %s", path, strerror(e));
	else if (rc == WB_EIO)
		wb_err_prefix(err, "%s", path);
	if (rc) {
		unlink(tmp);
		goto out;
	}
	/* Make the rename itself durable. */
	int dfd = open(dn, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
out:
	free(dir);
	free(base);
	free(tmp);
	return rc;
}
