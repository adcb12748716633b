/*
 * loop.c - poll() reactor with timers and a signal self-pipe.
 *
 * Timers live in an unsorted array: pgdeck has a handful at any time
 * (refresh, reconnect, query deadline, prompt blink), so a scan is
 * cheaper and simpler than a heap.
 */
#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "util.h"
#include "banned.h"

struct watch {
	int		 fd;
	short		 events;
	loop_fd_fn	 fn;
	void		*arg;
};

struct timer {
	uint64_t	 id;
	int64_t		 at;		/* clock_now_ms() deadline */
	loop_timer_fn	 fn;
	void		*arg;
};

struct sigwatch {
	int		 signo;
	loop_signal_fn	 fn;
	void		*arg;
};

struct loop {
	struct watch	*watches;
	size_t		 nwatches, awatches;
	struct timer	*timers;
	size_t		 ntimers, atimers;
	uint64_t	 next_timer_id;
	struct sigwatch	 sigs[8];
	size_t		 nsigs;
	int		 sigpipe[2];
	loop_hook_fn	 before_sleep;
	void		*before_sleep_arg;
	struct pollfd	*pfds;
	size_t		 apfds;
	int		 stop;
};

static int	signal_pipe_wr = -1;

struct loop *
loop_new(void)
{
	struct loop	*loop;

	loop = xcalloc(1, sizeof *loop);
	loop->sigpipe[0] = loop->sigpipe[1] = -1;
	loop->next_timer_id = 1;
	return loop;
}

void
loop_free(struct loop *loop)
{
	size_t	i;

	if (loop == NULL)
		return;
	for (i = 0; i < loop->nsigs; i++)
		signal(loop->sigs[i].signo, SIG_DFL);
	if (loop->sigpipe[0] != -1) {
		close(loop->sigpipe[0]);
		close(loop->sigpipe[1]);
		signal_pipe_wr = -1;
	}
	free(loop->watches);
	free(loop->timers);
	free(loop->pfds);
	free(loop);
}

void
loop_watch_fd(struct loop *loop, int fd, short events, loop_fd_fn fn,
    void *arg)
{
	size_t	i;

	for (i = 0; i < loop->nwatches; i++) {
		if (loop->watches[i].fd == fd)
			break;
	}
	if (i == loop->nwatches) {
		xgrow((void **)&loop->watches, &loop->awatches,
		    loop->nwatches + 1, sizeof *loop->watches);
		loop->nwatches++;
	}
	loop->watches[i].fd = fd;
	loop->watches[i].events = events;
	loop->watches[i].fn = fn;
	loop->watches[i].arg = arg;
}

void
loop_unwatch_fd(struct loop *loop, int fd)
{
	size_t	i;

	for (i = 0; i < loop->nwatches; i++) {
		if (loop->watches[i].fd == fd) {
			loop->watches[i] = loop->watches[--loop->nwatches];
			return;
		}
	}
}

uint64_t
loop_timer_add(struct loop *loop, int64_t delay_ms, loop_timer_fn fn,
    void *arg)
{
	struct timer	*t;

	xgrow((void **)&loop->timers, &loop->atimers, loop->ntimers + 1,
	    sizeof *loop->timers);
	t = &loop->timers[loop->ntimers++];
	t->id = loop->next_timer_id++;
	t->at = clock_now_ms() + (delay_ms > 0 ? delay_ms : 0);
	t->fn = fn;
	t->arg = arg;
	return t->id;
}

void
loop_timer_cancel(struct loop *loop, uint64_t id)
{
	size_t	i;

	for (i = 0; i < loop->ntimers; i++) {
		if (loop->timers[i].id == id) {
			loop->timers[i] = loop->timers[--loop->ntimers];
			return;
		}
	}
}

static void
signal_handler(int signo)
{
	int		saved = errno;
	unsigned char	b = (unsigned char)signo;

	if (signal_pipe_wr != -1 && write(signal_pipe_wr, &b, 1) == -1) {
		/* pipe full: the signal is already pending in it */
	}
	errno = saved;
}

static int
set_nonblock_cloexec(int fd)
{
	int	fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return -1;
	return 0;
}

