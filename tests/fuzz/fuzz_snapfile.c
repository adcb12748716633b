/*
 * fuzz_snapfile.c - libFuzzer target: one line of a snapshot file.
 * A parsed snapshot must be internally consistent: the blocking forest
 * and the summary can be built from it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "activity/activity.h"
#include "activity/blocking.h"
#include "store/snapfile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot		*s;
	struct block_tree	 t;
	struct activity_summary	 sum;
	char			*cause = NULL;

	if (size > 1 << 20)
		return 0;
	s = snapfile_parse_line((const char *)data, size, &cause);
	if (s == NULL) {
		if (cause == NULL)
			abort();
		free(cause);
		return 0;
	}
	block_tree_build(s->sessions, s->nsessions, &t);
	if (t.nrows > s->nsessions)
		abort();
	block_tree_release(&t);
	activity_summarize(s, &sum);
	snapshot_unref(s);
	return 0;
}
