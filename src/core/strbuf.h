/*
 * strbuf.h - growable NUL-terminated string buffer (git's strbuf).
 *
 * An initialised strbuf always has a valid, NUL-terminated 'buf', even
 * when empty, so it can be printed without checks.
 */
#ifndef PGDECK_STRBUF_H
#define PGDECK_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util.h"

struct strbuf {
	size_t	 alloc;		/* bytes allocated, 0 if buf is the slopbuf */
	size_t	 len;		/* bytes used, not counting the NUL */
	char	*buf;		/* always NUL-terminated */
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, strbuf_slopbuf }

void	 strbuf_init(struct strbuf *sb, size_t hint);
void	 strbuf_release(struct strbuf *sb);
/* Return the buffer (owned by the caller) and reset 'sb'. */
char	*strbuf_detach(struct strbuf *sb);
void	 strbuf_reset(struct strbuf *sb);
void	 strbuf_grow(struct strbuf *sb, size_t extra);
void	 strbuf_add(struct strbuf *sb, const void *data, size_t len);
void	 strbuf_addstr(struct strbuf *sb, const char *s);
void	 strbuf_addch(struct strbuf *sb, int c);
void	 strbuf_addf(struct strbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
void	 strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void	 strbuf_setlen(struct strbuf *sb, size_t len);

#endif
