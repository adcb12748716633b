/*
 * pg_conn.c - non-blocking libpq on the main loop.
 *
 * State machine:
 *   DISCONNECTED -start-> CONNECTING -poll ok-> READY -error-> RETRY_WAIT
 *   RETRY_WAIT -timer-> CONNECTING
 * In READY, at most one query is in flight; the rest wait in a FIFO.
 * Every in-flight query and every connection attempt has a client-side
 * deadline so that a server that stops answering (SIGSTOP, a dead
 * network path) cannot hold the UI: the connection is dropped instead.
 */
#include "pg_conn.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "loop.h"
#include "strbuf.h"
#include "util.h"
#include "banned.h"

#define CONNECT_TIMEOUT_MS	10000
#define DEADLINE_GRACE_MS	3000
#define BACKOFF_MAX_MS		30000

enum query_kind {
	Q_SQL,			/* PQsendQuery(Params) */
	Q_ONE,			/* PQsendQueryParams: one statement only */
	Q_PREPARE,		/* PQsendPrepare */
	Q_EXEC,			/* PQsendQueryPrepared */
};

struct query {
	struct query	 *next;
	enum query_kind	  kind;
	char		 *name;		/* statement name, or NULL */
	char		 *sql;
	char		**params;
	int		  nparams;
	int64_t		  timeout_ms;
	pg_reply_fn	  fn;
	void		 *arg;
};

struct pg_conn {
	struct loop		 *loop;
	char			**keys, **vals;
	PGconn			 *conn;
	int			  fd;		/* watched socket, or -1 */
	enum pg_conn_state	  state;
	char			 *error;
	int64_t			  retry_at;
	int64_t			  backoff_ms;
	uint64_t		  timer;	/* deadline or retry timer */
	int			  connects;

	struct query		 *head, *tail;	/* queue; head in flight */
	int			  in_flight;
	int64_t			  sent_at;
	PGresult		**res;
	size_t			  nres, ares;

	pg_conn_hook_fn		  on_ready, on_state;
	void			 *hook_arg;
};

static void	conn_lost(struct pg_conn *, const char *);
static void	send_next(struct pg_conn *);
static void	socket_ready(int, short, void *);

const char *
pg_host_name(PGconn *conn)
{
	const char *h = PQhost(conn);

	return h == NULL || h[0] == '/' ? "local" : h;
}

char *
pg_source(PGconn *conn)
{
	return xstrfmt("%s@%s:%s/%s", PQuser(conn), pg_host_name(conn),
	    PQport(conn), PQdb(conn));
}

const char *
pg_first_line(const char *msg, char *buf, size_t size)
{
	size_t	n;

	if (msg == NULL)
		msg = "";
	if (strncmp(msg, "ERROR:  ", 8) == 0)
		msg += 8;
	else if (strncmp(msg, "FATAL:  ", 8) == 0)
		msg += 8;
	n = strcspn(msg, "\n");
	if (n >= size)
		n = size - 1;
	memcpy(buf, msg, n);
	buf[n] = '\0';
	return buf;
}

static char **
dup_strv(const char *const *v, size_t n)
{
	char	**out;
	size_t	  i;

	out = xcalloc(n + 1, sizeof *out);
	for (i = 0; i < n; i++)
		out[i] = v[i] != NULL ? xstrdup(v[i]) : NULL;
	return out;
}

struct pg_conn *
pg_conn_new(struct loop *loop, const char *const *keys,
    const char *const *vals)
{
	struct pg_conn	*pc;
	size_t		 n;

	for (n = 0; keys[n] != NULL; n++)
		;
	pc = xcalloc(1, sizeof *pc);
	pc->loop = loop;
	pc->keys = dup_strv(keys, n);
	pc->vals = dup_strv(vals, n);
	pc->fd = -1;
	pc->state = PGC_DISCONNECTED;
	pc->backoff_ms = 1000;
	return pc;
}

static void
free_query(struct query *q)
{
	int	i;

	for (i = 0; i < q->nparams; i++)
		free(q->params[i]);
	free(q->params);
	free(q->sql);
	free(q->name);
	free(q);
}

static void
clear_results(struct pg_conn *pc)
{
	size_t	i;

	for (i = 0; i < pc->nres; i++)
		PQclear(pc->res[i]);
	pc->nres = 0;
}

