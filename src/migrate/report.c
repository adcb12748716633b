/*
 * report.c - a migration set for scripts: linter lines for CI
 * (file:line: severity: rule: message) and a Markdown runbook for the
 * team's review: steps, locks, durations, findings with their safe
 * rewrites, what to watch, and the rollback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "migrate/mig_int.h"

int
mig_print_check(const struct mig_set *set, FILE *fp)
{
	int worst = -1;

	for (int i = 0; i < set->nerrors; i++)
		fprintf(fp, "%s\n", set->errors[i]);
	for (int i = 0; i < set->nfiles; i++)
		for (int k = 0; k < set->files[i].ncuts; k++)
			fprintf(fp, "%s:%d: note: cut before parsing: %s\n",
			    set->files[i].name, set->files[i].cuts[k].line,
			    set->files[i].cuts[k].what);
	for (int i = 0; i < set->nfindings; i++) {
		const struct mig_finding *f = &set->findings[i];
		const struct mig_stmt *st = &set->stmts[f->stmt];

		if (f->suppressed)
			continue;
		fprintf(fp, "%s:%d: %s: %s: %s\n", set->files[st->file].name,
		    st->line, mig_sev_name(f->sev), f->rule, f->message);
		if ((int)f->sev > worst)
			worst = (int)f->sev;
	}
	return worst;
}

void
mig_fmt_secs(char *buf, size_t size, double s)
{
	if (s < 0)
		snprintf(buf, size, "?");
	else if (s < 1)
		snprintf(buf, size, "%.0fms", s * 1000);
	else
		fmt_duration(buf, size, s);
}

void
mig_fmt_bytes(char *buf, size_t size, double b)
{
	if (b < 0)
		snprintf(buf, size, "?");
	else if (b >= 1e9)
		snprintf(buf, size, "%.1f GB", b / 1e9);
	else if (b >= 1e6)
		snprintf(buf, size, "%.1f MB", b / 1e6);
	else
		snprintf(buf, size, "%.0f kB", b / 1e3);
}

void
mig_summarise(const struct mig_set *set, struct mig_summary *out)
{
	memset(out, 0, sizeof *out);
	for (int i = 0; i < set->nstmts; i++) {
		const struct mig_stmt *st = &set->stmts[i];

		if (st->flags & MIG_ROLLBACK_FILE)
			continue;
		if (st->est < 0)
			out->unknown++;
		else
			out->total += st->est;
	}
	for (int i = 0; i < set->nfindings; i++) {
		const struct mig_finding *f = &set->findings[i];

		if (f->suppressed)
			out->suppressed++;
		else if (f->sev == MIG_DANGER)
			out->danger++;
		else if (f->sev == MIG_WARN)
			out->warn++;
		else
			out->info++;
	}
}

static void
fmt_range(char *buf, size_t size, const struct mig_stmt *st)
{
	char a[24], b[24], c[24];

	if (st->est < 0) {
		snprintf(buf, size, "?");
		return;
	}
	mig_fmt_secs(a, sizeof a, st->est);
	mig_fmt_secs(b, sizeof b, st->est_lo);
	mig_fmt_secs(c, sizeof c, st->est_hi);
	if (st->est < 0.05)
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "%s (%s–%s)", a, b, c);
}

/* A Markdown table cell: one line, pipes escaped, cut at max chars. */
static void
cell(FILE *fp, const char *s, size_t max)
{
	size_t n = 0;
	int space = 0;

	for (; s != NULL && *s != '\0' && n < max; s++) {
		if (*s == '\n' || *s == '\t' || *s == ' ') {
			space = 1;
			continue;
		}
		if (space && n > 0)
			fputc(' ', fp), n++;
		space = 0;
		if (*s == '|')
			fputc('\\', fp);
		fputc(*s, fp);
		n++;
	}
	if (s != NULL && *s != '\0')
		fputs("…", fp);
}

static void
targets(FILE *fp, const struct mig_stmt *st)
{
	int any = 0;

	for (int i = 0; i < st->ntargets; i++) {
		const struct mig_target *t = &st->targets[i];

		if (t->lock == MIG_LOCK_NONE)
			continue;
		fprintf(fp, "%s%s %s%s%s%s%s", any ? "<br>" : "", t->name,
		    mig_lock_short(t->lock),
		    t->flags & MIG_REWRITE ? ", rewrite" : "",
		    t->flags & MIG_SCAN ? ", scan" : "",
		    t->flags & MIG_BUILD ? ", index build" : "",
		    t->flags & MIG_NEW ? " (new)" : "");
		any = 1;
	}
	if (!any)
		fputs("–", fp);
}

static void
steps_table(FILE *fp, const struct mig_set *set, int rollback)
{
	fprintf(fp, "| # | where | statement | locks | blocks | estimate | tx |\n"
	    "|---|---|---|---|---|---|---|\n");
	for (int i = 0, n = 0; i < set->nstmts; i++) {
		const struct mig_stmt *st = &set->stmts[i];
		char est[96];

		if (((st->flags & MIG_ROLLBACK_FILE) != 0) != rollback)
			continue;
		if (rollback && set->files[st->file].kind == MIG_FILE_SQITCH_VERIFY)
			continue;
		fmt_range(est, sizeof est, st);
		fprintf(fp, "| %d | %s:%d | `", ++n, set->files[st->file].name,
		    st->line);
		cell(fp, st->sql, 70);
		fputs("` | ", fp);
		targets(fp, st);
		fprintf(fp, " | %s | %s | %s |\n", st->flags & MIG_PARSE_ERROR ?
		    "syntax error" : mig_block_name(st->blocks), est,
		    st->flags & MIG_NO_TX ? "**outside**" : st->tx >= 0 ?
		    "in transaction" : "autocommit");
	}
}

