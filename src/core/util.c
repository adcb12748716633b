/*
 * util.c - allocation, errors, logging, formatting helpers.
 */
#include "util.h"
#include "strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static error_hook_fn	 error_hook;
static void		*error_hook_arg;

static void NORETURN
oom(size_t size)
{
	fprintf(stderr, "pgdeck: out of memory allocating %zu bytes\n", size);
	abort();
}

void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		BUG("zero-size allocation");
	if ((p = malloc(size)) == NULL)
		oom(size);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		BUG("zero-size allocation");
	if ((p = calloc(n, size)) == NULL)
		oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t size)
{
	void	*q;

	if (size == 0)
		BUG("zero-size reallocation");
	if ((q = realloc(p, size)) == NULL)
		oom(size);
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrvfmt(const char *fmt, va_list ap)
{
	va_list	 aq;
	int	 n;
	char	*p;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		BUG("bad format string");
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
xstrfmt(const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	p = xstrvfmt(fmt, ap);
	va_end(ap);
	return p;
}

void
xgrow(void **p, size_t *alloc, size_t need, size_t elem)
{
	size_t	n;

	if (need <= *alloc)
		return;
	n = *alloc ? *alloc : 16;
	while (n < need)
		n = n * 3 / 2 + 1;
	*p = xrealloc(*p, n * elem);
	*alloc = n;
}

void
error_set_hook(error_hook_fn fn, void *arg)
{
	error_hook = fn;
	error_hook_arg = arg;
}

int
error(const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	log_debug("error: %s", buf);
	if (error_hook != NULL)
		error_hook(buf, error_hook_arg);
	else
		fprintf(stderr, "pgdeck: %s\n", buf);
	return -1;
}

void
die(int code, const char *fmt, ...)
{
	va_list	ap;

	fputs("pgdeck: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

void
bug_at(const char *file, int line, const char *msg)
{
	fprintf(stderr, "pgdeck: BUG at %s:%d: %s\n", file, line, msg);
	abort();
}

void
log_debug(const char *fmt, ...)
{
	static FILE	*f;
	static int	 tried;
	const char	*path;
	va_list		 ap;
	struct timespec	 ts;

	if (!tried) {
		tried = 1;
		if ((path = getenv("PGDECK_LOG")) != NULL && *path != '\0')
			f = fopen(path, "a");
	}
	if (f == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(f, "%lld.%03ld ", (long long)ts.tv_sec, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}

void
fmt_duration(char *buf, size_t size, double s)
{
	long long	t;

	if (isnan(s) || s < 0) {
		snprintf(buf, size, "-");
		return;
	}
	if (s < 10) {
		/* Truncate, so 9.99 is "9.9s", never "10.0s". */
		snprintf(buf, size, "%.1fs", floor(s * 10) / 10);
		return;
	}
	t = (long long)s;
	if (t < 60)
		snprintf(buf, size, "%llds", t);
	else if (t < 3600)
		snprintf(buf, size, "%lldm%02llds", t / 60, t % 60);
	else if (t < 86400)
		snprintf(buf, size, "%lldh%02lldm", t / 3600, t % 3600 / 60);
	else
		snprintf(buf, size, "%lldd%02lldh", t / 86400, t % 86400 / 3600);
}

void
fmt_count(char *buf, size_t size, double n)
{
	double	a = fabs(n);

	/* Pick the unit after rounding, so 999999 is "1.0M", not "1000.0k". */
	if (isnan(n))
		snprintf(buf, size, "-");
	else if (a < 9.95 && n != floor(n))
		snprintf(buf, size, "%.1f", n);
	else if (a < 9999.5)
		snprintf(buf, size, "%.0f", n);
	else if (a < 999950)
		snprintf(buf, size, "%.1fk", n / 1e3);
	else if (a < 999950000)
		snprintf(buf, size, "%.1fM", n / 1e6);
	else
		snprintf(buf, size, "%.1fG", n / 1e9);
}

void
fmt_bytes(char *buf, size_t size, double b)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
	int u = 0;

	if (b < 0 || isnan(b)) {
		snprintf(buf, size, "%s", "");
		return;
	}
	while (b >= 1024 && u < 4) {
		b /= 1024;
		u++;
	}
	snprintf(buf, size, u > 0 && b < 10 ? "%.1f %s" : "%.0f %s", b,
	    units[u]);
}

int
parse_duration(const char *s, double *out)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || isnan(v) || v < 0)
		return -1;
	if (*end == '\0' || strcmp(end, "s") == 0)
		;
	else if (strcmp(end, "ms") == 0)
		v /= 1000;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		v *= 60;
	else if (strcmp(end, "h") == 0)
		v *= 3600;
	else if (strcmp(end, "d") == 0)
		v *= 86400;
	else
		return -1;
	*out = v;
	return 0;
}

int
str_icontains(const char *h, const char *n)
{
	size_t	i, j;

	if (h == NULL)
		return 0;
	if (*n == '\0')
		return 1;
	for (i = 0; h[i] != '\0'; i++) {
		for (j = 0; n[j] != '\0' && h[i + j] != '\0'; j++) {
			if (tolower((unsigned char)h[i + j]) !=
			    tolower((unsigned char)n[j]))
				break;
		}
		if (n[j] == '\0')
			return 1;
	}
	return 0;
}

int
read_file(const char *path, char **out, size_t *len, size_t max)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char chunk[65536];
	size_t n;
	int saved;

	if (f == NULL)
		return -1;
	strbuf_init(&sb, 0);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (sb.len + n > max) {
			fclose(f);
			strbuf_release(&sb);
			errno = EFBIG;
			return -1;
		}
		strbuf_add(&sb, chunk, n);
	}
	saved = errno;
	if (ferror(f)) {
		fclose(f);
		strbuf_release(&sb);
		errno = saved != 0 ? saved : EIO;
		return -1;
	}
	fclose(f);
	*len = sb.len;
	*out = strbuf_detach(&sb);
	return 0;
}
