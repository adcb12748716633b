/*
 * ptyrun.c - run pgdeck on a pseudo-terminal and time it.  For
 * bench/history.sh.
 *
 *   ptyrun first-frame TIMEOUT_S -- COMMAND [ARG]...
 *       Time from just before fork to the first frame marker
 *       ("\033]5553;frame\007", written by pgdeck after each frame when
 *       PGDECK_TEST_SYNC is set), then quit it with 'q'.  Prints
 *       "first_frame_ms N", or fails if no frame came in TIMEOUT_S.
 *
 *   ptyrun run SECONDS -- COMMAND [ARG]...
 *       Let it run SECONDS, quit it with 'q', and print its CPU (user,
 *       system), peak RSS (from wait4()) and the frames it drew.
 *
 * The terminal is 50x200, TERM=xterm, LANG=C.UTF-8, PGDECK_TEST_SYNC=1.
 * Anything that does not quit within 3 s of 'q' gets SIGTERM, then
 * SIGKILL, by pid.  With $PTYRUN_DUMP set, everything the program
 * wrote up to and including the first frame goes to that file (to check
 * what the frame shows).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MARKER		"\033]5553;frame\007"
#define MARKER_LEN	(sizeof(MARKER) - 1)

static double
mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct child {
	pid_t	 pid;
	int	 fd;
	char	 tail[MARKER_LEN];	/* a marker split by read() */
	size_t	 ntail;
	long	 frames;
	int	 eof;
	FILE	*dump;		/* until the first frame, or NULL */
};

/* Read what is there (waiting up to 'ms'); count markers. */
static void
pump(struct child *c, int ms)
{
	struct pollfd	 p = { c->fd, POLLIN, 0 };
	char		 buf[65536 + MARKER_LEN];
	ssize_t		 n;
	size_t		 len, i;

	if (c->eof || poll(&p, 1, ms) <= 0)
		return;
	memcpy(buf, c->tail, c->ntail);
	n = read(c->fd, buf + c->ntail, 65536);
	if (n <= 0) {
		c->eof = 1;	/* EIO once the child has gone */
		return;
	}
	len = c->ntail + (size_t)n;
	if (c->dump != NULL)
		fwrite(buf + c->ntail, 1, (size_t)n, c->dump);
	for (i = 0; i + MARKER_LEN <= len; i++) {
		if (memcmp(buf + i, MARKER, MARKER_LEN) == 0) {
			c->frames++;
			i += MARKER_LEN - 1;
		}
	}
	/* Keep a tail that cannot hold a whole (already counted) marker. */
	c->ntail = len < MARKER_LEN - 1 ? len : MARKER_LEN - 1;
	memcpy(c->tail, buf + len - c->ntail, c->ntail);
}

static void
start(struct child *c, char **argv)
{
	struct winsize	ws = { 50, 200, 0, 0 };

	memset(c, 0, sizeof *c);
	if (getenv("PTYRUN_DUMP") != NULL &&
	    (c->dump = fopen(getenv("PTYRUN_DUMP"), "w")) == NULL) {
		perror("ptyrun: PTYRUN_DUMP");
		exit(1);
	}
	c->pid = forkpty(&c->fd, NULL, NULL, &ws);
	if (c->pid == -1) {
		perror("ptyrun: forkpty");
		exit(1);
	}
	if (c->pid == 0) {
		setenv("TERM", "xterm", 1);
		setenv("LANG", "C.UTF-8", 1);
		unsetenv("LC_ALL");
		unsetenv("LINES");
		unsetenv("COLUMNS");
		setenv("PGDECK_TEST_SYNC", "1", 1);
		execvp(argv[0], argv);
		perror("ptyrun: exec");
		_exit(127);
	}
}

/* Quit with 'q'; then TERM, then KILL.  Returns the wait status. */
static int
stop(struct child *c, struct rusage *ru)
{
	double	 t;
	int	 status = 0, sig = 0;
	pid_t	 r;

	if (write(c->fd, "q", 1) != 1)
		sig = SIGTERM;
	for (;;) {
		if (sig != 0)
			kill(c->pid, sig);
		t = mono() + 3;
		while (mono() < t) {
			r = wait4(c->pid, &status, WNOHANG, ru);
			if (r == c->pid) {
				close(c->fd);
				return status;
			}
			pump(c, 50);
		}
		if (sig == SIGKILL)
			break;
		sig = sig == 0 ? SIGTERM : SIGKILL;
		fprintf(stderr, "ptyrun: pid %d still running, sending %s\n",
		    (int)c->pid, sig == SIGTERM ? "SIGTERM" : "SIGKILL");
	}
	close(c->fd);
	return -1;
}

int
main(int argc, char **argv)
{
	struct child	 c;
	struct rusage	 ru;
	double		 secs, t0, deadline;
	int		 status;

	if (argc < 5 || strcmp(argv[3], "--") != 0) {
		fprintf(stderr, "usage: ptyrun first-frame|run SECONDS --"
		    " COMMAND [ARG]...\n");
		return 2;
	}
	secs = atof(argv[2]);
	signal(SIGPIPE, SIG_IGN);
	if (strcmp(argv[1], "first-frame") == 0) {
		t0 = mono();
		start(&c, argv + 4);
		deadline = t0 + secs;
		while (c.frames == 0 && !c.eof && mono() < deadline)
			pump(&c, 10);
		if (c.frames == 0) {
			stop(&c, &ru);
			fprintf(stderr, "ptyrun: no frame within %.0f s\n",
			    secs);
			return 1;
		}
		printf("first_frame_ms %.3f\n", (mono() - t0) * 1e3);
		if (c.dump != NULL) {
			fclose(c.dump);
			c.dump = NULL;
		}
		stop(&c, &ru);
		return 0;
	}
	if (strcmp(argv[1], "run") == 0) {
		t0 = mono();
		start(&c, argv + 4);
		while (mono() < t0 + secs && !c.eof)
			pump(&c, 100);
		status = stop(&c, &ru);
		printf("run.wall_s %.3f\n", mono() - t0);
		printf("run.frames %ld\n", c.frames);
		printf("run.user_s %.3f\nrun.sys_s %.3f\nrun.maxrss_kb %ld\n",
		    (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
		    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6,
		    ru.ru_maxrss);
		printf("run.exit %d\n", status == -1 ? -1 :
		    WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
		    WTERMSIG(status));
		return 0;
	}
	fprintf(stderr, "ptyrun: unknown mode %s\n", argv[1]);
	return 2;
}