static void
unwatch(struct pg_conn *pc)
{
	if (pc->fd != -1) {
		loop_unwatch_fd(pc->loop, pc->fd);
		pc->fd = -1;
	}
}

static void
cancel_timer(struct pg_conn *pc)
{
	if (pc->timer != 0) {
		loop_timer_cancel(pc->loop, pc->timer);
		pc->timer = 0;
	}
}

static void
watch(struct pg_conn *pc, short events)
{
	int	fd = PQsocket(pc->conn);

	if (fd != pc->fd)
		unwatch(pc);
	if (fd < 0)
		return;
	pc->fd = fd;
	loop_watch_fd(pc->loop, fd, events, socket_ready, pc);
}

static void
set_state(struct pg_conn *pc, enum pg_conn_state st)
{
	pc->state = st;
	if (pc->on_state != NULL)
		pc->on_state(pc, pc->hook_arg);
}

/* Fail every queued query with 'why', calling their callbacks. */
static void
fail_queue(struct pg_conn *pc, const char *why)
{
	struct query	*q;
	struct pg_reply	 r;

	while ((q = pc->head) != NULL) {
		pc->head = q->next;
		memset(&r, 0, sizeof r);
		r.error = why;
		q->fn(&r, q->arg);
		free_query(q);
	}
	pc->tail = NULL;
	pc->in_flight = 0;
	clear_results(pc);
}

void
pg_conn_free(struct pg_conn *pc)
{
	size_t	i;

	if (pc == NULL)
		return;
	cancel_timer(pc);
	unwatch(pc);
	/*
	 * Drop queued queries without their callbacks: the objects they
	 * would call back into are being torn down too.
	 */
	while (pc->head != NULL) {
		struct query	*q = pc->head;

		pc->head = q->next;
		free_query(q);
	}
	clear_results(pc);
	if (pc->conn != NULL)
		PQfinish(pc->conn);
	for (i = 0; pc->keys[i] != NULL; i++) {
		free(pc->keys[i]);
		free(pc->vals[i]);
	}
	free(pc->keys);
	free(pc->vals);
	free(pc->res);
	free(pc->error);
	free(pc);
}

void
pg_conn_set_hooks(struct pg_conn *pc, pg_conn_hook_fn on_ready,
    pg_conn_hook_fn on_state, void *arg)
{
	pc->on_ready = on_ready;
	pc->on_state = on_state;
	pc->hook_arg = arg;
}

static void
quiet_notices(void *arg, const char *msg)
{
	(void)arg;
	log_debug("notice: %s", msg);
}

static void
became_ready(struct pg_conn *pc)
{
	cancel_timer(pc);
	PQsetnonblocking(pc->conn, 1);
	PQsetNoticeProcessor(pc->conn, quiet_notices, NULL);
	free(pc->error);
	pc->error = NULL;
	pc->backoff_ms = 1000;
	pc->connects++;
	watch(pc, POLLIN);
	set_state(pc, PGC_READY);
	if (pc->on_ready != NULL)
		pc->on_ready(pc, pc->hook_arg);
	send_next(pc);
}

void
pg_conn_adopt(struct pg_conn *pc, PGconn *conn)
{
	pc->conn = conn;
	became_ready(pc);
}

static void
retry_timer(void *arg)
{
	struct pg_conn	*pc = arg;

	pc->timer = 0;
	pg_conn_start(pc);
}

static void
connect_deadline(void *arg)
{
	struct pg_conn	*pc = arg;

	pc->timer = 0;
	conn_lost(pc, "timed out connecting to the server");
}

static void
continue_connect(struct pg_conn *pc)
{
	char	buf[512];

	switch (PQconnectPoll(pc->conn)) {
	case PGRES_POLLING_READING:
		watch(pc, POLLIN);
		break;
	case PGRES_POLLING_WRITING:
		watch(pc, POLLOUT);
		break;
	case PGRES_POLLING_OK:
		became_ready(pc);
		break;
	default:
		conn_lost(pc, pg_first_line(PQerrorMessage(pc->conn), buf,
		    sizeof buf));
		break;
	}
}

