/*
 * frame_csv.c — CSV in and out of a wb_frame, through libcsv. See frame.h.
 *
 * Loading streams the input in 1 MiB blocks through libcsv (RFC 4180 quoting, strict mode) and
 * writes each field straight into its column array; the arrays are sized from an estimate of
 * the row count and grown by realloc. A file of a few MiB or more is cut at newlines into one
 * piece per thread, each piece parsed by its own libcsv parser; a cut is trusted only if the
 * parser before it ends the piece cleanly (not inside a quoted field), otherwise the whole file
 * is parsed again on one thread. The pieces are then joined column by column (level tables
 * remapped into one, arrays concatenated while the pieces are freed) so the peak stays close
 * to the size of the column data.
 *
 * Kinds are inferred per column while parsing: numbers, 0/1/true/false (binary), ISO 8601
 * dates, and anything else text (categorical, levels in first-seen order). A column that meets
 * text after numbers (or dates, or true/false) turns categorical: the earlier values become
 * levels by their shortest text ("007" comes back as "7", TRUE as "true", a 1 among true/false
 * as "1"), and so do numbers,
 * dates and true/false met later in a categorical column (see store_text).
 *
 * Spaces and tabs around unquoted fields are trimmed (libcsv's default); in a tab-separated
 * file only spaces are, since a tab there is the delimiter. Lines holding nothing but
 * whitespace are skipped, like empty lines.
 *
 * Line numbers in messages are physical lines (1-based) where the offending row starts. They
 * are found only when an error happens, by parsing the file again up to that row.
 */
#include "frame_impl.h"
#include "parallel.h"

#include "atomicio.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK ((size_t)1 << 20)	  /* bytes handed to libcsv at a time */
#define SAMPLE ((size_t)64 << 10) /* bytes looked at to choose the delimiter */
#ifndef WB_CSV_MIN_SPLIT	  /* the fuzzing build lowers it to reach the threaded paths */
#define WB_CSV_MIN_SPLIT ((size_t)1 << 20)
#endif
#define MIN_SPLIT WB_CSV_MIN_SPLIT /* smaller inputs are parsed on one thread */
#define MAX_PIECES 8 /* an input is cut into at most this many pieces, a thread each */
#define CSV_OPTS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)

/* ---- where the bytes come from ---- */

typedef struct src {
	const char *name; /* for messages */
	int fd;		  /* -1: the bytes are in mem */
	const char *mem;
	size_t size;
} src;

/* Points *p at up to n bytes at offset off (read into buf for a file). Returns the number of
 * bytes available (0 at the end) or -1 with errno set. */
