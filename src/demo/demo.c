/*
 * demo.c - the demo keeper: cluster, server and workload lifecycle.
 */
#include "demo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <libpq-fe.h>

#include "workload.h"
#include "../core/strbuf.h"
#include "../core/util.h"
#include "../core/banned.h"

struct demo {
	pid_t	 keeper;
	int	 to_keeper;	/* write end; closing it stops the demo */
	char	*conninfo;
};

static volatile sig_atomic_t	keeper_stop;

static int
is_executable(const char *path)
{
	return access(path, X_OK) == 0;
}

char *
demo_find_bindir(void)
{
	FILE		*f;
	char		 buf[512], *path, *best = NULL;
	DIR		*d;
	struct dirent	*e;
	int		 v, bestv = 0;

	if ((f = popen("pg_config --bindir 2>/dev/null", "r")) != NULL) {
		if (fgets(buf, sizeof buf, f) != NULL) {
			buf[strcspn(buf, "\n")] = '\0';
			path = xstrfmt("%s/postgres", buf);
			if (is_executable(path)) {
				free(path);
				pclose(f);
				return xstrdup(buf);
			}
			free(path);
		}
		pclose(f);
	}
	if ((d = opendir("/usr/lib/postgresql")) == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		v = atoi(e->d_name);
		if (v <= bestv)
			continue;
		path = xstrfmt("/usr/lib/postgresql/%s/bin/postgres", e->d_name);
		if (is_executable(path)) {
			free(best);
			best = xstrfmt("/usr/lib/postgresql/%s/bin", e->d_name);
			bestv = v;
		}
		free(path);
	}
	closedir(d);
	return best;
}

static int
free_port(void)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof sa;
	int			fd, port = -1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* Everything below runs in the keeper process. */

struct keeper {
	char		*bindir;
	char		*dir;		/* temp dir, removed at the end */
	char		*data;
	char		*log;
	int		 port;
	uid_t		 uid;		/* run the server as this user */
	gid_t		 gid;
	int		 drop;		/* we are root: setuid for children */
	pid_t		 postmaster, pgbench, workload;
	char		*conninfo;
};

/* fork+exec 'argv' as the server user, output to the log. */
static pid_t
spawn(struct keeper *k, char *const argv[], int as_server_user)
{
	pid_t	pid;
	int	fd;

	if ((pid = fork()) != 0)
		return pid;
	fd = open(k->log, O_WRONLY | O_APPEND | O_CREAT, 0600);
	if (fd != -1) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd != -1) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (as_server_user && k->drop) {
		if (setgroups(0, NULL) == -1 || setgid(k->gid) == -1 ||
		    setuid(k->uid) == -1)
			_exit(126);
	}
	execv(argv[0], argv);
	_exit(127);
}

static int
run_wait(struct keeper *k, char *const argv[], int as_server_user)
{
	pid_t	pid = spawn(k, argv, as_server_user);
	int	st;

	if (pid == -1)
		return -1;
	while (waitpid(pid, &st, 0) == -1) {
		if (errno != EINTR)
			return -1;
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)type;
	(void)f;
	return remove(path);
}

