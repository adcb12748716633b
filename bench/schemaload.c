/*
 * schemaload.c - time the Schema pane's catalog loads on a server.
 *
 *   schemaload CONNINFO RUNS
 *
 * Each run opens a new connection (a fresh backend, cold caches, as when
 * pgdeck starts), sets statement_timeout, then runs the CATALOG phase
 * into a new catalog and the DETAIL phase on top of it, query by query as
 * sch_load() does, timing the server round trip (PQexec) and the parse
 * (sch_parse) of each apart, then sch_finish() and sch_lint(), then
 * writes the catalog as JSON and reads it back (what a capture file
 * holds).  Prints "key value" lines: the medians over the runs (ms), min
 * and max of the phase totals, the per-query medians, the JSON's size
 * and the catalog's counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "schema/schema.h"

#define MAXQ	16
#define MAXRUNS	64

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	double	c[MAXRUNS];

	memcpy(c, v, (size_t)n * sizeof *v);
	qsort(c, (size_t)n, sizeof *c, cmp_double);
	return n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
}

static double
minmax(const double *v, int n, int max)
{
	double	m = v[0];
	int	i;

	for (i = 1; i < n; i++)
		if (max ? v[i] > m : v[i] < m)
			m = v[i];
	return m;
}

/* One phase; fills the per-query server and parse times, returns total. */
static double
phase(PGconn *c, struct sch_catalog *cat, enum sch_phase ph, double *server,
    double *parse, double *finish)
{
	double	t0 = now_ms(), t;
	char	*err = NULL;
	int	i;

	for (i = 0; i < sch_nqueries(ph); i++) {
		PGresult	*res;

		t = now_ms();
		res = PQexec(c, sch_query(ph, i));
		server[i] = now_ms() - t;
		t = now_ms();
		if (sch_parse(cat, ph, i, res, &err) != 0) {
			fprintf(stderr, "schemaload: phase %d query %d: %s\n",
			    (int)ph, i, err);
			exit(1);
		}
		parse[i] = now_ms() - t;
		PQclear(res);
	}
	t = now_ms();
	sch_finish(cat);
	*finish = now_ms() - t;
	return now_ms() - t0;
}

int
main(int argc, char **argv)
{
	static double	 srv[2][MAXQ][MAXRUNS], prs[2][MAXQ][MAXRUNS];
	double		 total[2][MAXRUNS], fin[2][MAXRUNS], lint[MAXRUNS];
	double		 tojson[MAXRUNS], fromjson[MAXRUNS];
	size_t		 json_bytes = 0;
	int		 runs, r, p, i, nfind = 0;
	struct sch_catalog *last = NULL;

	if (argc != 3) {
		fprintf(stderr, "usage: schemaload CONNINFO RUNS\n");
		return 2;
	}
	runs = atoi(argv[2]);
	if (runs < 1 || runs > MAXRUNS)
		return 2;
	for (r = 0; r < runs; r++) {
		PGconn			*c = PQconnectdb(argv[1]);
		struct sch_catalog	*cat = sch_catalog_new();
		struct sch_finding	*f;
		double			 s[MAXQ], q[MAXQ], t;

		if (PQstatus(c) != CONNECTION_OK) {
			fprintf(stderr, "schemaload: %s", PQerrorMessage(c));
			return 1;
		}
		PQclear(PQexec(c, "SET statement_timeout = '30s'"));
		for (p = 0; p < 2; p++) {
			total[p][r] = phase(c, cat, p ? SCH_PHASE_DETAIL :
			    SCH_PHASE_CATALOG, s, q, &fin[p][r]);
			for (i = 0; i < sch_nqueries(p); i++) {
				srv[p][i][r] = s[i];
				prs[p][i][r] = q[i];
			}
		}
		t = now_ms();
		nfind = sch_lint(cat, &f);
		lint[r] = now_ms() - t;
		sch_findings_free(f, nfind);
		{
			char			*json, *err = NULL;
			struct sch_catalog	*back;

			t = now_ms();
			json = sch_catalog_to_json(cat);
			tojson[r] = now_ms() - t;
			json_bytes = strlen(json);
			t = now_ms();
			back = sch_catalog_from_json(json, json_bytes, &err);
			fromjson[r] = now_ms() - t;
			if (back == NULL) {
				fprintf(stderr, "schemaload: %s\n", err);
				exit(1);
			}
			sch_catalog_free(back);
			free(json);
		}
		PQfinish(c);
		sch_catalog_free(last);
		last = cat;
	}
	printf("runs %d\n", runs);
	for (p = 0; p < 2; p++) {
		const char *name = p ? "detail" : "catalog";

		printf("%s_ms %.1f\n", name, median(total[p], runs));
		printf("%s_min_ms %.1f\n", name, minmax(total[p], runs, 0));
		printf("%s_max_ms %.1f\n", name, minmax(total[p], runs, 1));
		printf("%s_finish_ms %.1f\n", name, median(fin[p], runs));
		for (i = 0; i < sch_nqueries(p); i++) {
			printf("%s_q%d_server_ms %.1f\n", name, i,
			    median(srv[p][i], runs));
			printf("%s_q%d_parse_ms %.1f\n", name, i,
			    median(prs[p][i], runs));
		}
	}
	printf("lint_ms %.1f\n", median(lint, runs));
	printf("to_json_ms %.1f\nfrom_json_ms %.1f\njson_bytes %zu\n",
	    median(tojson, runs), median(fromjson, runs), json_bytes);
	printf("findings %d\n", nfind);
	{
		int ncols = 0, fks = 0;

		for (i = 0; i < last->nrels; i++)
			ncols += last->rels[i].ncols;
		for (i = 0; i < last->nconstraints; i++)
			fks += last->constraints[i].type == 'f';
		printf("schemas %d\nrelations %d\ncolumns %d\nindexes %d\n"
		    "constraints %d\nfks %d\n", last->nschemas, last->nrels,
		    ncols, last->nindexes, last->nconstraints, fks);
	}
	sch_catalog_free(last);
	return 0;
}
