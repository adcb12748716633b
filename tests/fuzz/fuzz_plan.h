/*
 * fuzz_plan.h - the body of both plan fuzz targets: a parser, then the
 * analysis, the printer and the diff must accept or refuse with one
 * line naming the input, never crash, hang or leak.
 */
#ifndef PGDECK_FUZZ_PLAN_H
#define PGDECK_FUZZ_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/util.h"
#include "plan/diff.h"
#include "plan/plan.h"

typedef struct plan *(*plan_parse_fn)(const char *, const char *, size_t,
    char **);

static int
fuzz_plan(const uint8_t *data, size_t size, plan_parse_fn parse)
{
	struct strbuf	 out = STRBUF_INIT;
	struct plan_diff *d;
	struct plan	*p;
	char		*cause = NULL;

	if (size > (1u << 20))
		return 0;
	p = parse("fuzz", (const char *)data, size, &cause);
	if (p == NULL) {
		if (cause == NULL || strncmp(cause, "fuzz", 4) != 0 ||
		    strchr(cause, '\n') != NULL)
			abort();
		free(cause);
		return 0;
	}
	if (p->nnodes < 1 || cause != NULL)
		abort();
	plan_print(p, "fuzz", &out);
	d = plan_diff_new(p, p);
	if (d->nrows != p->nnodes || d->nadded != 0 || d->ngone != 0)
		abort();
	plan_diff_print(d, "a", "b", &out);
	plan_diff_free(d);
	strbuf_release(&out);
	plan_free(p);
	return 0;
}

#endif
