/*
 * print.c - the analysed plan as plain text, for scripts and CI
 * (`pgdeck explain --print`).  ASCII only; one line per node.
 */
#include <stdio.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "plan.h"

#include "../core/banned.h"

/* "P", "C", "I", "J", "!" for what the plan leaves ambiguous. */
static const char *
amb_flags(unsigned amb, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s%s", amb & PLAN_AMB_PARALLEL ? "P" : "",
	    amb & PLAN_AMB_CTE ? "C" : "", amb & PLAN_AMB_INITPLAN ? "I" : "",
	    amb & PLAN_AMB_JIT ? "J" : "", amb & PLAN_AMB_ROUNDING ? "R" : "",
	    amb & PLAN_AMB_CLAMPED ? "!" : "");
	return buf;
}

static void
print_header(const struct plan *p, const char *name, struct strbuf *out)
{
	int	i;

	strbuf_addf(out, "%s: %d node%s, %s%s", name, p->nnodes,
	    p->nnodes == 1 ? "" : "s", p->format == PLAN_JSON ? "JSON" :
	    "text", p->analyzed ? ", analysed" : ", estimates only");
	if (p->has_execution)
		strbuf_addf(out, ", execution %.3f ms", p->execution_ms);
	if (p->has_planning)
		strbuf_addf(out, ", planning %.3f ms", p->planning_ms);
	strbuf_addch(out, '\n');
	for (i = 0; i < p->ntriggers; i++) {
		const struct plan_trigger *t = &p->triggers[i];

		strbuf_addf(out, "trigger %s%s%s: %.3f ms, %.0f calls "
		    "(not in node times)\n", t->name,
		    t->relation != NULL ? " on " : "",
		    t->relation != NULL ? t->relation : "", t->time_ms,
		    t->calls);
	}
	if (p->has_jit)
		strbuf_addf(out, "JIT: %.0f functions, %.3f ms (generation "
		    "%.3f, inlining %.3f, optimization %.3f, emission %.3f), "
		    "spread over node times\n", p->jit_functions,
		    p->jit_total_ms, p->jit_generation_ms, p->jit_inlining_ms,
		    p->jit_optimization_ms, p->jit_emission_ms);
}

void
plan_print(const struct plan *p, const char *name, struct strbuf *out)
{
	char	title[512], flags[8], est[32], act[32], buf[32];
	int	i, d;

	print_header(p, name, out);
	if (p->analyzed)
		strbuf_addstr(out, "\n   self ms  self%     incl ms   rows est"
		    "   rows act  misest     loops    buffers flags  node\n");
	else
		strbuf_addstr(out, "\n self cost  cost%  total cost   rows est"
		    "  width  node\n");
	for (i = 0; i < p->nnodes; i++) {
		const struct plan_node *n = &p->nodes[i];

		plan_node_title(n, title, sizeof title);
		fmt_count(est, sizeof est, n->plan_rows);
		if (p->analyzed) {
			fmt_count(act, sizeof act, n->act_rows);
			fmt_count(buf, sizeof buf, n->self_buf_total);
			if (n->never_executed)
				strbuf_addf(out, "%10s %6s %11s %10s %10s %7s "
				    "%9s %10s %-5s  ", "-", "-", "-", est,
				    "never", "", "0", "", "");
			else
				strbuf_addf(out, "%10.3f %5.1f%% %11.3f %10s "
				    "%10s %c%6.0fx %9.0f %10s %-5s  ",
				    n->self_ms, p->total_ms > 0 ?
				    100 * n->self_ms / p->total_ms : 0,
				    n->incl_ms, est, act,
				    n->misestimate < 2 ? ' ' :
				    n->underestimate ? 'v' : '^',
				    n->misestimate, n->loops, buf,
				    amb_flags(n->amb, flags, sizeof flags));
		} else {
			strbuf_addf(out, "%10.2f %5.1f%% %11.2f %10s %6.0f  ",
			    n->self_cost, p->nodes[0].total_cost > 0 ?
			    100 * n->self_cost / p->nodes[0].total_cost : 0,
			    n->total_cost, est, n->plan_width);
		}
		for (d = 0; d < n->depth; d++)
			strbuf_addstr(out, "  ");
		if (n->subplan != NULL)
			strbuf_addf(out, "[%s] ", n->subplan);
		if (n->depth > 0)
			strbuf_addstr(out, "-> ");
		strbuf_addstr(out, title);
		strbuf_addch(out, '\n');
	}
	if (p->analyzed && p->amb != 0)
		strbuf_addstr(out, "\nflags: P parallel section (divided by "
		    "processes), C CTE time charged to one of several scans, "
		    "I InitPlan user guessed, J JIT time inside, R per-loop "
		    "rounding over many loops, ! clamped at 0\n");
	if (p->nwarnings > 0) {
		strbuf_addstr(out, "\nwarnings, by impact:\n");
		for (i = 0; i < p->nwarnings; i++) {
			const struct plan_warning *w = &p->warnings[i];

			strbuf_addf(out, "%3d. [%s] %s\n      fix: %s\n", i + 1,
			    plan_warning_name(w->kind), w->text, w->hint);
		}
	}
}
