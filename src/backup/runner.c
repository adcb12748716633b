/*
 * runner.c - backup tool commands as children read on the poll loop.
 */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backup.h"
#include "runs.h"
#include "../config/config.h"
#include "../core/clock.h"
#include "../core/strbuf.h"
#include "../core/loop.h"
#include "../core/pg_conn.h"
#include "../core/util.h"
#include "../core/banned.h"

/* How often an exited child is looked for once its pipes are closed. */
#define REAP_MS		20

struct child {
	pid_t		 pid;
	int		 out, err;	/* -1 once at EOF */
	char		*obuf, *ebuf;
	size_t		 olen, oalloc, elen, ealloc;
	int64_t		 started_ms;
	int		 killed;
	int		 exited;
	int		 status;
};

struct bk_runner {
	struct loop	*loop;
	double		 timeout_s;
	bk_runner_fn	 done;
	void		*arg;
	struct bk_cmd	*cmds;		/* the batch, copied */
	struct bk_run	*runs;
	size_t		 n, next;	/* commands, the one running */
	struct child	 ch;
	int		 busy;
	uint64_t	 timer;		/* timeout or reap */
};

static void	child_done(struct bk_runner *);
static void	start_next(struct bk_runner *);

/* Fork 'command' under sh; -1 if it could not be started at all. */
static int
child_spawn(struct child *ch, const char *command)
{
	int	out[2], err[2], devnull;

	memset(ch, 0, sizeof *ch);
	ch->out = ch->err = -1;
	if (pipe(out) == -1)
		return -1;
	if (pipe(err) == -1) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	ch->pid = fork();
	if (ch->pid == -1) {
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		return -1;
	}
	if (ch->pid == 0) {
		/* Its own group, so a timeout kills ssh and all. */
		setpgid(0, 0);
		devnull = open("/dev/null", O_RDONLY);
		if (devnull != -1)
			dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(126);
	}
	setpgid(ch->pid, ch->pid);
	close(out[1]);
	close(err[1]);
	ch->out = out[0];
	ch->err = err[0];
	fcntl(ch->out, F_SETFL, fcntl(ch->out, F_GETFL) | O_NONBLOCK);
	fcntl(ch->err, F_SETFL, fcntl(ch->err, F_GETFL) | O_NONBLOCK);
	fcntl(ch->out, F_SETFD, FD_CLOEXEC);
	fcntl(ch->err, F_SETFD, FD_CLOEXEC);
	ch->started_ms = clock_now_ms();
	return 0;
}

