/*
 * fuzz_backup_docs.c - libFuzzer target: the documents the history file
 * keeps for the Backups pane (a WAL probe, backup tool runs), as replay
 * reads them back from a file that may be damaged.  Either one is
 * refused with a message, or it is whole: assessed and written again
 * without a crash, a leak or undefined behaviour.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backup/assess.h"
#include "backup/runs.h"
#include "backup/wal.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*text = (const char *)data;
	struct walinfo		*w;
	struct bk_state		*st;
	struct bk_assessment	 a;
	struct wal_rpo		 r;
	char			*cause = NULL, *out;

	w = wal_from_json(text, size, &cause);
	if (w == NULL && cause == NULL)
		abort();
	free(cause);
	cause = NULL;
	st = bk_state_from_json(text, size, &cause);
	if (st == NULL && cause == NULL)
		abort();
	free(cause);
	bk_assess(w, st, NULL, 1795246000.0, &a);
	bk_assessment_release(&a);
	if (w != NULL) {
		wal_rpo(w, 1795246000.0, &r);
		out = wal_to_json(w);
		free(out);
	}
	if (st != NULL) {
		out = bk_runs_to_json(st);
		free(out);
	}
	wal_unref(w);
	bk_state_unref(st);
	return 0;
}
