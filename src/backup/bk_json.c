/*
 * bk_json.c - what the three parsers share: loading a tool's output as
 * JSON with one-line messages, typed field access that names the path of
 * a bad value, timestamps, and merging a parsed repo into a report.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "bk_int.h"

#include "../core/banned.h"

/* A quoted line of output is cut here: the status bar is one line. */
#define QUOTE_MAX	72

void
bkj_init(struct bkj *c, const char *tool, const char *cmd)
{
	c->tool = tool;
	c->cmd = cmd;
	strbuf_init(&c->path, 64);
	c->err = NULL;
}

void
bkj_release(struct bkj *c)
{
	strbuf_release(&c->path);
	free(c->err);
	c->err = NULL;
}

char *
bk_one_line(char *s)
{
	char	*p;

	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	}
	return s;
}

int
bkj_fail(struct bkj *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (c->err != NULL)
		return -1;
	va_start(ap, fmt);
	msg = xstrvfmt(fmt, ap);
	va_end(ap);
	c->err = bk_one_line(xstrfmt("%s %s: %s", c->tool, c->cmd, msg));
	free(msg);
	return -1;
}

int
bkj_fail_at(struct bkj *c, const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (c->err != NULL)
		return -1;
	va_start(ap, fmt);
	msg = xstrvfmt(fmt, ap);
	va_end(ap);
	c->err = bk_one_line(xstrfmt("%s %s: %s%s%s: %s", c->tool, c->cmd,
	    c->path.len ? c->path.buf : "$",
	    key != NULL ? "." : "", key != NULL ? key : "", msg));
	free(msg);
	return -1;
}

char *
bkj_take_err(struct bkj *c)
{
	char	*e = c->err;

	c->err = NULL;
	if (e == NULL)
		e = xstrfmt("%s %s: cannot parse the output", c->tool, c->cmd);
	return e;
}

size_t
bkj_push(struct bkj *c, const char *fmt, ...)
{
	size_t	 old = c->path.len;
	va_list	 ap;

	va_start(ap, fmt);
	strbuf_vaddf(&c->path, fmt, ap);
	va_end(ap);
	return old;
}

void
bkj_pop(struct bkj *c, size_t len)
{
	strbuf_setlen(&c->path, len);
}

const char *
bkj_type(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:	return "an object";
	case JSON_ARRAY:	return "an array";
	case JSON_STRING:	return "a string";
	case JSON_INTEGER:
	case JSON_REAL:		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:	return "a boolean";
	case JSON_NULL:		return "null";
	}
	return "something";
}

json_t *
bkj_load(struct bkj *c, const char *text, size_t len)
{
	json_error_t	 err;
	json_t		*root;
	size_t		 i, n;
	char		 line[QUOTE_MAX + 1];

	if (len > BK_MAX_INPUT) {
		bkj_fail(c, "output too large (%zu bytes)", len);
		return NULL;
	}
	for (i = 0; i < len && isspace((unsigned char)text[i]); i++)
		;
	if (i == len) {
		bkj_fail(c, "empty output");
		return NULL;
	}
	if (text[i] != '{' && text[i] != '[') {
		/*
		 * The tools print errors as text ("ERROR: [055]: unable to
		 * load info file", "ERROR: Unknown server"): show the first
		 * line as they wrote it.
		 */
		for (n = 0; i + n < len && text[i + n] != '\n' &&
		    text[i + n] != '\r' && n < QUOTE_MAX; n++)
			line[n] = text[i + n] == '\0' ? ' ' : text[i + n];
		line[n] = '\0';
		bkj_fail(c, "not JSON: \"%s%s\"", line,
		    i + n < len && text[i + n] != '\n' &&
		    text[i + n] != '\r' ? "..." : "");
		return NULL;
	}
	root = json_loadb(text, len, JSON_DECODE_ANY, &err);
	if (root == NULL) {
		/* jansson counts a position at the start of a line as 0. */
		if (err.line > 0)
			bkj_fail(c, "line %d, column %d: %s", err.line,
			    err.column < 1 ? 1 : err.column, err.text);
		else
			bkj_fail(c, "%s", err.text);
	}
	return root;
}

int
bkj_str(struct bkj *c, json_t *obj, const char *key, char **out, int need)
{
	json_t	*v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v)) {
		if (need)
			return bkj_fail_at(c, key, "missing");
		return 0;
	}
	if (!json_is_string(v))
		return bkj_fail_at(c, key, "expected a string, found %s",
		    bkj_type(v));
	if (need && json_string_length(v) == 0)
		return bkj_fail_at(c, key, "empty");
	free(*out);
	/* An embedded NUL ends the string: names never hold one. */
	*out = xstrdup(json_string_value(v));
	return 0;
}

int
bkj_int(struct bkj *c, json_t *obj, const char *key, int64_t *out, int need)
{
	json_t	*v = json_object_get(obj, key);
	double	 d;

	if (v == NULL || json_is_null(v)) {
		if (need)
			return bkj_fail_at(c, key, "missing");
		return 0;
	}
	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return 0;
	}
	if (json_is_real(v)) {
		d = json_real_value(v);
		if (isfinite(d) && d >= -9.2e18 && d <= 9.2e18) {
			*out = (int64_t)d;
			return 0;
		}
		return bkj_fail_at(c, key, "number out of range");
	}
	return bkj_fail_at(c, key, "expected a number, found %s", bkj_type(v));
}

