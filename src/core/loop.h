/*
 * loop.h - the single-threaded reactor: one poll() over the terminal,
 * libpq sockets and a self-pipe for signals, plus one-shot timers
 * (redis ae, tmux's event loop without libevent).
 *
 * Callbacks run on the loop's thread only.  File descriptors are
 * registered by number; a descriptor may be re-registered with new
 * events at any time, including from inside its own callback.
 */
#ifndef PGDECK_LOOP_H
#define PGDECK_LOOP_H

#include <stdint.h>

struct loop;

typedef void (*loop_fd_fn)(int fd, short revents, void *arg);
typedef void (*loop_timer_fn)(void *arg);
typedef void (*loop_signal_fn)(int signo, void *arg);
typedef void (*loop_hook_fn)(void *arg);

struct loop	*loop_new(void);
void		 loop_free(struct loop *loop);

/* Watch 'fd' for 'events' (POLLIN/POLLOUT); replaces an earlier watch. */
void		 loop_watch_fd(struct loop *loop, int fd, short events,
		     loop_fd_fn fn, void *arg);
void		 loop_unwatch_fd(struct loop *loop, int fd);

/*
 * Run 'fn' once, 'delay_ms' from now.  Returns a timer id (> 0) for
 * loop_timer_cancel(); cancelling a fired or unknown id is harmless.
 */
uint64_t	 loop_timer_add(struct loop *loop, int64_t delay_ms,
		     loop_timer_fn fn, void *arg);
void		 loop_timer_cancel(struct loop *loop, uint64_t id);

/*
 * Deliver 'signo' to 'fn' from the loop (never from the handler).
 * Returns -1 if the self-pipe or sigaction fails.
 */
int		 loop_on_signal(struct loop *loop, int signo, loop_signal_fn fn,
		     void *arg);

/* Call 'fn' after each batch of events, before sleeping (redraws). */
void		 loop_before_sleep(struct loop *loop, loop_hook_fn fn, void *arg);

/* Run until loop_stop(); returns 0, or -1 if poll() fails. */
int		 loop_run(struct loop *loop);
/* Run one iteration, waiting at most 'max_wait_ms' (-1: no cap). */
int		 loop_run_once(struct loop *loop, int max_wait_ms);
void		 loop_stop(struct loop *loop);
int		 loop_stopped(const struct loop *loop);

#endif
