/*
 * fuzz_backup_walg.c - libFuzzer target: every walg parser on the same
 * input, then the analysis (see fuzz_backup.h for what must hold).
 */
#include "fuzz_backup.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const whats[] = { "backup-list", "wal-verify" };

	return fuzz_backup(data, size, BK_WALG, whats,
	    sizeof whats / sizeof whats[0]);
}