static void
findings(FILE *fp, const struct mig_set *set)
{
	int n = 0;

	for (int i = 0; i < set->nfindings; i++) {
		const struct mig_finding *f = &set->findings[i];
		const struct mig_stmt *st = &set->stmts[f->stmt];

		if (f->suppressed || f->sev == MIG_INFO)
			continue;
		fprintf(fp, "\n### %d. %s:%d — %s (%s)\n\n%s.\n", ++n,
		    set->files[st->file].name, st->line, f->rule,
		    mig_sev_name(f->sev), f->message);
		if (f->fix != NULL)
			fprintf(fp, "\nSafer:\n\n```sql\n%s\n```\n", f->fix);
	}
	if (n == 0)
		fputs("\nNone above info.\n", fp);
}

void
mig_print_runbook(const struct mig_set *set, FILE *fp)
{
	struct mig_summary sum;
	char buf[64];
	int has_rollback = 0;

	mig_summarise(set, &sum);
	fprintf(fp, "# Migration runbook\n\n");
	fprintf(fp, "%d file%s, %d step%s, analysed by pgdeck against %s "
	    "(rates: %s).\n\n", set->nfiles, set->nfiles == 1 ? "" : "s",
	    set->ndeploy, set->ndeploy == 1 ? "" : "s", set->origin,
	    set->rates.source);
	fprintf(fp, "## Summary\n\n");
	mig_fmt_secs(buf, sizeof buf, sum.total);
	fprintf(fp, "- Estimated time: %s%s%s\n", buf, sum.unknown > 0 ?
	    " plus steps whose work is unknown" : "", sum.unknown > 0 &&
	    strcmp(set->origin, "files") == 0 ? " (no server sizes)" : "");
	if (set->worst >= 0) {
		const struct mig_window *w = &set->windows[set->worst];

		mig_fmt_secs(buf, sizeof buf, w->s);
		fprintf(fp, "- Worst blocking window: **%s** blocked for %s "
		    "for %s (%s, steps at %s:%d to :%d)\n", w->rel,
		    mig_block_name(w->blocks), buf, mig_lock_short(w->lock),
		    set->files[set->stmts[w->first].file].name,
		    set->stmts[w->first].line, set->stmts[w->last].line);
	}
	fprintf(fp, "- Findings: %d danger, %d warning%s, %d info%s\n",
	    sum.danger, sum.warn, sum.warn == 1 ? "" : "s", sum.info,
	    sum.suppressed > 0 ?
	    " (some suppressed in the files)" : "");
	if (set->nerrors > 0) {
		fprintf(fp, "- **%d error%s** reading the files:\n", set->nerrors,
		    set->nerrors == 1 ? "" : "s");
		for (int i = 0; i < set->nerrors; i++)
			fprintf(fp, "  - `%s`\n", set->errors[i]);
	}
	if (set->oldest_xact_s >= 0) {
		mig_fmt_secs(buf, sizeof buf, set->oldest_xact_s);
		fprintf(fp, "- Oldest open transaction now: %s (pid %d); "
		    "CONCURRENTLY builds wait for it\n", buf,
		    set->oldest_xact_pid);
	}
	fprintf(fp, "\n## Steps\n\n");
	steps_table(fp, set, 0);
	fprintf(fp, "\n## Findings\n");
	findings(fp, set);
	fprintf(fp, "\n## Before you start\n\n"
	    "- `SET lock_timeout = '2s';` in the session, and retry a step "
	    "that times out: a DDL lock waiting behind a long query blocks "
	    "every query after it.\n"
	    "- Check for long transactions: `SELECT pid, now() - xact_start, "
	    "query FROM pg_stat_activity WHERE xact_start IS NOT NULL ORDER "
	    "BY 2 DESC LIMIT 5;`\n"
	    "\n## What to watch while it runs\n\n"
	    "- Sessions waiting on locks: `SELECT pid, pg_blocking_pids(pid), "
	    "wait_event, left(query, 60) FROM pg_stat_activity WHERE "
	    "wait_event_type = 'Lock';` (pgdeck's Activity pane shows the "
	    "tree)\n"
	    "- Index builds: `SELECT * FROM pg_stat_progress_create_index;`\n"
	    "- Rewrites by VACUUM FULL or CLUSTER: `SELECT * FROM "
	    "pg_stat_progress_cluster;`\n"
	    "- Replication lag, as rewrites write WAL as fast as they can: "
	    "`SELECT application_name, replay_lag FROM pg_stat_replication;`\n");
	fprintf(fp, "\n## Rollback\n\n");
	for (int i = 0; i < set->nstmts; i++)
		if ((set->stmts[i].flags & MIG_ROLLBACK_FILE) &&
		    set->files[set->stmts[i].file].kind != MIG_FILE_SQITCH_VERIFY)
			has_rollback = 1;
	if (has_rollback) {
		fprintf(fp, "Undo scripts, in the order they appear (run them "
		    "newest first):\n\n");
		steps_table(fp, set, 1);
	} else {
		fprintf(fp, "No undo, revert or down scripts were given. A step "
		    "that has run cannot be undone by aborting: plan the "
		    "reverse statements before you start.\n");
	}
	for (int i = 0; i < set->nfiles; i++)
		if (set->files[i].deploy && set->files[i].rollback < 0 &&
		    set->files[i].kind != MIG_FILE_PLAIN &&
		    set->files[i].kind != MIG_FILE_FLYWAY_REPEATABLE)
			fprintf(fp, "- %s has no rollback script.\n",
			    set->files[i].name);
}