static long src_get(const src *s, size_t off, char *buf, size_t n, const char **p)
{
	if (off >= s->size)
		return 0;
	if (n > s->size - off)
		n = s->size - off;
	if (s->fd < 0) {
		*p = s->mem + off;
		return (long)n;
	}
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(s->fd, buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	*p = buf;
	return (long)got;
}

/* ---- level tables: text -> code, first-seen order ---- */

typedef struct lvtab {
	uint32_t *slot; /* cap entries: 0 empty, else code + 1 */
	size_t cap;	/* power of two */
	size_t n, ncap; /* levels */
	size_t *off;	/* level k's text at arena + off[k], NUL-terminated */
	uint32_t *len, *hash;
	char *arena;
	size_t alen, acap;
} lvtab;

static void lv_free(lvtab *t)
{
	free(t->slot);
	free(t->off);
	free(t->len);
	free(t->hash);
	free(t->arena);
	memset(t, 0, sizeof *t);
}

/* FNV-1a (Fowler, Noll, Vo), 32 bits. */
static uint32_t fnv1a(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static const char *lv_text(const lvtab *t, size_t k)
{
	return t->arena + t->off[k];
}

static int lv_rehash(lvtab *t, size_t cap)
{
	uint32_t *slot = calloc(cap, sizeof *slot);
	if (!slot)
		return WB_ENOMEM;
	for (size_t k = 0; k < t->n; k++) {
		size_t i = t->hash[k] & (cap - 1);
		while (slot[i])
			i = (i + 1) & (cap - 1);
		slot[i] = (uint32_t)k + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
	return 0;
}

/* Code of s, adding it as a new level if unseen (*added = 1). -1 if out of memory or past
 * 2^32 - 2 levels. */
static long lv_code(lvtab *t, const char *s, size_t len, int *added)
{
	*added = 0;
	if (len >= UINT32_MAX)
		return -1;
	uint32_t h = fnv1a(s, len);
	if (t->cap) {
		size_t i = h & (t->cap - 1);
		for (; t->slot[i]; i = (i + 1) & (t->cap - 1)) {
			size_t k = t->slot[i] - 1;
			if (t->hash[k] == h && t->len[k] == len &&
			    memcmp(lv_text(t, k), s, len) == 0)
				return (long)k;
		}
	}
	if (t->n >= UINT32_MAX - 1)
		return -1;
	if (2 * (t->n + 1) > t->cap && lv_rehash(t, t->cap ? 2 * t->cap : 16) < 0)
		return -1;
	if (t->n == t->ncap) {
		size_t nc = t->ncap ? 2 * t->ncap : 16;
		size_t *off = realloc(t->off, nc * sizeof *off);
		if (off)
			t->off = off;
		uint32_t *ln = off ? realloc(t->len, nc * sizeof *ln) : NULL;
		if (ln)
			t->len = ln;
		uint32_t *hs = ln ? realloc(t->hash, nc * sizeof *hs) : NULL;
		if (!hs)
			return -1;
		t->hash = hs;
		t->ncap = nc;
	}
	if (t->alen + len + 1 > t->acap) {
		size_t ac = t->acap ? t->acap : 256;
		while (ac < t->alen + len + 1)
			ac *= 2;
		char *a = realloc(t->arena, ac);
		if (!a)
			return -1;
		t->arena = a;
		t->acap = ac;
	}
	memcpy(t->arena + t->alen, s, len);
	t->arena[t->alen + len] = '\0';
	size_t k = t->n++;
	t->off[k] = t->alen;
	t->len[k] = (uint32_t)len;
	t->hash[k] = h;
	t->alen += len + 1;
	size_t i = h & (t->cap - 1);
	while (t->slot[i])
		i = (i + 1) & (t->cap - 1);
	t->slot[i] = (uint32_t)k + 1;
	*added = 1;
	return (long)k;
}

/* ---- field text ---- */

/* 1 if s is valid UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF) and
 * holds no NUL byte. */
static int utf8_ok(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		if (c >= 0x01 && c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			n = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0)
				lo = 0xA0;
			if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0)
				lo = 0x90;
			if (c == 0xF4)
				hi = 0x8F;
		} else
			return 0; /* NUL, continuation byte, C0/C1 or F5..FF lead */
		if (len - i - 1 < n || s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (size_t k = 2; k <= n; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return 0;
		i += n + 1;
	}
	return 1;
}

static int is_missing(const char *s, size_t len)
{
	switch (len) {
	case 0:
		return 1;
	case 2:
		return s[0] == 'N' && s[1] == 'A';
	case 3:
		return memcmp(s, "N/A", 3) == 0 || memcmp(s, "NaN", 3) == 0 ||
		       memcmp(s, "nan", 3) == 0;
	case 4:
		return memcmp(s, "null", 4) == 0 || memcmp(s, "NULL", 4) == 0 ||
		       memcmp(s, "None", 4) == 0;
	}
	return 0;
}

/* 1 (true), 0 (false) or -1 (neither), any letter case. */
static int bool_word(const char *s, size_t len)
{
	if ((s[0] | 0x20) != 't' && (s[0] | 0x20) != 'f') /* cheap rejection of most text */
		return -1;
	if (len == 4 && strncasecmp(s, "true", 4) == 0)
		return 1;
	if (len == 5 && strncasecmp(s, "false", 5) == 0)
		return 0;
	return -1;
}

static const double pow10_exact[] = {1e0,  1e1,	 1e2,  1e3,  1e4,  1e5,	 1e6,  1e7,
				     1e8,  1e9,	 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
				     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Parses the whole of s (len bytes, NUL-terminated at s[len]) as a decimal number
 * [+-]digits[.digits][(e|E)[+-]digits] or [+-]inf/infinity. Returns 1 and sets *out, or 0.
 * Fast path (Clinger 1990, "How to read floating point numbers accurately"): a decimal
 * significand w <= 2^53 and a power of ten 10^e with |e| <= 22 are both exact doubles, so
 * w * 10^e or w / 10^e is one correctly rounded operation. Everything else goes to strtod_l in
 * the C locale, which rounds correctly. */
static int parse_number(const char *s, size_t len, locale_t c_locale, double *out)
{
	const char *p = s, *e = s + len;
	int neg = 0;
	if (p < e && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	uint64_t w = 0;
	int nd = 0, exp10 = 0, inexact = 0, digits = 0;
	for (; p < e && (unsigned)(*p - '0') < 10; p++) {
		unsigned d = (unsigned)(*p - '0');
		digits = 1;
		if (nd < 19) {
			w = w * 10 + d;
			nd += w != 0;
		} else {
			exp10++;
			inexact |= d != 0;
		}
	}
	if (p < e && *p == '.') {
		for (p++; p < e && (unsigned)(*p - '0') < 10; p++) {
			unsigned d = (unsigned)(*p - '0');
			digits = 1;
			if (nd < 19) {
				w = w * 10 + d;
				nd += w != 0;
				exp10--;
			} else {
				inexact |= d != 0;
			}
		}
	}
	if (!digits) {
		size_t rest = (size_t)(e - p);
		if ((rest != 3 && rest != 8) || (*p | 0x20) != 'i')
			return 0;
		if ((rest == 3 && strncasecmp(p, "inf", 3) == 0) ||
		    (rest == 8 && strncasecmp(p, "infinity", 8) == 0)) {
			*out = neg ? -INFINITY : INFINITY;
			return 1;
		}
		return 0;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		int eneg = 0, ed = 0;
		long ex = 0;
		if (p < e && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		for (; p < e && (unsigned)(*p - '0') < 10; p++, ed = 1)
			if (ex < 100000)
				ex = ex * 10 + (*p - '0');
		if (!ed)
			return 0;
		exp10 += (int)(eneg ? -ex : ex);
	}
	if (p != e)
		return 0;
	double x;
	if (!inexact && w <= ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22) {
		x = (double)w;
		x = exp10 < 0 ? x / pow10_exact[-exp10] : x * pow10_exact[exp10];
		*out = neg ? -x : x;
	} else {
		*out = strtod_l(s, NULL, c_locale);
	}
	return 1;
}

static int two_digits(const char *s, unsigned *v)
{
	if ((unsigned)(s[0] - '0') > 9 || (unsigned)(s[1] - '0') > 9)
		return 0;
	*v = (unsigned)(s[0] - '0') * 10 + (unsigned)(s[1] - '0');
	return 1;
}

/* ISO 8601 calendar date YYYY-MM-DD, optionally followed by 'T' or ' ' and HH:MM or HH:MM:SS.
 * Returns 1 and days since 1970-01-01 (fractional for the time of day), or 0. */
static int parse_date(const char *s, size_t len, double *out)
{
	if ((len != 10 && len != 16 && len != 19) || s[4] != '-' || s[7] != '-')
		return 0;
	unsigned yh, yl, m, d, hh = 0, mi = 0, ss = 0;
	if (!two_digits(s, &yh) || !two_digits(s + 2, &yl) || !two_digits(s + 5, &m) ||
	    !two_digits(s + 8, &d))
		return 0;
	unsigned y = yh * 100 + yl;
	static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return 0;
	if (len >= 16) {
		if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':' || !two_digits(s + 11, &hh) ||
		    !two_digits(s + 14, &mi) || hh > 23 || mi > 59)
			return 0;
		if (len == 19 && (s[16] != ':' || !two_digits(s + 17, &ss) || ss > 59))
			return 0;
	}
	*out = (double)wb_frame_days_from_civil(y, m, d) + (hh * 3600 + mi * 60 + ss) / 86400.0;
	return 1;
}

/* ---- parsing a piece of the file ---- */

enum { ST_EMPTY, ST_NUM, ST_BOOL, ST_DATE, ST_CAT }; /* what a column has held so far */

typedef struct pcol {
	int st;
	int all01; /* ST_NUM: every number was 0 or 1 */
	/* ST_BOOL keeps numbers as 0 and 1 but words as 2 (false) and 3 (true), so that if the
	 * column turns categorical each value gets back the kind of text it came from, whatever
	 * piece of the file it was in; join_column brings 2 and 3 down to 0 and 1. */
	double *v;
	lvtab lv; /* ST_CAT */
} pcol;

enum { E_NONE, E_RAGGED, E_UTF8, E_QUOTE, E_UNTERM, E_NOMEM, E_IO, E_CANCEL };

typedef struct job job;

typedef struct piece {
	job *jb;
	int index;
	size_t begin, end; /* byte range */
	int in_header;	   /* the first row of this piece is the header */
	pcol *cols;	   /* v: this piece's slice of the column arrays, from row base */
	size_t base, nrows, cap;
	size_t field;	  /* fields seen in the current row */
	size_t rows_seen; /* rows completed, the header included */
	int err, err_no;  /* E_*, errno for E_IO */
	size_t erow, efield, ecount;
	int unclean; /* the piece ended inside a quoted field */
	char *buf;
} piece;

struct job {
	src in;
	char delim;
	size_t data_start; /* after a BOM */
	size_t ncols;
	locale_t c_locale;
	wb_progress *progress;
	atomic_size_t done;   /* bytes parsed, all pieces */
	atomic_int first_err; /* lowest piece index with an error; pieces after it stop */
	atomic_int cancelled;
};

static void piece_fail(piece *c, int kind, size_t field)
{
	if (c->err)
		return;
	c->err = kind;
	c->erow = c->rows_seen;
	c->efield = field;
	int cur = atomic_load(&c->jb->first_err);
	while (c->index < cur && !atomic_compare_exchange_weak(&c->jb->first_err, &cur, c->index))
		;
}

/* Turns column p (n rows so far) into a categorical one: its values become levels by their
 * text, in first-seen order. */
static int to_categorical(pcol *p, size_t n)
{
	if (p->st == ST_CAT)
		return 0;
	char b[64];
	for (size_t i = 0; i < n; i++) {
		double x = p->v[i];
		if (isnan(x))
			continue;
		static const char *const bools[] = {"0", "1", "false", "true"};
		const char *t = p->st == ST_BOOL   ? bools[(int)x & 3]
				: p->st == ST_DATE ? wb_frame_fmt_date(x, b, sizeof b)
						   : wb_fmt_num(x, 0, b, sizeof b);
		int added;
		long k = lv_code(&p->lv, t, strlen(t), &added);
		if (k < 0)
			return WB_ENOMEM;
		p->v[i] = (double)k;
	}
	p->st = ST_CAT;
	return 0;
}

/* Stores a field of a categorical column. Numbers, dates and true/false take their canonical
 * text (shortest round-trip number, ISO date, lower-case word) so a level does not depend on
 * where in the file the column turned categorical — nor on how the file was cut for threads. */
static void store_text(piece *c, size_t j, const char *s, size_t len)
{
	pcol *p = &c->cols[j];
	if (is_missing(s, len)) {
		p->v[c->nrows] = NAN;
		return;
	}
	char b[64];
	double x;
	int bw = -1;
	if (parse_number(s, len, c->jb->c_locale, &x))
		s = wb_fmt_num(x, 0, b, sizeof b);
	else if (parse_date(s, len, &x))
		s = wb_frame_fmt_date(x, b, sizeof b);
	else if ((bw = bool_word(s, len)) >= 0)
		s = bw ? "true" : "false";
	if (s == b || bw >= 0)
		len = strlen(s);
	int added;
	long k = lv_code(&p->lv, s, len, &added);
	if (k < 0) {
		piece_fail(c, E_NOMEM, j);
		return;
	}
	/* Only new levels need checking: a known one matched bytes already checked. */
	if (added && !utf8_ok((const unsigned char *)s, len)) {
		piece_fail(c, E_UTF8, j);
		return;
	}
	p->v[c->nrows] = (double)k;
}

static void store_field(piece *c, size_t j, const char *s, size_t len)
{
	pcol *p = &c->cols[j];
	double *dst = &p->v[c->nrows];
	double x;
	if (p->st == ST_CAT) {
		store_text(c, j, s, len);
		return;
	}
	if (len && parse_number(s, len, c->jb->c_locale, &x)) {
		int is01 = x == 0 || x == 1;
		if (p->st == ST_NUM) {
			*dst = x;
			p->all01 &= is01;
			return;
		}
		if (p->st == ST_EMPTY) {
			p->st = ST_NUM;
			p->all01 = is01;
			*dst = x;
			return;
		}
		if (p->st == ST_BOOL && is01) {
			*dst = x;
			return;
		}
	} else if (is_missing(s, len)) {
		*dst = NAN;
		return;
	} else if (parse_date(s, len, &x)) {
		if (p->st == ST_EMPTY || p->st == ST_DATE) {
			p->st = ST_DATE;
			*dst = x;
			return;
		}
	} else {
		int b = bool_word(s, len);
		if (b >= 0 &&
		    (p->st == ST_EMPTY || p->st == ST_BOOL || (p->st == ST_NUM && p->all01))) {
			p->st = ST_BOOL;
			*dst = 2 + b;
			return;
		}
	}
	if (to_categorical(p, c->nrows) < 0) {
		piece_fail(c, E_NOMEM, j);
		return;
	}
	store_text(c, j, s, len);
}

static void on_field(void *s, size_t len, void *data)
{
	piece *c = data;
	if (c->err)
		return;
	size_t j = c->field++;
	if (j < c->jb->ncols && !c->in_header)
		store_field(c, j, s, len);
}

static void on_row(int term, void *data)
{
	piece *c = data;
	if (c->err)
		return;
	if (c->field != c->jb->ncols) {
		piece_fail(c, E_RAGGED, 0);
		c->ecount = c->field;
		return;
	}
	c->field = 0;
	c->rows_seen++;
	if (c->in_header) {
		c->in_header = 0;
		return;
	}
	if (++c->nrows == c->cap) /* cannot happen: cap counts every line end (count_ends) */
		piece_fail(c, E_NOMEM, 0);
}

/* Treats only ' ' as space: in a tab-separated file the tab is the delimiter. */
static int space_only(unsigned char c)
{
	return c == ' ';
}

static void parser_init(struct csv_parser *p, const job *jb, unsigned char extra)
{
	csv_init(p, CSV_OPTS | extra);
	csv_set_delim(p, (unsigned char)jb->delim);
	if (jb->delim == '\t')
		csv_set_space_func(p, space_only);
	csv_set_blk_size(p, 4096);
}

static int job_stopped(job *jb, int index)
{
	return atomic_load(&jb->cancelled) || atomic_load(&jb->first_err) < index;
}

/* The next block of piece c at off into *data: its length, or 0 at the end of the piece, on a
 * read error (recorded in c), on cancellation or when an earlier piece failed. */
static size_t piece_block(piece *c, size_t off, const char **data)
{
	job *jb = c->jb;
	if (off >= c->end || c->err || job_stopped(jb, c->index))
		return 0;
	if (wb_progress_cancelled(jb->progress)) {
		atomic_store(&jb->cancelled, 1);
		return 0;
	}
	long n = src_get(&jb->in, off, c->buf, c->end - off < BLOCK ? c->end - off : BLOCK, data);
	if (n < 0) {
		c->err_no = errno;
		piece_fail(c, E_IO, 0);
		return 0;
	}
	return (size_t)n;
}

static void piece_run(piece *c)
{
	job *jb = c->jb;
	struct csv_parser p;
	parser_init(&p, jb, 0);
	size_t off = c->begin, n;
	const char *data;
	while ((n = piece_block(c, off, &data)) > 0) {
		size_t used = csv_parse(&p, data, (size_t)n, on_field, on_row, c);
		if (used != (size_t)n && !c->err)
			piece_fail(c, csv_error(&p) == CSV_EPARSE ? E_QUOTE : E_NOMEM, c->field);
		off += (size_t)n;
		size_t done = atomic_fetch_add(&jb->done, (size_t)n) + (size_t)n;
		wb_progress_set(jb->progress, (double)done / (double)(jb->in.size + 1));
	}
	if (!c->err && !job_stopped(jb, c->index) && off >= c->end) {
		if (csv_fini(&p, on_field, on_row, c) != 0)
			c->unclean = 1;
	}
	csv_free(&p);
}

static void piece_free(piece *c, size_t ncols)
{
	if (c->cols)
		for (size_t j = 0; j < ncols; j++)
			lv_free(&c->cols[j].lv);
	free(c->cols);
	free(c->buf);
	memset(c, 0, sizeof *c);
}

static int piece_init(piece *c, job *jb, int index, size_t begin, size_t end)
{
	memset(c, 0, sizeof *c);
	c->jb = jb;
	c->index = index;
	c->begin = begin;
	c->end = end;
	c->in_header = begin == jb->data_start;
	c->cols = calloc(jb->ncols ? jb->ncols : 1, sizeof *c->cols);
	if (!c->cols)
		return WB_ENOMEM;
	if (jb->in.fd >= 0 && !(c->buf = malloc(BLOCK)))
		return WB_ENOMEM;
	return 0;
}

/* Counts the line ends (LF, and CR not followed by LF) in the piece: a row ends at one of them
 * or at the end of the input, so cap = ends + 1 bounds the rows the piece can hold and the
 * column arrays never need to grow (nor move while threads write into them). */
static void count_ends(piece *c)
{
	size_t ends = 0, off = c->begin, n;
	const char *data;
	for (; (n = piece_block(c, off, &data)) > 0; off += n) {
		const char *e = data + n;
		for (const char *q = data; (q = memchr(q, '\n', (size_t)(e - q))); q++)
			ends++;
		for (const char *q = data; (q = memchr(q, '\r', (size_t)(e - q))); q++)
			ends += q + 1 == e || q[1] != '\n';
	}
	c->cap = ends + 2;
}

/* ---- line numbers, found again on error ---- */

typedef struct linescan {
	size_t target; /* row index, the header being row 0 */
	size_t rows, lines, row_line;
	int in_row, after_cr, found;
	size_t line;
} linescan;

static void ls_field(void *s, size_t len, void *data)
{
	linescan *l = data;
	if (l->found)
		return;
	if (!l->in_row) {
		l->in_row = 1;
		l->row_line = l->lines + 1;
		l->after_cr = 0;
	}
	for (const char *q = s; (q = memchr(q, '\n', len - (size_t)(q - (const char *)s))); q++)
		l->lines++;
}

static void ls_row(int term, void *data)
{
	linescan *l = data;
	if (l->found)
		return;
	int was_row = l->in_row;
	if (was_row) {
		if (l->rows == l->target) {
			l->found = 1;
			l->line = l->row_line;
			return;
		}
		l->rows++;
		l->in_row = 0;
	}
	if (term == '\n' && !was_row && l->after_cr) { /* the LF of a CRLF */
		l->after_cr = 0;
		return;
	}
	if (term == '\n' || term == '\r')
		l->lines++;
	l->after_cr = term == '\r';
}

/* Physical line (1-based) where row `row` starts, the header being row 0. */
static size_t line_of_row(const job *jb, size_t row)
{
	linescan l = {.target = row};
	struct csv_parser p;
	parser_init(&p, jb, CSV_REPALL_NL);
	char *buf = jb->in.fd >= 0 ? malloc(BLOCK) : NULL;
	size_t off = jb->data_start;
	while (!l.found && (buf || jb->in.fd < 0)) {
		const char *data;
		long n = src_get(&jb->in, off, buf, BLOCK, &data);
		if (n <= 0)
			break;
		if (csv_parse(&p, data, (size_t)n, ls_field, ls_row, &l) != (size_t)n)
			break;
		off += (size_t)n;
	}
	csv_free(&p);
	free(buf);
	if (l.found)
		return l.line;
	return l.in_row ? l.row_line : l.lines + 1;
}

/* ---- header and delimiter ---- */

typedef struct rowcount {
	size_t fields, rows, counts[64];
} rowcount;

static void rc_field(void *s, size_t len, void *data)
{
	((rowcount *)data)->fields++;
}

static void rc_row(int term, void *data)
{
	rowcount *r = data;
	if (r->rows < 64)
		r->counts[r->rows] = r->fields;
	r->rows++;
	r->fields = 0;
}

/* Chooses among ',', ';' and '\t' the delimiter that splits the sample's rows into the same
 * number (> 1) of fields, the most fields winning; else the one giving the header the most
 * fields; else ','. */
static char detect_delim(const char *sample, size_t len, int whole)
{
	static const char cand[] = {',', ';', '\t'};
	char best = ',', fallback = ',';
	size_t best_n = 1, fallback_n = 1;
	for (int c = 0; c < 3; c++) {
		rowcount r = {0};
		struct csv_parser p;
		job tmp = {.delim = cand[c]};
		parser_init(&p, &tmp, 0);
		size_t used = csv_parse(&p, sample, len, rc_field, rc_row, &r);
		if (whole && used == len)
			csv_fini(&p, rc_field, rc_row, &r);
		csv_free(&p);
		size_t n = r.rows < 64 ? r.rows : 64;
		if (n == 0)
			continue;
		int same = 1;
		for (size_t i = 1; i < n; i++)
			same &= r.counts[i] == r.counts[0];
		if (same && r.counts[0] > best_n) {
			best = cand[c];
			best_n = r.counts[0];
		}
		if (r.counts[0] > fallback_n) {
			fallback = cand[c];
			fallback_n = r.counts[0];
		}
	}
	return best_n > 1 ? best : fallback;
}

typedef struct header {
	char **names;
	size_t n, cap;
	int done, oom;
} header;

static void hd_field(void *s, size_t len, void *data)
{
	header *h = data;
	if (h->done || h->oom)
		return;
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 16;
		char **nm = realloc(h->names, cap * sizeof *nm);
		if (!nm) {
			h->oom = 1;
			return;
		}
		h->names = nm;
		h->cap = cap;
	}
	/* a NUL inside a name is kept as a byte so the UTF-8 check sees it */
	char *d = malloc(len + 2);
	if (!d) {
		h->oom = 1;
		return;
	}
	memcpy(d, s, len);
	d[len] = '\0';
	d[len + 1] = (char)(memchr(s, '\0', len) != NULL);
	h->names[h->n++] = d;
}

static void hd_row(int term, void *data)
{
	((header *)data)->done = 1;
}

static void header_free(header *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->names[i]);
	free(h->names);
	memset(h, 0, sizeof *h);
}

/* ---- the loader ---- */

static int fail_at(const job *jb, wb_err *err, int code, size_t row, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail_at(const job *jb, wb_err *err, int code, size_t row, const char *fmt, ...)
{
	char msg[WB_ERR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return wb_err_set(err, code, "%s:%zu: %s", jb->in.name, line_of_row(jb, row), msg);
}

/* Reads the header row into h. */
static int read_header(job *jb, header *h, wb_err *err)
{
	struct csv_parser p;
	parser_init(&p, jb, 0);
	char *buf = jb->in.fd >= 0 ? malloc(BLOCK) : NULL;
	if (jb->in.fd >= 0 && !buf)
		return wb_err_set(err, WB_ENOMEM, "%s: out of memory", jb->in.name);
	size_t off = jb->data_start;
	int rc = 0, bad_quote = 0;
	while (!h->done && !h->oom) {
		const char *data;
		long n = src_get(&jb->in, off, buf, BLOCK, &data);
		if (n < 0) {
			rc = wb_err_set(err, WB_EIO, "%s: cannot read: %s", jb->in.name,
					strerror(errno));
			break;
		}
		if (n == 0) {
			if (csv_fini(&p, hd_field, hd_row, h) != 0)
				bad_quote = 2;
			break;
		}
		if (csv_parse(&p, data, (size_t)n, hd_field, hd_row, h) != (size_t)n && !h->done) {
			bad_quote = csv_error(&p) == CSV_EPARSE ? 1 : 3;
			break;
		}
		off += (size_t)n;
	}
	csv_free(&p);
	free(buf);
	if (rc)
		return rc;
	if (h->oom || bad_quote == 3)
		return wb_err_set(err, WB_ENOMEM, "%s: out of memory", jb->in.name);
	if (bad_quote == 1)
		return fail_at(jb, err, WB_EPARSE, 0, "stray quote in field %zu", h->n + 1);
	if (bad_quote == 2)
		return fail_at(jb, err, WB_EPARSE, 0, "unterminated quoted field");
	if (h->n == 0)
		return wb_err_set(err, WB_EPARSE, "%s: file is empty", jb->in.name);
	return 0;
}

static int check_header(job *jb, const header *h, wb_err *err)
{
	size_t numeric = 0;
	for (size_t i = 0; i < h->n; i++) {
		const char *s = h->names[i];
		size_t len = strlen(s);
		if (s[len + 1] || !utf8_ok((const unsigned char *)s, len))
			return fail_at(jb, err, WB_EPARSE, 0, "invalid UTF-8 in field %zu", i + 1);
		double x;
		numeric += len && parse_number(s, len, jb->c_locale, &x);
	}
	if (numeric == h->n)
		return fail_at(jb, err, WB_EPARSE, 0, "no header: the first row is all numbers");
	for (size_t i = 0; i < h->n; i++)
		if (!h->names[i][0])
			return fail_at(jb, err, WB_EPARSE, 0,
				       "header has an empty column name (column %zu)", i + 1);
	lvtab seen = {0};
	int rc = 0;
	for (size_t i = 0; i < h->n && !rc; i++) {
		int added;
		long k = lv_code(&seen, h->names[i], strlen(h->names[i]), &added);
		if (k < 0)
			rc = wb_err_set(err, WB_ENOMEM, "%s: out of memory", jb->in.name);
		else if (!added)
			rc = fail_at(jb, err, WB_EPARSE, 0,
				     "duplicate column name '%s' (columns %ld and %zu)",
				     h->names[i], k + 1, i + 1);
	}
	lv_free(&seen);
	return rc;
}

/* Offsets where the input is cut for n pieces: just after a newline near each k/n. Returns
 * the number of pieces (cuts[0..n]). */
static int plan_pieces(job *jb, int n, size_t *cuts)
{
	size_t start = jb->data_start, size = jb->in.size;
	cuts[0] = start;
	int got = 1;
	char *buf = jb->in.fd >= 0 ? malloc(SAMPLE) : NULL;
	for (int k = 1; k < n && (buf || jb->in.fd < 0); k++) {
		size_t off = start + (size - start) / (size_t)n * (size_t)k, cut = 0;
		if (off <= cuts[got - 1])
			continue;
		while (!cut) {
			const char *data;
			long len = src_get(&jb->in, off, buf, SAMPLE, &data);
			if (len <= 0)
				break;
			const char *nl = memchr(data, '\n', (size_t)len);
			if (nl)
				cut = off + (size_t)(nl - data) + 1;
			off += (size_t)len;
		}
		if (cut && cut < size)
			cuts[got++] = cut;
	}
	free(buf);
	cuts[got] = size;
	return got;
}

/* Merged state of column j over the pieces (see store_field for the transitions). */
static int merged_state(piece *pc, int np, size_t j, int *all01)
{
	int st = ST_EMPTY;
	*all01 = 1;
	for (int k = 0; k < np; k++) {
		const pcol *p = &pc[k].cols[j];
		int s = p->st;
		if (s == ST_NUM)
			*all01 &= p->all01;
		if (s == ST_EMPTY || s == st)
			continue;
		if (st == ST_EMPTY)
			st = s;
		else if ((st == ST_NUM && s == ST_BOOL) || (st == ST_BOOL && s == ST_NUM))
			st = ST_BOOL;
		else
			st = ST_CAT;
	}
	if (st == ST_BOOL && !*all01)
		st = ST_CAT;
	return st;
}

/* Joins column j of all pieces into the frame: one level table, rows moved together, the
 * array trimmed to the row count. Takes the array cv whatever happens. */
static int join_column(piece *pc, int np, size_t j, double *cv, const char *name, wb_frame *f)
{
	int all01;
	int st = merged_state(pc, np, j, &all01);
	lvtab *glob = &pc[0].cols[j].lv;
	if (st == ST_CAT) {
		for (int k = 0; k < np; k++)
			if (pc[k].cols[j].st != ST_EMPTY &&
			    to_categorical(&pc[k].cols[j], pc[k].nrows) < 0)
				goto nomem;
		for (int k = 1; k < np; k++) {
			pcol *p = &pc[k].cols[j];
			long *map = malloc((p->lv.n ? p->lv.n : 1) * sizeof *map);
			if (!map)
				goto nomem;
			for (size_t l = 0; l < p->lv.n; l++) {
				int added;
				map[l] = lv_code(glob, lv_text(&p->lv, l), p->lv.len[l], &added);
				if (map[l] < 0) {
					free(map);
					goto nomem;
				}
			}
			for (size_t i = 0; i < pc[k].nrows; i++)
				if (!isnan(p->v[i]))
					p->v[i] = (double)map[(size_t)p->v[i]];
			free(map);
			lv_free(&p->lv);
		}
	}
	size_t total = pc[0].nrows;
	for (int k = 1; k < np; k++) {
		if (pc[k].base != total) /* the piece before held fewer rows than line ends */
			memmove(cv + total, cv + pc[k].base, pc[k].nrows * sizeof *cv);
		total += pc[k].nrows;
	}
	double *v = realloc(cv, (total ? total : 1) * sizeof *v);
	if (v)
		cv = v;
	if (st == ST_BOOL)
		for (size_t i = 0; i < total; i++)
			if (cv[i] >= 2)
				cv[i] -= 2;
	char **levels = NULL;
	size_t nlevels = 0;
	if (st == ST_CAT) {
		nlevels = glob->n;
		levels = calloc(nlevels ? nlevels : 1, sizeof *levels);
		if (!levels)
			goto nomem;
		for (size_t l = 0; l < nlevels; l++)
			if (!(levels[l] = wb_frame_strndup(lv_text(glob, l), glob->len[l]))) {
				for (size_t m = 0; m < l; m++)
					free(levels[m]);
				free(levels);
				goto nomem;
			}
		lv_free(glob);
	}
	wb_col_kind kind = st == ST_CAT				      ? WB_COL_CATEGORICAL
			   : st == ST_DATE			      ? WB_COL_DATE
			   : st == ST_BOOL || (st == ST_NUM && all01) ? WB_COL_BINARY
								      : WB_COL_NUMERIC;
	return wb_frame_adopt_column(f, wb_frame_strndup(name, strlen(name)), kind, cv, levels,
				     nlevels);
nomem:
	free(cv);
	return WB_ENOMEM;
}

typedef struct pieces_job {
	void (*fn)(piece *);
	piece *pc;
} pieces_job;

static void pieces_part(void *ctx, int part, size_t lo, size_t hi)
{
	const pieces_job *r = ctx;
	(void)part;
	for (size_t k = lo; k < hi; k++)
		r->fn(&r->pc[k]);
}

/* Runs fn on every piece, each on a thread of its own (piece 0 on the calling thread; see
 * wb_parallel_run): np parts of one piece each. */
static void run_parallel(void (*fn)(piece *), piece *pc, int np)
{
	pieces_job r = {fn, pc};
	wb_parallel_run((size_t)np, np, 1, pieces_part, &r);
}

/* Error of the first piece that has one; returns 0, or 1 if a cut fell inside a quoted field
 * (parse again on one thread), or a negative code with err set. */
static int piece_errors(job *jb, piece *pc, int np, wb_err *err)
{
	if (atomic_load(&jb->cancelled))
		return wb_err_set(err, WB_ECANCEL, "%s: loading cancelled", jb->in.name);
	size_t row0 = 0; /* rows before piece k, the header included */
	for (int k = 0; k < np; k++) {
		piece *c = &pc[k];
		size_t row = row0 + c->erow;
		switch (c->err) {
		case E_RAGGED:
			return fail_at(jb, err, WB_EPARSE, row,
				       "row has %zu field%s, header has %zu", c->ecount,
				       c->ecount == 1 ? "" : "s", jb->ncols);
		case E_UTF8:
			return fail_at(jb, err, WB_EPARSE, row, "invalid UTF-8 in field %zu",
				       c->efield + 1);
		case E_QUOTE:
			return fail_at(jb, err, WB_EPARSE, row, "stray quote in field %zu",
				       c->efield + 1);
		case E_NOMEM:
			return wb_err_set(err, WB_ENOMEM, "%s: out of memory", jb->in.name);
		case E_IO:
			return wb_err_set(err, WB_EIO, "%s: cannot read: %s", jb->in.name,
					  strerror(c->err_no));
		}
		if (c->unclean && k < np - 1)
			return 1;
		if (c->unclean)
			return fail_at(jb, err, WB_EPARSE, row0 + c->rows_seen,
				       "unterminated quoted field");
		row0 += c->rows_seen;
	}
	return 0;
}

/* Parses the pieces into shared column arrays (cv[j], piece k from row pc[k].base). */
static int parse_pieces(job *jb, piece *pc, int np, double **cv, wb_err *err)
{
	size_t rows = 0;
	for (int k = 0; k < np; k++) {
		pc[k].base = rows;
		rows += pc[k].cap;
	}
	for (size_t j = 0; j < jb->ncols; j++)
		if (!(cv[j] = wb_big_alloc(rows)))
			return wb_err_set(err, WB_ENOMEM, "%s: out of memory", jb->in.name);
	for (int k = 0; k < np; k++)
		for (size_t j = 0; j < jb->ncols; j++)
			pc[k].cols[j].v = cv[j] + pc[k].base;
	atomic_store(&jb->done, 0);
	atomic_store(&jb->first_err, MAX_PIECES);
	run_parallel(piece_run, pc, np);
	return piece_errors(jb, pc, np, err);
}

static int load(job *jb, const wb_csv_options *opt, wb_frame **out, wb_err *err)
{
	*out = NULL;
	char *sample_buf = jb->in.fd >= 0 ? malloc(SAMPLE) : NULL;
	if (jb->in.fd >= 0 && !sample_buf)
		return wb_err_set(err, WB_ENOMEM, "%s: out of memory", jb->in.name);
	const char *sample = NULL;
	long slen = src_get(&jb->in, 0, sample_buf, SAMPLE, &sample);
	if (slen < 0) {
		free(sample_buf);
		return wb_err_set(err, WB_EIO, "%s: cannot read: %s", jb->in.name, strerror(errno));
	}
	if (slen == 0)
		sample = "";
	if (slen >= 3 && memcmp(sample, "\xEF\xBB\xBF", 3) == 0)
		jb->data_start = 3;
	size_t ds = jb->data_start;
	jb->delim = opt && opt->delim
			? opt->delim
			: detect_delim(sample + ds, (size_t)slen - ds, (size_t)slen == jb->in.size);
	free(sample_buf);

	header h = {0};
	int rc = read_header(jb, &h, err);
	if (!rc)
		rc = check_header(jb, &h, err);
	if (rc) {
		header_free(&h);
		return rc;
	}
	jb->ncols = h.n;

	int want = opt && opt->threads > 0 ? opt->threads : 2;
	if (want > MAX_PIECES)
		want = MAX_PIECES;
	if (jb->in.size < MIN_SPLIT)
		want = 1;
	size_t cuts[MAX_PIECES + 1];
	int np = plan_pieces(jb, want, cuts);
	piece pc[MAX_PIECES];
	memset(pc, 0, sizeof pc);
	double **cv = calloc(jb->ncols, sizeof *cv);
	if (!cv)
		rc = wb_err_set(err, WB_ENOMEM, "%s: out of memory", jb->in.name);
	for (int k = 0; k < np && !rc; k++)
		if (piece_init(&pc[k], jb, k, cuts[k], cuts[k + 1]) < 0)
			rc = wb_err_set(err, WB_ENOMEM, "%s: out of memory", jb->in.name);
	if (!rc) {
		atomic_store(&jb->first_err, MAX_PIECES);
		run_parallel(count_ends, pc, np);
		rc = piece_errors(jb, pc, np, err);
	}
	if (!rc)
		rc = parse_pieces(jb, pc, np, cv, err);
	if (rc == 1) {
		/* a cut fell inside a quoted field: parse the whole input as one piece */
		size_t cap = 0;
		for (int k = 0; k < np; k++) {
			cap += pc[k].cap;
			piece_free(&pc[k], jb->ncols);
		}
		for (size_t j = 0; j < jb->ncols; j++) {
			free(cv[j]);
			cv[j] = NULL;
		}
		np = 1;
		rc = piece_init(&pc[0], jb, 0, cuts[0], jb->in.size);
		if (rc < 0)
			rc = wb_err_set(err, WB_ENOMEM, "%s: out of memory", jb->in.name);
		pc[0].cap = cap;
		if (!rc)
			rc = parse_pieces(jb, pc, np, cv, err);
	}
	wb_frame *f = NULL;
	if (!rc) {
		size_t n = 0;
		for (int k = 0; k < np; k++)
			n += pc[k].nrows;
		f = wb_frame_new(n);
		if (!f)
			rc = wb_err_set(err, WB_ENOMEM, "%s: out of memory", jb->in.name);
	}
	for (size_t j = 0; !rc && j < jb->ncols; j++) {
		rc = join_column(pc, np, j, cv[j], h.names[j], f);
		cv[j] = NULL;
		if (rc)
			rc = wb_err_set(err, WB_ENOMEM, "%s: out of memory", jb->in.name);
	}
	for (int k = 0; k < np; k++)
		piece_free(&pc[k], jb->ncols);
	for (size_t j = 0; cv && j < jb->ncols; j++)
		free(cv[j]);
	free(cv);
	header_free(&h);
	if (!rc && wb_frame_set_attr(f, "source", jb->in.name) < 0)
		rc = wb_err_set(err, WB_ENOMEM, "%s: out of memory", jb->in.name);
	if (rc) {
		wb_frame_free(f);
		return rc;
	}
	wb_progress_set(jb->progress, 1.0);
	*out = f;
	return 0;
}

static int load_src(src in, const wb_csv_options *opt, wb_frame **out, wb_progress *progress,
		    wb_err *err)
{
	job jb = {.in = in, .progress = progress};
	jb.c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (!jb.c_locale)
		return wb_err_set(err, WB_ENOMEM, "%s: out of memory", in.name);
	if (opt && opt->delim && (opt->delim == '"' || opt->delim == '\n' || opt->delim == '\r')) {
		freelocale(jb.c_locale);
		return wb_err_set(err, WB_EINVAL, "%s: delimiter cannot be a quote or newline",
				  in.name);
	}
	int rc = load(&jb, opt, out, err);
	freelocale(jb.c_locale);
	return rc;
}

int wb_frame_load_csv(const char *path, const wb_csv_options *opt, wb_frame **out,
		      wb_progress *progress, wb_err *err)
{
	if (!out || !path)
		return wb_err_set(err, WB_EINVAL, "load csv: missing argument");
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wb_err_set(err, WB_EIO, "%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
		close(fd);
		return wb_err_set(err, WB_EIO, "%s: cannot open: %s", path, strerror(e));
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	src in = {path, fd, NULL, (size_t)st.st_size};
	int rc = load_src(in, opt, out, progress, err);
	close(fd);
	return rc;
}

int wb_frame_parse_csv(const char *name, const char *buf, size_t len, const wb_csv_options *opt,
		       wb_frame **out, wb_err *err)
{
	if (!out || (!buf && len))
		return wb_err_set(err, WB_EINVAL, "parse csv: missing argument");
	*out = NULL;
	src in = {name ? name : "(buffer)", -1, buf ? buf : "", len};
	return load_src(in, opt, out, NULL, err);
}

/* ---- writing ---- */

typedef struct outbuf {
	FILE *fp;
	char *b;
	size_t n, cap;
	int failed;
} outbuf;

static void ob_flush(outbuf *o)
{
	if (o->n && fwrite(o->b, 1, o->n, o->fp) != o->n)
		o->failed = 1;
	o->n = 0;
}

static void ob_put(outbuf *o, const char *s, size_t len)
{
	if (o->n + len > o->cap)
		ob_flush(o);
	if (len > o->cap) {
		if (fwrite(s, 1, len, o->fp) != len)
			o->failed = 1;
		return;
	}
	memcpy(o->b + o->n, s, len);
	o->n += len;
}

/* Writes s as one field, quoted (RFC 4180: quotes doubled) when it holds the delimiter, a
 * quote or a line break, starts or ends with a space or tab (which the reader would trim) or
 * with U+FEFF (which at the start of a file would be taken for a BOM), or is empty and must
 * still be seen (force). */
static void put_field(outbuf *o, const char *s, char delim, int force)
{
	size_t len = strlen(s);
	int q = force ||
		(len && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')) ||
		strncmp(s, "\xEF\xBB\xBF", 3) == 0;
	for (size_t i = 0; i < len && !q; i++)
		q = s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!q) {
		ob_put(o, s, len);
		return;
	}
	ob_put(o, "\"", 1);
	for (const char *p = s, *e; *p; p = e + 1) {
		e = strchr(p, '"');
		if (!e) {
			ob_put(o, p, strlen(p));
			break;
		}
		ob_put(o, p, (size_t)(e - p) + 1);
		ob_put(o, "\"", 1);
	}
	ob_put(o, "\"", 1);
}

int wb_frame_write_csv(const wb_frame *f, FILE *fp, char delim, wb_err *err)
{
	if (!f || !fp)
		return wb_err_set(err, WB_EINVAL, "write csv: missing argument");
	if (!delim)
		delim = ',';
	if (delim == '"' || delim == '\n' || delim == '\r')
		return wb_err_set(err, WB_EINVAL,
				  "write csv: delimiter cannot be a quote or newline");
	outbuf o = {fp, malloc(1 << 16), 0, 1 << 16, 0};
	if (!o.b)
		return wb_err_set(err, WB_ENOMEM, "write csv: out of memory");
	char d[1] = {delim};
	for (size_t j = 0; j < f->ncols; j++) {
		if (j)
			ob_put(&o, d, 1);
		put_field(&o, f->cols[j].name, delim, f->cols[j].name[0] == '\0');
	}
	ob_put(&o, "\n", 1);
	for (size_t i = 0; i < f->nrows && !o.failed; i++) {
		for (size_t j = 0; j < f->ncols; j++) {
			const wb_fcol *c = &f->cols[j];
			double x = c->v[i];
			char b[64];
			if (j)
				ob_put(&o, d, 1);
			if (isnan(x)) {
				/* a lone empty field would be an empty line, which is skipped */
				if (f->ncols == 1)
					ob_put(&o, "\"\"", 2);
				continue;
			}
			if (c->kind == WB_COL_CATEGORICAL) {
				const char *t =
				    x >= 0 && x < (double)c->nlevels ? c->levels[(size_t)x] : "";
				put_field(&o, t, delim, f->ncols == 1 && !*t);
			} else if (c->kind == WB_COL_DATE) {
				const char *t = wb_frame_fmt_date(x, b, sizeof b);
				ob_put(&o, t, strlen(t));
			} else {
				const char *t = wb_fmt_num(x, 0, b, sizeof b);
				ob_put(&o, t, strlen(t));
			}
		}
		ob_put(&o, "\n", 1);
	}
	ob_flush(&o);
	free(o.b);
	if (o.failed || fflush(fp) != 0 || ferror(fp))
		return wb_err_set(err, WB_EIO, "cannot write: %s", strerror(errno ? errno : EIO));
	return 0;
}

typedef struct save_ctx {
	const wb_frame *f;
	char delim;
} save_ctx;

static int write_csv_to(FILE *fp, const void *ctx, wb_err *err)
{
	const save_ctx *c = ctx;
	return wb_frame_write_csv(c->f, fp, c->delim, err);
}

int wb_frame_save_csv(const wb_frame *f, const char *path, char delim, wb_err *err)
{
	if (!f || !path || !*path)
		return wb_err_set(err, WB_EINVAL, "save csv: missing argument");
	save_ctx c = {f, delim};
	return wb_write_atomic(path, write_csv_to, &c, err);
}