void
pg_conn_start(struct pg_conn *pc)
{
	char	buf[512];

	cancel_timer(pc);
	unwatch(pc);
	if (pc->conn != NULL)
		PQfinish(pc->conn);
	pc->conn = PQconnectStartParams((const char *const *)pc->keys,
	    (const char *const *)pc->vals, 1);
	if (pc->conn == NULL) {
		conn_lost(pc, "cannot allocate a connection");
		return;
	}
	if (PQstatus(pc->conn) == CONNECTION_BAD) {
		conn_lost(pc, pg_first_line(PQerrorMessage(pc->conn), buf,
		    sizeof buf));
		return;
	}
	set_state(pc, PGC_CONNECTING);
	pc->timer = loop_timer_add(pc->loop, CONNECT_TIMEOUT_MS,
	    connect_deadline, pc);
	/* libpq wants the first poll as if the socket were writable. */
	watch(pc, POLLOUT);
}

static void
conn_lost(struct pg_conn *pc, const char *why)
{
	char	*msg = xstrdup(why);

	log_debug("connection lost: %s", why);
	cancel_timer(pc);
	unwatch(pc);
	if (pc->conn != NULL) {
		PQfinish(pc->conn);
		pc->conn = NULL;
	}
	free(pc->error);
	pc->error = msg;
	/* Callbacks run by fail_queue() must see the connection as down. */
	pc->state = PGC_RETRY_WAIT;
	fail_queue(pc, msg);
	pc->retry_at = clock_now_ms() + pc->backoff_ms;
	pc->timer = loop_timer_add(pc->loop, pc->backoff_ms, retry_timer, pc);
	pc->backoff_ms *= 2;
	if (pc->backoff_ms > BACKOFF_MAX_MS)
		pc->backoff_ms = BACKOFF_MAX_MS;
	set_state(pc, PGC_RETRY_WAIT);
}

static void
query_deadline(void *arg)
{
	struct pg_conn	*pc = arg;

	pc->timer = 0;
	conn_lost(pc, "the server stopped answering");
}

static void
flush_output(struct pg_conn *pc)
{
	int	rc = PQflush(pc->conn);

	if (rc == -1) {
		conn_lost(pc, "cannot send to the server");
		return;
	}
	watch(pc, rc == 1 ? POLLIN | POLLOUT : POLLIN);
}

static void
send_next(struct pg_conn *pc)
{
	struct query	*q = pc->head;
	char		 buf[512];
	int		 ok;

	if (pc->state != PGC_READY || pc->in_flight || q == NULL)
		return;
	if (q->kind == Q_PREPARE)
		ok = PQsendPrepare(pc->conn, q->name, q->sql, 0, NULL);
	else if (q->kind == Q_EXEC)
		ok = PQsendQueryPrepared(pc->conn, q->name, q->nparams,
		    (const char *const *)q->params, NULL, NULL, 0);
	else if (q->nparams > 0 || q->kind == Q_ONE)
		ok = PQsendQueryParams(pc->conn, q->sql, q->nparams, NULL,
		    (const char *const *)q->params, NULL, NULL, 0);
	else
		ok = PQsendQuery(pc->conn, q->sql);
	if (!ok) {
		conn_lost(pc, pg_first_line(PQerrorMessage(pc->conn), buf,
		    sizeof buf));
		return;
	}
	pc->in_flight = 1;
	pc->sent_at = clock_now_ms();
	pc->timer = loop_timer_add(pc->loop, q->timeout_ms + DEADLINE_GRACE_MS,
	    query_deadline, pc);
	flush_output(pc);
}

static void
finish_query(struct pg_conn *pc)
{
	struct query	*q = pc->head;
	struct pg_reply	 r;
	char		 buf[512];
	const char	*err = NULL;
	size_t		 i;
	ExecStatusType	 st;

	cancel_timer(pc);
	for (i = 0; i < pc->nres && err == NULL; i++) {
		st = PQresultStatus(pc->res[i]);
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
			err = pg_first_line(PQresultErrorMessage(pc->res[i]),
			    buf, sizeof buf);
	}
	memset(&r, 0, sizeof r);
	r.res = pc->res;
	r.nres = (int)pc->nres;
	r.error = err;
	r.elapsed_ms = (double)(clock_now_ms() - pc->sent_at);
	pc->head = q->next;
	if (pc->head == NULL)
		pc->tail = NULL;
	pc->in_flight = 0;
	q->fn(&r, q->arg);
	free_query(q);
	clear_results(pc);
}

