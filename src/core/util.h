/*
 * util.h - allocation that cannot fail, error reporting, small helpers.
 *
 * Allocation failure aborts (htop, tmux): callers never check for NULL.
 * error() reports through a replaceable hook and returns -1 so that
 * "return error(...)" reads naturally (git).
 */
#ifndef PGDECK_UTIL_H
#define PGDECK_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define PGDECK_VERSION "0.1.0"

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define NORETURN __attribute__((noreturn))
#else
#define PRINTF_LIKE(f, a)
#define NORETURN
#endif

void	*xmalloc(size_t size);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *p, size_t size);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
char	*xstrfmt(const char *fmt, ...) PRINTF_LIKE(1, 2);
char	*xstrvfmt(const char *fmt, va_list ap);

/*
 * Grow the array '*p' of 'elem'-sized items so that it holds at least
 * 'need' items; '*alloc' is its capacity and is updated.
 */
void	 xgrow(void **p, size_t *alloc, size_t need, size_t elem);
/* A whole file, NUL-terminated; -1 with errno set (EFBIG past max). */
int	 read_file(const char *path, char **out, size_t *len, size_t max);

/*
 * Report an error: lower-case message, no full stop.  Goes to the error
 * hook (stderr by default, the status bar while the UI runs).  Returns -1.
 */
int	 error(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* Print "pgdeck: message" to stderr and exit(code).  Startup only. */
NORETURN void die(int code, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Programmer error: print where and abort. */
NORETURN void bug_at(const char *file, int line, const char *msg);
#define BUG(msg) bug_at(__FILE__, __LINE__, (msg))

typedef void (*error_hook_fn)(const char *msg, void *arg);
/* Route error() messages to 'fn' (NULL restores stderr). */
void	 error_set_hook(error_hook_fn fn, void *arg);

/* Append a debug line to the log file named by $PGDECK_LOG, if set. */
void	 log_debug(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Format a duration in seconds as "4.2s", "2m13s", "3h05m", "2d04h". */
void	 fmt_duration(char *buf, size_t size, double seconds);
/* Format a count compactly: "953", "12.4k", "3.1M". */
void	 fmt_count(char *buf, size_t size, double n);
/* Format a size in bytes as pg_size_pretty does: "512 B", "8.0 kB",
 * "136 kB", "1.2 GB" (1024-based); "" when negative (unknown). */
void	 fmt_bytes(char *buf, size_t size, double bytes);
/* Parse a duration like "30", "30s", "2m", "1h", "8d", "250ms" into seconds. */
int	 parse_duration(const char *s, double *out);

/* Case-insensitive substring search; NULL haystack never matches. */
int	 str_icontains(const char *haystack, const char *needle);

#endif
