/*
 * planopen.c - what opening a big EXPLAIN plan costs, and how fast the
 * Plan pane answers a key on it.  For bench/plan.sh.
 *
 *   planopen open [-r RUNS] FILE...
 *       For each FILE, RUNS times (default 5), each in a fresh child
 *       process: plan_load() timed (wall and CPU), the child's peak RSS
 *       (wait4()), its RSS before and after the load, the malloc'd
 *       bytes still in use after it (mallinfo2(): what the plan keeps),
 *       then plan_analyze() again and plan_free() timed (CPU).  Then,
 *       also RUNS times, the parts: reading the file alone,
 *       plan_unframe() alone (both parsers run it over the whole input),
 *       and for a JSON file jansson's json_loadb() alone (wall, CPU,
 *       peak RSS), so the engine's own share shows.  Prints "key value" lines with
 *       medians (and min-max for the load).
 *
 *   planopen pty TIMEOUT_S KEYS -- COMMAND [ARG]...
 *       Runs COMMAND on a 50x200 pty (bench/ptyrun.c: TERM=xterm,
 *       PGDECK_TEST_SYNC=1), times fork to the first frame marker, waits
 *       for the screen to settle, then sends each key of KEYS and times
 *       the write to the next frame marker.  KEYS is a comma-separated
 *       list of NAME or NAME*COUNT: Down Up PgDn PgUp Home End Space
 *       Enter Tab, or any other word sent as is (h, H, /x ...).  Prints
 *       first_frame_ms, per key name the median, p90 and max ms, and the
 *       child's CPU and peak RSS.
 */
#define main ptyrun_main
#include "ptyrun.c"
#undef main

#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <sys/stat.h>

#include <jansson.h>

#include "plan/plan.h"
#include "plan/plan_int.h"		/* plan_unframe(), timed alone */

