/*
 * fuzz_backup_barman.c - libFuzzer target: every barman parser on the same
 * input, then the analysis (see fuzz_backup.h for what must hold).
 */
#include "fuzz_backup.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const whats[] = { "list-backups", "check", "status" };

	return fuzz_backup(data, size, BK_BARMAN, whats,
	    sizeof whats / sizeof whats[0]);
}
