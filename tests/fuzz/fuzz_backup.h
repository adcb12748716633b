/*
 * fuzz_backup.h - the body of the three backup fuzz targets: every
 * parser of one tool reads the input into one report (so merging is
 * fuzzed too), then each repo goes through the analysis.  A parser must
 * accept, or refuse with one line naming the tool and command and leave
 * the report as it was; nothing may crash, hang or leak.
 */
#ifndef PGDECK_FUZZ_BACKUP_H
#define PGDECK_FUZZ_BACKUP_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backup/backup.h"
#include "core/util.h"

static void
fuzz_backup_check(const struct bk_report *r)
{
	struct bk_analyse_opts	 o;
	struct bk_analysis	 a;
	size_t			 i, j, n;

	for (i = 0; i < r->nrepos; i++) {
		bk_analyse_opts_init(&o, 1.8e9);
		o.current_wal = "000000010000000A00000061";
		bk_analyse(&r->repos[i], &o, &a);
		if (a.nb != r->repos[i].nbackups)
			abort();
		n = 0;
		for (j = 0; j < a.nb; j++) {
			if (a.b[j].restorable)
				n++;
			else if (a.b[j].why == NULL &&
			    !r->repos[i].backups[j].incomplete)
				abort();
		}
		if (n != a.nrestorable ||
		    (n > 0) != (a.last_any != BK_NONE))
			abort();
		bk_analysis_release(&a);
	}
}

static int
fuzz_backup(const uint8_t *data, size_t size, enum bk_tool tool,
    const char *const *whats, size_t nwhats)
{
	struct bk_report	 r;
	const char		*prefix;
	size_t			 i, before;
	char			*err;

	if (size > (1u << 20))
		return 0;
	prefix = bk_tool_name(tool);
	bk_report_init(&r);
	for (i = 0; i < nwhats; i++) {
		err = NULL;
		before = r.nrepos;
		if (bk_parse(&r, tool, whats[i], (const char *)data, size,
		    &err) == -1) {
			if (err == NULL || strncmp(err, prefix,
			    strlen(prefix)) != 0 || strchr(err, '\n') != NULL ||
			    r.nrepos != before)
				abort();
			free(err);
		} else if (err != NULL || r.nrepos == 0)
			abort();
	}
	fuzz_backup_check(&r);
	bk_report_release(&r);
	return 0;
}

#endif