static void
keeper_cleanup(struct keeper *k)
{
	int	i, st;

	if (k->workload > 0)
		kill(k->workload, SIGKILL);
	if (k->pgbench > 0)
		kill(k->pgbench, SIGTERM);
	if (k->postmaster > 0) {
		/* Fast shutdown, then immediate, then kill. */
		kill(k->postmaster, SIGINT);
		for (i = 0; i < 100; i++) {
			if (waitpid(k->postmaster, &st, WNOHANG) == k->postmaster)
				break;
			if (i == 60)
				kill(k->postmaster, SIGQUIT);
			usleep(100000);
		}
		if (i == 100)
			kill(k->postmaster, SIGKILL);
	}
	while (waitpid(-1, &st, WNOHANG) > 0)
		;
	if (k->dir != NULL)
		nftw(k->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
keeper_signal(int signo)
{
	(void)signo;
	keeper_stop = 1;
}

static void
tell(int fd, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void
tell(int fd, const char *fmt, ...)
{
	char	buf[1024];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0 && write(fd, buf, (size_t)n) == -1) {
		/* pgdeck has gone; the cleanup follows */
	}
}

static int
wait_ready(struct keeper *k)
{
	int	i;

	for (i = 0; i < 300; i++) {
		if (PQping(k->conninfo) == PQPING_OK)
			return 0;
		if (waitpid(k->postmaster, NULL, WNOHANG) == k->postmaster) {
			k->postmaster = 0;
			return -1;
		}
		usleep(100000);
	}
	return -1;
}

static pid_t
start_pgbench(struct keeper *k)
{
	char	*bin = xstrfmt("%s/pgbench", k->bindir), port[16];
	char	*argv[] = { bin, "-h", "127.0.0.1", "-p", port, "-U",
	    "postgres", "-c", "4", "-j", "2", "-T", "604800", "-R", "40", "-n",
	    "postgres", NULL };
	pid_t	 pid;

	snprintf(port, sizeof port, "%d", k->port);
	pid = spawn(k, argv, 0);
	free(bin);
	return pid;
}

static pid_t
start_workload(struct keeper *k)
{
	pid_t	pid;

	if ((pid = fork()) != 0)
		return pid;
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	workload_run_forever(k->conninfo);
	_exit(0);
}

static int
keeper_setup(struct keeper *k, int report)
{
	struct passwd	*pw;
	char		 port[16], tmpl[] = "/tmp/pgdeck-demo-XXXXXX";
	char		*bin, *conf;
	char		*sockdir;
	PGconn		*c;
	PGresult	*r;

	if ((k->bindir = demo_find_bindir()) == NULL) {
		tell(report, "error cannot find the PostgreSQL server binaries "
		    "(install Debian's postgresql package)\n");
		return -1;
	}
	if (geteuid() == 0) {
		if ((pw = getpwnam("postgres")) == NULL) {
			tell(report, "error running as root needs a 'postgres' "
			    "user to run the server\n");
			return -1;
		}
		k->uid = pw->pw_uid;
		k->gid = pw->pw_gid;
		k->drop = 1;
	}
	if (mkdtemp(tmpl) == NULL) {
		tell(report, "error cannot create a temp dir: %s\n",
		    strerror(errno));
		return -1;
	}
	k->dir = xstrdup(tmpl);
	k->data = xstrfmt("%s/data", k->dir);
	k->log = xstrfmt("%s/demo.log", k->dir);
	{
		int	fd = open(k->log, O_WRONLY | O_APPEND | O_CREAT, 0600);

		if (fd != -1) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
	}
	if (k->drop && chown(k->dir, k->uid, k->gid) == -1) {
		tell(report, "error cannot give %s to postgres: %s\n", k->dir,
		    strerror(errno));
		return -1;
	}
	if ((k->port = free_port()) == -1) {
		tell(report, "error no free loopback port\n");
		return -1;
	}
	snprintf(port, sizeof port, "%d", k->port);
	tell(report, "progress creating a cluster in %s\n", k->dir);
	bin = xstrfmt("%s/initdb", k->bindir);
	{
		char	*argv[] = { bin, "-D", k->data, "-U", "postgres",
		    "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C",
		    NULL };

		if (run_wait(k, argv, 1) == -1) {
			tell(report, "error initdb failed, see %s\n", k->log);
			free(bin);
			return -1;
		}
	}
	free(bin);
	sockdir = k->dir;
	conf = xstrfmt("%s/postgresql.auto.conf", k->data);
	{
		FILE	*f = fopen(conf, "a");

		if (f != NULL) {
			fprintf(f, "listen_addresses = '127.0.0.1'\n"
			    "port = %d\n"
			    "unix_socket_directories = '%s'\n"
			    "shared_preload_libraries = 'pg_stat_statements'\n"
			    "compute_query_id = on\n"
			    "track_io_timing = on\n"
			    "max_connections = 60\n"
			    "fsync = off\n"
			    "synchronous_commit = off\n"
			    "full_page_writes = off\n"
			    "log_lock_waits = on\n"
			    "deadlock_timeout = '1s'\n", k->port, sockdir);
			fclose(f);
		}
	}
	free(conf);
	tell(report, "progress starting PostgreSQL on 127.0.0.1:%d\n", k->port);
	bin = xstrfmt("%s/postgres", k->bindir);
	{
		char	*argv[] = { bin, "-D", k->data, NULL };

		k->postmaster = spawn(k, argv, 1);
	}
	free(bin);
	k->conninfo = xstrfmt("host=127.0.0.1 port=%d dbname=postgres "
	    "user=postgres", k->port);
	if (k->postmaster == -1 || wait_ready(k) == -1) {
		tell(report, "error the server did not start, see %s\n", k->log);
		return -1;
	}
	tell(report, "progress loading the pgbench tables\n");
	c = PQconnectdb(k->conninfo);
	r = PQexec(c, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
	PQclear(r);
	PQfinish(c);
	bin = xstrfmt("%s/pgbench", k->bindir);
	{
		char	*argv[] = { bin, "-i", "-q", "-s", "2", "-h", "127.0.0.1",
		    "-p", port, "-U", "postgres", "postgres", NULL };

		if (run_wait(k, argv, 0) == -1) {
			tell(report, "error pgbench -i failed, see %s\n", k->log);
			free(bin);
			return -1;
		}
	}
	free(bin);
	return 0;
}

static void NORETURN
keeper_main(int from_pgdeck, int report)
{
	struct keeper		k;
	struct sigaction	sa;
	struct pollfd		pfd;
	char			buf[64];
	pid_t			pid;
	int			st;
	time_t			restart_at = 0;

	memset(&k, 0, sizeof k);
	setsid();
	/* Never write to pgdeck's terminal: output goes to the demo log. */
	if ((st = open("/dev/null", O_RDWR)) != -1) {
		dup2(st, STDIN_FILENO);
		dup2(st, STDOUT_FILENO);
		dup2(st, STDERR_FILENO);
		if (st > STDERR_FILENO)
			close(st);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = keeper_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (keeper_setup(&k, report) == -1) {
		keeper_cleanup(&k);
		_exit(1);
	}
	k.pgbench = start_pgbench(&k);
	k.workload = start_workload(&k);
	tell(report, "ready %s\n", k.conninfo);
	close(report);

	pfd.fd = from_pgdeck;
	pfd.events = POLLIN;
	while (!keeper_stop) {
		if (poll(&pfd, 1, 1000) == 1) {
			/* EOF or a byte: either way, pgdeck is done. */
			if (read(from_pgdeck, buf, sizeof buf) <= 0 ||
			    buf[0] == 'q')
				break;
		}
		/* Restart a workload that crashed, a few seconds later. */
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			if (pid == k.postmaster)
				k.postmaster = 0;
			if (pid == k.pgbench)
				k.pgbench = 0;
			if (pid == k.workload)
				k.workload = 0;
			restart_at = time(NULL) + 3;
		}
		if (k.postmaster != 0 && restart_at != 0 &&
		    time(NULL) >= restart_at) {
			if (k.pgbench == 0)
				k.pgbench = start_pgbench(&k);
			if (k.workload == 0)
				k.workload = start_workload(&k);
			restart_at = 0;
		}
	}
	keeper_cleanup(&k);
	_exit(0);
}

int
demo_start(struct demo **out, const char **conninfo, char **cause)
{
	int		 to_keeper[2], from_keeper[2];
	pid_t		 pid;
	struct demo	*d;
	char		 buf[2048];
	size_t		 len = 0;
	ssize_t		 n;
	char		*nl;

	*cause = NULL;
	if (pipe(to_keeper) == -1 || pipe(from_keeper) == -1) {
		*cause = xstrfmt("cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		*cause = xstrfmt("cannot fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(to_keeper[1]);
		close(from_keeper[0]);
		fcntl(to_keeper[0], F_SETFD, FD_CLOEXEC);
		fcntl(from_keeper[1], F_SETFD, FD_CLOEXEC);
		keeper_main(to_keeper[0], from_keeper[1]);
	}
	close(to_keeper[0]);
	close(from_keeper[1]);
	fcntl(to_keeper[1], F_SETFD, FD_CLOEXEC);
	d = xcalloc(1, sizeof *d);
	d->keeper = pid;
	d->to_keeper = to_keeper[1];
	/* Relay progress until "ready" or "error". */
	for (;;) {
		n = read(from_keeper[0], buf + len, sizeof buf - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			*cause = xstrdup("the demo keeper exited during setup");
			break;
		}
		len += (size_t)n;
		buf[len] = '\0';
		while ((nl = strchr(buf, '\n')) != NULL) {
			*nl = '\0';
			if (strncmp(buf, "progress ", 9) == 0)
				fprintf(stderr, "pgdeck demo: %s\n", buf + 9);
			else if (strncmp(buf, "error ", 6) == 0)
				*cause = xstrdup(buf + 6);
			else if (strncmp(buf, "ready ", 6) == 0)
				d->conninfo = xstrdup(buf + 6);
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len + 1);
		}
		if (*cause != NULL || d->conninfo != NULL)
			break;
		if (len == sizeof buf - 1)
			len = 0;
	}
	close(from_keeper[0]);
	if (d->conninfo == NULL) {
		demo_stop(d);
		return -1;
	}
	*out = d;
	*conninfo = d->conninfo;
	return 0;
}

void
demo_stop(struct demo *d)
{
	int	st, i;

	if (d == NULL)
		return;
	if (d->to_keeper != -1) {
		if (write(d->to_keeper, "q", 1) == -1) {
			/* keeper gone already */
		}
		close(d->to_keeper);
	}
	for (i = 0; i < 300; i++) {
		if (waitpid(d->keeper, &st, WNOHANG) != 0)
			break;
		usleep(100000);
	}
	if (i == 300)
		kill(d->keeper, SIGKILL);
	free(d->conninfo);
	free(d);
}