int
bkj_size(struct bkj *c, json_t *obj, const char *key, int64_t *out)
{
	int64_t	v = -1;

	if (bkj_int(c, obj, key, &v, 0) == -1)
		return -1;
	if (v < -1)
		return bkj_fail_at(c, key, "negative size %lld", (long long)v);
	*out = v;
	return 0;
}

int
bkj_bool(struct bkj *c, json_t *obj, const char *key, int *out)
{
	json_t	*v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return bkj_fail_at(c, key, "expected a boolean, found %s",
		    bkj_type(v));
	*out = json_is_true(v);
	return 0;
}

int
bkj_kind(struct bkj *c, json_t *obj, const char *key, json_type type,
    json_t **out, int need)
{
	json_t	*v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (need)
			return bkj_fail_at(c, key, "missing");
		return 0;
	}
	if (json_typeof(v) != type)
		return bkj_fail_at(c, key, "expected %s, found %s",
		    type == JSON_OBJECT ? "an object" : "an array",
		    bkj_type(v));
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian): no TZ games. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		era;
	unsigned	yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int
bk_time_parse(const char *s, double *out)
{
	int		 y, mo, d, h, mi, n = 0;
	double		 sec = 0, frac = 0, scale = 0.1, off = 0;
	const char	*p;

	if (s == NULL ||
	    sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d%n", &y, &mo, &d, &h, &mi,
	    &n) != 5 || n == 0)
		return -1;
	p = s + n;
	if (*p == ':') {
		if (!isdigit((unsigned char)p[1]) ||
		    !isdigit((unsigned char)p[2]))
			return -1;
		sec = (p[1] - '0') * 10 + (p[2] - '0');
		p += 3;
		if (*p == '.') {
			for (p++; isdigit((unsigned char)*p); p++) {
				frac += (*p - '0') * scale;
				scale /= 10;
			}
		}
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int	oh, om = 0;

		if (!isdigit((unsigned char)p[1]) ||
		    !isdigit((unsigned char)p[2]))
			return -1;
		oh = (p[1] - '0') * 10 + (p[2] - '0');
		n = 3;
		if (p[3] == ':')
			n = 4;
		if (isdigit((unsigned char)p[n]) &&
		    isdigit((unsigned char)p[n + 1])) {
			om = (p[n] - '0') * 10 + (p[n + 1] - '0');
			n += 2;
		}
		off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
		p += n;
	}
	if (*p != '\0')
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60 || y < 1)
		return -1;
	*out = (double)days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec + frac - off;
	return 0;
}

/* Oldest first: by start (else stop), unknown last, then label. */
static int
backup_cmp(const void *a, const void *b)
{
	const struct bk_backup	*x = a, *y = b;
	double			 kx, ky;

	kx = isnan(x->start) ? x->stop : x->start;
	ky = isnan(y->start) ? y->stop : y->start;
	if (!isnan(kx) && !isnan(ky) && kx != ky)
		return kx < ky ? -1 : 1;
	if (isnan(kx) != isnan(ky))
		return isnan(kx) ? 1 : -1;
	return strcmp(x->label, y->label);
}

void
bk_backups_sort(struct bk_backup *b, size_t n)
{
	if (n > 1)
		qsort(b, n, sizeof *b, backup_cmp);
}

/* A string the new output has replaces the old one. */
static void
take(char **dst, char **src)
{
	if (*src == NULL)
		return;
	free(*dst);
	*dst = *src;
	*src = NULL;
}

void
bk_report_merge(struct bk_report *r, struct bk_repo *src)
{
	struct bk_repo	*dst;

	dst = bk_report_find(r, src->tool, src->name);
	if (dst == NULL || (src->have & BK_HAVE_INFO)) {
		if (dst == NULL) {
			r->repos = xrealloc(r->repos,
			    (r->nrepos + 1) * sizeof *r->repos);
			dst = &r->repos[r->nrepos++];
		} else
			bk_repo_release(dst);
		*dst = *src;
		memset(src, 0, sizeof *src);
		return;
	}
	/* Each command replaces only what it describes. */
	if (src->have & BK_HAVE_BACKUPS) {
		struct bk_backup	*b = dst->backups;
		size_t			 n = dst->nbackups;

		dst->backups = src->backups;
		dst->nbackups = src->nbackups;
		src->backups = b;
		src->nbackups = n;
	}
	if (src->have & (BK_HAVE_VERIFY | BK_HAVE_CHECK)) {
		struct bk_check	*c = dst->checks;
		size_t		 n = dst->nchecks;

		dst->checks = src->checks;
		dst->nchecks = src->nchecks;
		src->checks = c;
		src->nchecks = n;
	}
	if (src->have & BK_HAVE_STATUS) {
		struct bk_prop	*p = dst->props;
		size_t		 n = dst->nprops;

		dst->props = src->props;
		dst->nprops = src->nprops;
		src->props = p;
		src->nprops = n;
	}
	if (src->ok != -1)
		dst->ok = src->ok;
	if (src->status_code != -1)
		dst->status_code = src->status_code;
	take(&dst->status_msg, &src->status_msg);
	take(&dst->cipher, &src->cipher);
	take(&dst->pg_version, &src->pg_version);
	take(&dst->archive_min, &src->archive_min);
	take(&dst->archive_max, &src->archive_max);
	if (src->system_id != 0)
		dst->system_id = src->system_id;
	dst->have |= src->have;
	bk_repo_release(src);
}