static double
cpu_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident set size now, kB (/proc/self/statm). */
static long
rss_now_kb(void)
{
	FILE	*f = fopen("/proc/self/statm", "r");
	long	 size = 0, res = 0;

	if (f != NULL) {
		if (fscanf(f, "%ld %ld", &size, &res) != 2)
			res = 0;
		fclose(f);
	}
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
pct(double *v, int n, double p)	/* v sorted */
{
	int	i = (int)ceil(p * n) - 1;

	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* What one child measured, sent back through a pipe. */
struct probe {
	double	wall_ms, cpu_ms;
	double	analyze_ms, free_ms;
	long	base_kb, after_kb;
	double	heap_kb;	/* malloc'd bytes still in use after the load */
	int	nodes, nwarnings, ok;
	char	cause[512];
};

enum part { P_LOAD, P_READ, P_JANSSON, P_UNFRAME };

static char *
read_file(const char *path, size_t *len)
{
	struct stat	 sb;
	char		*buf;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd = open(path, O_RDONLY);

	if (fd == -1 || fstat(fd, &sb) == -1) {
		perror(path);
		exit(1);
	}
	if ((buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		perror("planopen");
		exit(1);
	}
	while ((n = read(fd, buf + off, (size_t)sb.st_size - off)) > 0)
		off += (size_t)n;
	close(fd);
	*len = off;
	return buf;
}

static void
child(const char *path, enum part part, struct probe *pr)
{
	double		 w0, c0;
	struct plan	*p;
	char		*cause = NULL;
	size_t		 heap0;

	memset(pr, 0, sizeof *pr);
	pr->base_kb = rss_now_kb();
	heap0 = mallinfo2().uordblks + mallinfo2().hblkhd;
	w0 = mono();
	c0 = cpu_now();
	if (part == P_LOAD) {
		p = plan_load(path, &cause);
		pr->wall_ms = (mono() - w0) * 1e3;
		pr->cpu_ms = (cpu_now() - c0) * 1e3;
		pr->after_kb = rss_now_kb();
		pr->heap_kb = (double)(mallinfo2().uordblks + mallinfo2().hblkhd -
		    heap0) / 1024;
		if (p == NULL) {
			snprintf(pr->cause, sizeof pr->cause, "%s", cause);
			return;
		}
		pr->ok = 1;
		pr->nodes = p->nnodes;
		pr->nwarnings = p->nwarnings;
		c0 = cpu_now();
		plan_analyze(p);
		pr->analyze_ms = (cpu_now() - c0) * 1e3;
		c0 = cpu_now();
		plan_free(p);
		pr->free_ms = (cpu_now() - c0) * 1e3;
	} else {
		size_t		 len;
		char		*buf = read_file(path, &len);

		if (part == P_JANSSON) {
			json_error_t	 err;
			json_t		*root = json_loadb(buf, len,
			    JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);

			pr->ok = root != NULL;
			if (root == NULL)
				snprintf(pr->cause, sizeof pr->cause, "%s",
				    err.text);
			pr->wall_ms = (mono() - w0) * 1e3;
			pr->cpu_ms = (cpu_now() - c0) * 1e3;
			pr->after_kb = rss_now_kb();
			json_decref(root);
		} else if (part == P_UNFRAME) {
			struct plan_lines	 l;
			char			*why = NULL;

			/* Only the unframe itself: the read is subtracted. */
			w0 = mono();
			c0 = cpu_now();
			pr->ok = plan_unframe(path, buf, len, &l, &why) == 0;
			pr->wall_ms = (mono() - w0) * 1e3;
			pr->cpu_ms = (cpu_now() - c0) * 1e3;
			pr->after_kb = rss_now_kb();
			if (pr->ok)
				plan_lines_release(&l);
			free(why);
		} else {
			pr->ok = 1;
			pr->wall_ms = (mono() - w0) * 1e3;
			pr->cpu_ms = (cpu_now() - c0) * 1e3;
			pr->after_kb = rss_now_kb();
		}
		free(buf);
	}
}

/* Run 'part' in a fresh process; returns its peak RSS (kB). */
static long
run_child(const char *path, enum part part, struct probe *pr)
{
	struct rusage	ru;
	int		fd[2], status;
	pid_t		pid;
	ssize_t		n;
	size_t		off = 0;

	if (pipe(fd) == -1 || (pid = fork()) == -1) {
		perror("planopen");
		exit(1);
	}
	if (pid == 0) {
		struct probe	 mine;
		const char	*s = (const char *)&mine;
		size_t		 o = 0;

		close(fd[0]);
		child(path, part, &mine);
		while (o < sizeof mine &&
		    (n = write(fd[1], s + o, sizeof mine - o)) > 0)
			o += (size_t)n;
		_exit(0);
	}
	close(fd[1]);
	while (off < sizeof *pr &&
	    (n = read(fd[0], (char *)pr + off, sizeof *pr - off)) > 0)
		off += (size_t)n;
	close(fd[0]);
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || off != sizeof *pr) {
		fprintf(stderr, "planopen: the child for %s failed (status "
		    "%d)\n", path, status);
		exit(1);
	}
	return ru.ru_maxrss;
}

static int
is_json(const char *path)
{
	FILE	*f = fopen(path, "r");
	int	 c;

	if (f == NULL)
		return 0;
	while ((c = getc(f)) != EOF && (c == ' ' || c == '\n' || c == '\t'))
		;
	fclose(f);
	return c == '[' || c == '{';
}

static int
cmd_open(int argc, char **argv)
{
	int		 runs = 5, i, r, opt;

	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt == 'r' && atoi(optarg) > 0)
			runs = atoi(optarg);
		else
			return 2;
	}
	for (i = optind; i < argc; i++) {
		const char	*path = argv[i];
		struct stat	 sb;
		struct probe	 pr;
		double		 wall[64], cpu[64], peak[64], kept[64];
		double		 an[64], fr[64], base[64], heap[64];
		double		 rw[64], rp[64], jw[64], jc[64], jp[64];
		double		 uw[64], uc[64], up[64];
		int		 json = is_json(path);

		if (runs > 64)
			runs = 64;
		if (stat(path, &sb) == -1) {
			perror(path);
			return 1;
		}
		printf("file %s\nfile.bytes %lld\nfile.format %s\nruns %d\n",
		    path, (long long)sb.st_size, json ? "json" : "text", runs);
		for (r = 0; r < runs; r++) {
			peak[r] = (double)run_child(path, P_LOAD, &pr);
			if (!pr.ok) {
				printf("load.error %s\n", pr.cause);
				fflush(stdout);
				goto next;
			}
			wall[r] = pr.wall_ms;
			cpu[r] = pr.cpu_ms;
			kept[r] = (double)(pr.after_kb - pr.base_kb);
			base[r] = (double)pr.base_kb;
			heap[r] = pr.heap_kb;
			an[r] = pr.analyze_ms;
			fr[r] = pr.free_ms;
			fprintf(stderr, "planopen: %s run %d: %.0f ms wall, %.0f "
			    "ms CPU, peak RSS %.0f MB\n", path, r + 1,
			    pr.wall_ms, pr.cpu_ms, peak[r] / 1024);
		}
		printf("nodes %d\nwarnings %d\n", pr.nodes, pr.nwarnings);
		printf("load.wall_ms %.1f\n", median(wall, runs));
		printf("load.wall_range %.0f-%.0f\n", wall[0], wall[runs - 1]);
		printf("load.cpu_ms %.1f\n", median(cpu, runs));
		printf("load.peak_rss_kb %.0f\n", median(peak, runs));
		printf("load.base_rss_kb %.0f\n", median(base, runs));
		printf("load.kept_rss_kb %.0f\n", median(kept, runs));
		printf("load.heap_kb %.0f\n", median(heap, runs));
		printf("analyze.ms %.1f\n", median(an, runs));
		printf("free.ms %.1f\n", median(fr, runs));
		for (r = 0; r < runs; r++) {
			rp[r] = (double)run_child(path, P_READ, &pr);
			rw[r] = pr.wall_ms;
		}
		printf("read.wall_ms %.1f\nread.peak_rss_kb %.0f\n",
		    median(rw, runs), median(rp, runs));
		for (r = 0; r < runs; r++) {
			up[r] = (double)run_child(path, P_UNFRAME, &pr);
			uw[r] = pr.wall_ms;
			uc[r] = pr.cpu_ms;
		}
		printf("unframe.wall_ms %.1f\nunframe.cpu_ms %.1f\n"
		    "unframe.peak_rss_kb %.0f\n", median(uw, runs),
		    median(uc, runs), median(up, runs));
		if (json) {
			for (r = 0; r < runs; r++) {
				jp[r] = (double)run_child(path, P_JANSSON, &pr);
				jw[r] = pr.wall_ms;
				jc[r] = pr.cpu_ms;
			}
			printf("jansson.wall_ms %.1f\njansson.cpu_ms %.1f\n"
			    "jansson.peak_rss_kb %.0f\n", median(jw, runs),
			    median(jc, runs), median(jp, runs));
		}
next:
		fflush(stdout);
	}
	return 0;
}

