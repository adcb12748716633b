/*
 * fuzz_history.c - libFuzzer target: a capture file for replay.
 *
 * The input is written to a temporary file and opened the way replay
 * opens it.  A file that is refused must say why; one that opens must
 * load every sample, summarize, and close without leaking.  SQLite may
 * leave -wal and -shm files beside a WAL-mode input: they are removed
 * with it, so one input never leaks into the next.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/history.h"

#define MAX_SAMPLES	256	/* enough to reach every code path */

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
remove_db(const char *path)
{
	char	buf[128];

	unlink(path);
	snprintf(buf, sizeof buf, "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-shm", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-journal", path);
	unlink(buf);
}

static int
write_input(char *path, const uint8_t *data, size_t size)
{
	size_t	off = 0;
	ssize_t	n;
	int	fd;

	if ((fd = mkstemp(path)) == -1)
		return -1;
	while (off < size) {
		if ((n = write(fd, data + off, size - off)) <= 0) {
			close(fd);
			remove_db(path);
			return -1;
		}
		off += (size_t)n;
	}
	close(fd);
	return 0;
}

static void
replay(struct history *h, FILE *null)
{
	const struct history_sample	*hs;
	struct snapshot			*s;
	char				*cause = NULL;
	size_t				 i, n;

	n = history_samples(h, &hs);
	for (i = 0; i < n && i < MAX_SAMPLES; i++) {
		s = history_load(h, hs[i].id, 0, &cause);
		if (s == NULL) {
			if (cause == NULL)
				abort();	/* a failure must say why */
			free(cause);
			cause = NULL;
			continue;
		}
		if (s->nsessions > 0 && s->sessions == NULL)
			abort();
		if (s->nstmts > 0 && s->stmts == NULL)
			abort();
		snapshot_unref(s);
	}
	if (history_summary(h, null, &cause) == -1) {
		if (cause == NULL)
			abort();
		free(cause);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE	*null;
	struct history	*h;
	char		 path[] = "/tmp/pgdeck-fuzz-history-XXXXXX";
	char		*cause = NULL;

	if (size > 1 << 20)
		return 0;
	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	if (write_input(path, data, size) == -1)
		return 0;
	h = history_open_read(path, &cause);
	if (h == NULL) {
		if (cause == NULL)
			abort();	/* a refusal must say why */
		free(cause);
	} else {
		replay(h, null);
		history_close(h);
	}
	remove_db(path);
	return 0;
}
