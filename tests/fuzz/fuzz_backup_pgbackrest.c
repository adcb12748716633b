/*
 * fuzz_backup_pgbackrest.c - libFuzzer target: every pgbackrest parser on the same
 * input, then the analysis (see fuzz_backup.h for what must hold).
 */
#include "fuzz_backup.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const whats[] = { "info" };

	return fuzz_backup(data, size, BK_PGBACKREST, whats,
	    sizeof whats / sizeof whats[0]);
}