/* Read what is there; returns 1 at EOF (fd closed), else 0. */
static int
drain(int *fd, char **buf, size_t *len, size_t *alloc, size_t max)
{
	char	tmp[65536];
	ssize_t	n;

	for (;;) {
		n = read(*fd, tmp, sizeof tmp);
		if (n > 0) {
			/* Past the limit the rest is dropped, not stored. */
			if (*len + (size_t)n > max)
				n = (ssize_t)(max - *len);
			xgrow((void **)buf, alloc, *len + (size_t)n + 1, 1);
			memcpy(*buf + *len, tmp, (size_t)n);
			*len += (size_t)n;
			(*buf)[*len] = '\0';
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		close(*fd);
		*fd = -1;
		return 1;
	}
}

static int
child_reap(struct child *ch, int block)
{
	int	st;
	pid_t	p;

	if (ch->exited)
		return 1;
	do
		p = waitpid(ch->pid, &st, block ? 0 : WNOHANG);
	while (p == -1 && errno == EINTR);
	if (p == 0)
		return 0;
	ch->exited = 1;
	if (p == -1 || ch->killed)
		ch->status = -1;
	else if (WIFEXITED(st))
		ch->status = WEXITSTATUS(st);
	else
		ch->status = -1;
	return 1;
}

static void
child_kill(struct child *ch)
{
	if (ch->exited)
		return;
	ch->killed = 1;
	kill(-ch->pid, SIGKILL);
	kill(ch->pid, SIGKILL);
}

/* The child's output into run 'r' (taken over). */
static void
child_to_run(struct child *ch, struct bk_run *r)
{
	char	line[200];

	r->status = ch->status;
	r->output = ch->obuf != NULL ? ch->obuf : xstrdup("");
	r->len = ch->olen;
	r->elapsed = (double)(clock_now_ms() - ch->started_ms) / 1000.0;
	r->fetched = (double)clock_wall_ms() / 1000.0;
	if (ch->ebuf != NULL) {
		/* The first non-empty line of stderr: its error, usually. */
		pg_first_line(ch->ebuf + strspn(ch->ebuf, "\n"), line,
		    sizeof line);
		if (line[0] != '\0')
			r->errline = xstrdup(line);
		free(ch->ebuf);
	}
	ch->obuf = ch->ebuf = NULL;
}

static void
on_fd(int fd, short revents, void *arg)
{
	struct bk_runner	*r = arg;
	struct child		*ch = &r->ch;

	(void)revents;
	if (fd == ch->out && drain(&ch->out, &ch->obuf, &ch->olen,
	    &ch->oalloc, BK_MAX_INPUT))
		loop_unwatch_fd(r->loop, fd);
	else if (fd == ch->err && drain(&ch->err, &ch->ebuf, &ch->elen,
	    &ch->ealloc, 65536))
		loop_unwatch_fd(r->loop, fd);
	if (ch->out == -1 && ch->err == -1) {
		if (r->timer != 0)
			loop_timer_cancel(r->loop, r->timer);
		r->timer = 0;
		child_done(r);
	}
}

static void
on_timer(void *arg)
{
	struct bk_runner	*r = arg;
	struct child		*ch = &r->ch;

	r->timer = 0;
	if (ch->out != -1 || ch->err != -1) {
		/* Still talking past the timeout: kill the group. */
		if (clock_now_ms() - ch->started_ms >=
		    (int64_t)(r->timeout_s * 1000)) {
			child_kill(ch);
			if (ch->out != -1) {
				loop_unwatch_fd(r->loop, ch->out);
				close(ch->out);
				ch->out = -1;
			}
			if (ch->err != -1) {
				loop_unwatch_fd(r->loop, ch->err);
				close(ch->err);
				ch->err = -1;
			}
			child_done(r);
			return;
		}
		r->timer = loop_timer_add(r->loop, REAP_MS * 10, on_timer, r);
		return;
	}
	child_done(r);
}

/* Both pipes are closed: wait (on timers) for the exit, then go on. */
static void
child_done(struct bk_runner *r)
{
	struct child	*ch = &r->ch;

	if (!child_reap(ch, ch->killed)) {
		if (clock_now_ms() - ch->started_ms >=
		    (int64_t)(r->timeout_s * 1000))
			child_kill(ch);
		r->timer = loop_timer_add(r->loop, REAP_MS, on_timer, r);
		return;
	}
	child_to_run(ch, &r->runs[r->next]);
	r->next++;
	start_next(r);
}

static void
finish_batch(struct bk_runner *r)
{
	struct bk_state	*st;
	size_t		 i;

	for (i = 0; i < r->n; i++)
		free((char *)r->cmds[i].command);
	free(r->cmds);
	r->cmds = NULL;
	st = bk_state_build(r->runs, r->n);
	r->runs = NULL;
	r->busy = 0;
	r->done(st, r->arg);
}

static void
start_next(struct bk_runner *r)
{
	struct bk_run	*run;

	while (r->next < r->n) {
		run = &r->runs[r->next];
		run->tool = r->cmds[r->next].tool;
		run->what = xstrdup(r->cmds[r->next].what);
		run->command = xstrdup(r->cmds[r->next].command);
		if (child_spawn(&r->ch, run->command) == 0) {
			loop_watch_fd(r->loop, r->ch.out, POLLIN, on_fd, r);
			loop_watch_fd(r->loop, r->ch.err, POLLIN, on_fd, r);
			r->timer = loop_timer_add(r->loop,
			    (int64_t)(r->timeout_s * 1000) + 1, on_timer, r);
			return;
		}
		run->status = 126;
		run->output = xstrdup("");
		run->errline = xstrfmt("cannot start: %s", strerror(errno));
		run->fetched = (double)clock_wall_ms() / 1000.0;
		r->next++;
	}
	finish_batch(r);
}

struct bk_runner *
bk_runner_new(struct loop *loop, double timeout_s, bk_runner_fn done,
    void *arg)
{
	struct bk_runner	*r = xcalloc(1, sizeof *r);

	r->loop = loop;
	r->timeout_s = timeout_s > 0 ? timeout_s : 30;
	r->done = done;
	r->arg = arg;
	return r;
}

int
bk_runner_start(struct bk_runner *r, const struct bk_cmd *cmds, size_t n)
{
	size_t	i;

	if (r->busy)
		return -1;
	r->busy = 1;
	r->n = n;
	r->next = 0;
	r->cmds = xcalloc(n + 1, sizeof *r->cmds);
	r->runs = xcalloc(n + 1, sizeof *r->runs);
	for (i = 0; i < n; i++) {
		r->cmds[i] = cmds[i];
		/* 'what' is a static word; the command line is copied. */
		r->cmds[i].command = xstrdup(cmds[i].command);
	}
	start_next(r);
	return 0;
}

int
bk_runner_busy(const struct bk_runner *r)
{
	return r->busy;
}

void
bk_runner_free(struct bk_runner *r)
{
	size_t	i;

	if (r == NULL)
		return;
	if (r->busy) {
		child_kill(&r->ch);
		if (r->ch.out != -1) {
			loop_unwatch_fd(r->loop, r->ch.out);
			close(r->ch.out);
		}
		if (r->ch.err != -1) {
			loop_unwatch_fd(r->loop, r->ch.err);
			close(r->ch.err);
		}
		child_reap(&r->ch, 1);
		free(r->ch.obuf);
		free(r->ch.ebuf);
		for (i = 0; i < r->n; i++) {
			bk_run_release(&r->runs[i]);
			free((char *)r->cmds[i].command);
		}
		free(r->runs);
		free(r->cmds);
	}
	if (r->timer != 0)
		loop_timer_cancel(r->loop, r->timer);
	free(r);
}

static void
blocking_done(struct bk_state *st, void *arg)
{
	*(struct bk_state **)arg = st;
}

struct bk_state *
bk_run_blocking(const struct bk_cmd *cmds, size_t n, double timeout_s)
{
	struct loop		*loop = loop_new();
	struct bk_runner	*r;
	struct bk_state		*st = NULL;

	r = bk_runner_new(loop, timeout_s, blocking_done, &st);
	bk_runner_start(r, cmds, n);
	while (st == NULL)
		loop_run_once(loop, 100);
	bk_runner_free(r);
	loop_free(loop);
	return st;
}

/* The words of 'cmd' (split on blanks; no quoting, as archive_command
 * lines that tools document have none): into 'w', at most 'max'. */
static int
words(char *cmd, char **w, int max)
{
	int	n = 0;

	while (*cmd != '\0' && n < max) {
		while (*cmd == ' ' || *cmd == '\t')
			cmd++;
		if (*cmd == '\0')
			break;
		w[n++] = cmd;
		while (*cmd != '\0' && *cmd != ' ' && *cmd != '\t')
			cmd++;
		if (*cmd != '\0')
			*cmd++ = '\0';
	}
	return n;
}

/* The command archive_command implies, or NULL; 'tool' is set. */
static char *
guess(const char *archive_command, int *tool)
{
	char		*copy, *w[64];
	struct strbuf	 sb;
	int		 n, i, push = -1;

	if (archive_command == NULL)
		return NULL;
	copy = xstrdup(archive_command);
	n = words(copy, w, 64);
	for (i = 0; i < n; i++) {
		if (strcmp(w[i], "archive-push") == 0 ||
		    strcmp(w[i], "wal-push") == 0) {
			push = i;
			break;
		}
	}
	if (push < 1) {
		free(copy);
		return NULL;
	}
	*tool = strcmp(w[push], "archive-push") == 0 ? BK_PGBACKREST : BK_WALG;
	/* The binary must be the tool's own, not some wrapper script. */
	if (strstr(w[push - 1], *tool == BK_PGBACKREST ? "pgbackrest" :
	    "wal-g") == NULL) {
		for (i = 0; i < push; i++) {
			if (strstr(w[i], *tool == BK_PGBACKREST ?
			    "pgbackrest" : "wal-g") != NULL)
				break;
		}
		if (i == push) {
			free(copy);
			return NULL;
		}
	}
	strbuf_init(&sb, 0);
	for (i = 0; i < push; i++)
		strbuf_addf(&sb, "%s%s", i > 0 ? " " : "", w[i]);
	/* Options after the command (pgBackRest allows them); not %p. */
	for (i = push + 1; i < n; i++) {
		if (w[i][0] == '-' && strchr(w[i], '%') == NULL)
			strbuf_addf(&sb, " %s", w[i]);
	}
	strbuf_addstr(&sb, *tool == BK_PGBACKREST ? " info --output=json" :
	    " backup-list --detail --json");
	free(copy);
	return strbuf_detach(&sb);
}

size_t
bk_cmds_for(const struct config_backup *cfg, size_t ncfg,
    const char *hostport, const char *system_id, const char *archive_command,
    struct bk_cmd **out, char *hint, size_t hsize)
{
	struct bk_cmd	*c;
	size_t		 i, n = 0;
	char		*g;
	int		 tool;

	*out = c = xcalloc(ncfg + 1, sizeof *c);
	hint[0] = '\0';
	for (i = 0; i < ncfg; i++) {
		if (cfg[i].server != NULL &&
		    (hostport == NULL || strcmp(cfg[i].server, hostport) != 0) &&
		    (system_id == NULL || strcmp(cfg[i].server, system_id) != 0))
			continue;
		c[n].tool = cfg[i].tool;
		c[n].what = cfg[i].what;
		c[n].command = xstrdup(cfg[i].command);
		n++;
	}
	if (n > 0)
		return n;
	if ((g = guess(archive_command, &tool)) != NULL) {
		c[0].tool = tool;
		c[0].what = tool == BK_PGBACKREST ? "info" : "backup-list";
		c[0].command = g;
		return 1;
	}
	if (archive_command != NULL && strstr(archive_command, "barman") != NULL)
		snprintf(hint, hsize, "archive_command sends WAL to Barman:"
		    " add 'backup barman list-backups ssh BARMAN-HOST barman -f"
		    " json list-backups SERVER' (and check, status) to the"
		    " config");
	else
		snprintf(hint, hsize, "no backup tool configured: add e.g."
		    " 'backup pgbackrest info pgbackrest --stanza=NAME info"
		    " --output=json' to the config");
	return 0;
}

void
bk_cmds_free(struct bk_cmd *cmds, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free((char *)cmds[i].command);
	free(cmds);
}