static void
signal_pipe_readable(int fd, short revents, void *arg)
{
	struct loop	*loop = arg;
	unsigned char	 buf[64];
	ssize_t		 n, i;
	size_t		 j;

	(void)revents;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++) {
			for (j = 0; j < loop->nsigs; j++) {
				if (loop->sigs[j].signo == buf[i])
					loop->sigs[j].fn(buf[i],
					    loop->sigs[j].arg);
			}
		}
	}
}

int
loop_on_signal(struct loop *loop, int signo, loop_signal_fn fn, void *arg)
{
	struct sigaction	sa;

	if (loop->nsigs == sizeof loop->sigs / sizeof loop->sigs[0])
		BUG("too many signal watches");
	if (loop->sigpipe[0] == -1) {
		if (pipe(loop->sigpipe) == -1 ||
		    set_nonblock_cloexec(loop->sigpipe[0]) == -1 ||
		    set_nonblock_cloexec(loop->sigpipe[1]) == -1)
			return error("cannot create signal pipe: %s",
			    strerror(errno));
		signal_pipe_wr = loop->sigpipe[1];
		loop_watch_fd(loop, loop->sigpipe[0], POLLIN,
		    signal_pipe_readable, loop);
	}
	loop->sigs[loop->nsigs].signo = signo;
	loop->sigs[loop->nsigs].fn = fn;
	loop->sigs[loop->nsigs].arg = arg;
	loop->nsigs++;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = signal_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(signo, &sa, NULL) == -1)
		return error("cannot catch signal %d: %s", signo,
		    strerror(errno));
	return 0;
}

void
loop_before_sleep(struct loop *loop, loop_hook_fn fn, void *arg)
{
	loop->before_sleep = fn;
	loop->before_sleep_arg = arg;
}

static void
run_timers(struct loop *loop)
{
	int64_t		now = clock_now_ms();
	size_t		i;
	struct timer	t;

	/* A callback may add or cancel timers: restart the scan each time. */
	for (;;) {
		for (i = 0; i < loop->ntimers; i++) {
			if (loop->timers[i].at <= now)
				break;
		}
		if (i == loop->ntimers)
			return;
		t = loop->timers[i];
		loop->timers[i] = loop->timers[--loop->ntimers];
		t.fn(t.arg);
	}
}

static int
next_timeout(struct loop *loop, int max_wait_ms)
{
	int64_t	now = clock_now_ms(), best = -1, d;
	size_t	i;

	for (i = 0; i < loop->ntimers; i++) {
		d = loop->timers[i].at - now;
		if (d < 0)
			d = 0;
		if (best < 0 || d < best)
			best = d;
	}
	if (max_wait_ms >= 0 && (best < 0 || best > max_wait_ms))
		best = max_wait_ms;
	return best > 60000 ? 60000 : (int)best;
}

int
loop_run_once(struct loop *loop, int max_wait_ms)
{
	size_t	n, i, j;
	int	timeout, rc;

	if (loop->before_sleep != NULL)
		loop->before_sleep(loop->before_sleep_arg);
	n = loop->nwatches;
	xgrow((void **)&loop->pfds, &loop->apfds, n + 1, sizeof *loop->pfds);
	for (i = 0; i < n; i++) {
		loop->pfds[i].fd = loop->watches[i].fd;
		loop->pfds[i].events = loop->watches[i].events;
		loop->pfds[i].revents = 0;
	}
	timeout = next_timeout(loop, max_wait_ms);
	rc = poll(loop->pfds, n, timeout);
	if (rc == -1 && errno != EINTR)
		return error("poll failed: %s", strerror(errno));
	run_timers(loop);
	if (rc <= 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (loop->pfds[i].revents == 0)
			continue;
		/* The watch may have been removed or moved by a callback. */
		for (j = 0; j < loop->nwatches; j++) {
			if (loop->watches[j].fd == loop->pfds[i].fd)
				break;
		}
		if (j == loop->nwatches)
			continue;
		loop->watches[j].fn(loop->pfds[i].fd, loop->pfds[i].revents,
		    loop->watches[j].arg);
		if (loop->stop)
			break;
	}
	return 0;
}

int
loop_run(struct loop *loop)
{
	loop->stop = 0;
	while (!loop->stop) {
		if (loop_run_once(loop, -1) == -1)
			return -1;
	}
	return 0;
}

void
loop_stop(struct loop *loop)
{
	loop->stop = 1;
}

int
loop_stopped(const struct loop *loop)
{
	return loop->stop;
}