static void
read_results(struct pg_conn *pc)
{
	PGresult	*res;
	char		 buf[512];
	PGnotify	*n;

	if (!PQconsumeInput(pc->conn)) {
		conn_lost(pc, pg_first_line(PQerrorMessage(pc->conn), buf,
		    sizeof buf));
		return;
	}
	while ((n = PQnotifies(pc->conn)) != NULL)
		PQfreemem(n);
	while (pc->in_flight && !PQisBusy(pc->conn)) {
		res = PQgetResult(pc->conn);
		if (res == NULL) {
			finish_query(pc);
			break;
		}
		xgrow((void **)&pc->res, &pc->ares, pc->nres + 1,
		    sizeof *pc->res);
		pc->res[pc->nres++] = res;
	}
	if (pc->state != PGC_READY)
		return;
	if (PQstatus(pc->conn) == CONNECTION_BAD) {
		conn_lost(pc, pg_first_line(PQerrorMessage(pc->conn), buf,
		    sizeof buf));
		return;
	}
	send_next(pc);
}

static void
socket_ready(int fd, short revents, void *arg)
{
	struct pg_conn	*pc = arg;

	(void)fd;
	if (pc->state == PGC_CONNECTING) {
		continue_connect(pc);
		return;
	}
	if (pc->state != PGC_READY)
		return;
	if (revents & POLLOUT) {
		flush_output(pc);
		if (pc->state != PGC_READY)
			return;
	}
	if (revents & (POLLIN | POLLHUP | POLLERR))
		read_results(pc);
}

static int
enqueue(struct pg_conn *pc, enum query_kind kind, const char *name,
    const char *sql, int nparams, const char *const *params,
    int64_t timeout_ms, pg_reply_fn fn, void *arg)
{
	struct query	*q;

	if (pc->state != PGC_READY)
		return -1;
	q = xcalloc(1, sizeof *q);
	q->kind = kind;
	q->name = name != NULL ? xstrdup(name) : NULL;
	q->sql = xstrdup(sql != NULL ? sql : "");
	q->nparams = nparams;
	if (nparams > 0)
		q->params = dup_strv(params, (size_t)nparams);
	q->timeout_ms = timeout_ms;
	q->fn = fn;
	q->arg = arg;
	if (pc->tail != NULL)
		pc->tail->next = q;
	else
		pc->head = q;
	pc->tail = q;
	send_next(pc);
	return 0;
}

int
pg_conn_query(struct pg_conn *pc, const char *sql, int nparams,
    const char *const *params, int64_t timeout_ms, pg_reply_fn fn, void *arg)
{
	return enqueue(pc, Q_SQL, NULL, sql, nparams, params, timeout_ms, fn,
	    arg);
}

int
pg_conn_query_one(struct pg_conn *pc, const char *sql, int64_t timeout_ms,
    pg_reply_fn fn, void *arg)
{
	return enqueue(pc, Q_ONE, NULL, sql, 0, NULL, timeout_ms, fn, arg);
}

int
pg_conn_prepare(struct pg_conn *pc, const char *name, const char *sql,
    int64_t timeout_ms, pg_reply_fn fn, void *arg)
{
	return enqueue(pc, Q_PREPARE, name, sql, 0, NULL, timeout_ms, fn, arg);
}

int
pg_conn_query_prepared(struct pg_conn *pc, const char *name, int nparams,
    const char *const *params, int64_t timeout_ms, pg_reply_fn fn, void *arg)
{
	return enqueue(pc, Q_EXEC, name, NULL, nparams, params, timeout_ms, fn,
	    arg);
}

enum pg_conn_state
pg_conn_state(const struct pg_conn *pc)
{
	return pc->state;
}

const char *
pg_conn_error(const struct pg_conn *pc)
{
	return pc->error;
}

int64_t
pg_conn_retry_in(const struct pg_conn *pc)
{
	int64_t	d = pc->retry_at - clock_now_ms();

	return d > 0 ? d : 0;
}

PGconn *
pg_conn_raw(const struct pg_conn *pc)
{
	return pc->state == PGC_READY ? pc->conn : NULL;
}

int
pg_conn_connects(const struct pg_conn *pc)
{
	return pc->connects;
}
