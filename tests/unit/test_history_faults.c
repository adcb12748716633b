/*
 * test_history_faults.c - the history file under a full disk and a lock.
 *
 * A full disk is a child process with RLIMIT_FSIZE (writes past it fail
 * with EFBIG, as on a full file system); a lock is a second connection
 * holding an exclusive transaction.  In both, history_put fails with a
 * one-line cause, and every sample written before is still there.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/snapshot.h"
#include "core/util.h"
#include "store/history.h"

static char	dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/pgdeck-faults-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char	cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A sample whose query texts differ each time, so every one writes. */
static struct snapshot *
sample(int i)
{
	struct snapshot	*s = snapshot_new();
	struct session	*x;
	char		 q[600];
	int		 k;

	s->taken_ms = 1700000000000LL + i * 1000LL;
	s->activity_now = (double)s->taken_ms / 1000.0;
	s->nsessions = 20;
	s->sessions = xcalloc(s->nsessions, sizeof *s->sessions);
	for (k = 0; k < 20; k++) {
		x = &s->sessions[k];
		x->pid = 1000 + k;
		x->state = "active";
		snprintf(q, sizeof q, "SELECT %d, %d, '%0500d'", i, k, i);
		x->query = snapshot_strdup(s, q);
		x->backend_age = 100;
		x->xact_age = x->query_age = x->state_age = 1;
		x->xmin_age = -1;
		x->lock_wait = NAN;
	}
	s->stmt_info.status = STMTS_UNKNOWN;
	return s;
}

static int
put(struct history *h, int i, char **cause)
{
	struct snapshot	*s = sample(i);
	int		 rc = history_put(h, s, cause);

	snapshot_unref(s);
	return rc;
}

/* Written in a child under a file size limit; returns samples stored. */
static void
test_disk_full(void **state)
{
	char		 path[128], *cause = NULL;
	int		 status, fds[2], written = -1;
	pid_t		 pid;
	struct history	*h;
	const struct history_sample *sm;
	size_t		 n, i;
	struct snapshot	*s;

	(void)state;
	snprintf(path, sizeof path, "%s/full.db", dir);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit	rl = { 256 * 1024, 256 * 1024 };
		int		k, ok = 0;
		char		msg[512];

		close(fds[0]);
		signal(SIGXFSZ, SIG_IGN);
		if ((h = history_open_write(path, &cause)) == NULL)
			_exit(3);
		setrlimit(RLIMIT_FSIZE, &rl);
		for (k = 0; k < 10000; k++) {
			if (put(h, k, &cause) == -1)
				break;
			ok++;
		}
		/* The cause is one line and names the file. */
		snprintf(msg, sizeof msg, "%d %s", ok, cause ? cause : "none");
		if (write(fds[1], msg, strlen(msg)) < 0)
			_exit(4);
		history_close(h);
		_exit(k < 10000 ? 0 : 5);
	}
	close(fds[1]);
	{
		char	buf[512];
		ssize_t	r = read(fds[0], buf, sizeof buf - 1);

		assert_true(r > 0);
		buf[r] = '\0';
		written = atoi(buf);
		assert_non_null(strstr(buf, "full.db"));
		assert_null(strchr(buf, '\n'));
	}
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(written > 0);

	/* Nothing written before the failure is lost or damaged. */
	h = history_open_read(path, &cause);
	if (h == NULL)
		fail_msg("%s", cause);
	n = history_samples(h, &sm);
	assert_int_equal(n, (size_t)written);
	for (i = 0; i < n; i++) {
		s = history_load(h, sm[i].id, 0, &cause);
		if (s == NULL)
			fail_msg("%s", cause);
		assert_int_equal(s->nsessions, 20);
		snapshot_unref(s);
	}
	history_close(h);
}

static void
test_locked(void **state)
{
	char		 path[128], *cause = NULL;
	struct history	*h;
	sqlite3		*other;
	const struct history_sample *sm;

	(void)state;
	snprintf(path, sizeof path, "%s/locked.db", dir);
	h = history_open_write(path, &cause);
	assert_non_null(h);
	assert_int_equal(put(h, 0, &cause), 0);

	/* Another process (here a connection) holds the write lock. */
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_equal(put(h, 1, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "locked.db"));
	free(cause);
	cause = NULL;
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);

	/* The failed sample left no trace; the next one goes in. */
	assert_int_equal(put(h, 2, &cause), 0);
	assert_int_equal(history_samples(h, &sm), 2);
	history_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disk_full),
		cmocka_unit_test(test_locked),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