/* ---- keys on a pty ---- */

static const char *
key_bytes(const char *name)
{
	static const struct { const char *name, *seq; } keys[] = {
		/* xterm with keypad() on: application cursor keys */
		{ "Down", "\033OB" }, { "Up", "\033OA" },
		{ "Right", "\033OC" }, { "Left", "\033OD" },
		{ "Home", "\033OH" }, { "End", "\033OF" },
		{ "PgDn", "\033[6~" }, { "PgUp", "\033[5~" },
		{ "Space", " " }, { "Enter", "\r" }, { "Tab", "\t" },
		{ "Esc", "\033" },
	};
	size_t	i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].name, name) == 0)
			return keys[i].seq;
	return name;
}

/* Read until no frame marker comes for 'quiet_ms'. */
static void
settle(struct child *c, int quiet_ms, double max_s)
{
	double	end = mono() + max_s;
	long	f;

	while (!c->eof && mono() < end) {
		f = c->frames;
		pump(c, quiet_ms);
		if (c->frames == f)
			break;
	}
}

static int
cmd_pty(int argc, char **argv)
{
	struct child	 c;
	struct rusage	 ru;
	double		 t0, secs, lat[4096];
	char		*spec, *tok, *save = NULL;
	int		 status, nlat = 0, failed = 0;

	if (argc < 5 || strcmp(argv[3], "--") != 0)
		return 2;
	secs = atof(argv[1]);
	signal(SIGPIPE, SIG_IGN);
	t0 = mono();
	start(&c, argv + 4);
	while (c.frames == 0 && !c.eof && mono() < t0 + secs)
		pump(&c, 10);
	if (c.frames == 0) {
		stop(&c, &ru);
		fprintf(stderr, "planopen: no frame within %.0f s\n", secs);
		return 1;
	}
	printf("first_frame_ms %.3f\n", (mono() - t0) * 1e3);
	if (c.dump != NULL) {
		fclose(c.dump);
		c.dump = NULL;
	}
	settle(&c, 300, 10);
	printf("settled_frames %ld\n", c.frames);

	spec = strdup(argv[2]);
	for (tok = strtok_r(spec, ",", &save); tok != NULL && !failed;
	    tok = strtok_r(NULL, ",", &save)) {
		char		*star = strchr(tok, '*');
		int		 count = 1, k;
		const char	*seq;

		if (star != NULL) {
			*star = '\0';
			count = atoi(star + 1);
		}
		seq = key_bytes(tok);
		nlat = 0;
		for (k = 0; k < count && nlat < 4096; k++) {
			long	f = c.frames;
			double	w0 = mono();

			if (write(c.fd, seq, strlen(seq)) != (ssize_t)strlen(seq))
				break;
			while (c.frames == f && !c.eof && mono() < w0 + secs)
				pump(&c, 5);
			if (c.frames == f) {
				fprintf(stderr, "planopen: no frame after key %s "
				    "(%d of %d)\n", tok, k + 1, count);
				failed = 1;
				break;
			}
			lat[nlat++] = (mono() - w0) * 1e3;
			settle(&c, 40, 5);
		}
		if (nlat > 0) {
			double m = median(lat, nlat);	/* sorts */

			printf("key.%s.n %d\nkey.%s.median_ms %.3f\n"
			    "key.%s.p90_ms %.3f\nkey.%s.max_ms %.3f\n",
			    tok, nlat, tok, m, tok, pct(lat, nlat, 0.9), tok,
			    lat[nlat - 1]);
		}
	}
	free(spec);
	status = stop(&c, &ru);
	printf("run.frames %ld\n", c.frames);
	printf("run.user_s %.3f\nrun.sys_s %.3f\nrun.maxrss_kb %ld\n",
	    (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6,
	    ru.ru_maxrss);
	printf("run.exit %d\n", status == -1 ? -1 : WIFEXITED(status) ?
	    WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return failed;
}

int
main(int argc, char **argv)
{
	int	rc = 2;

	if (argc >= 2 && strcmp(argv[1], "open") == 0)
		rc = cmd_open(argc - 1, argv + 1);
	else if (argc >= 2 && strcmp(argv[1], "pty") == 0)
		rc = cmd_pty(argc - 1, argv + 1);
	if (rc == 2)
		fprintf(stderr, "usage: planopen open [-r RUNS] FILE...\n"
		    "       planopen pty TIMEOUT_S KEYS -- COMMAND [ARG]...\n");
	return rc;
}
