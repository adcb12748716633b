/*
 * parse_walg.c - wal-g backup-list and wal-verify JSON (stub).
 */
#include "../core/util.h"
#include "backup.h"

#include "../core/banned.h"

int
bk_parse_walg_backup_list(struct bk_report *r, const char *text, size_t len,
    char **err)
{
	(void)r; (void)text; (void)len;
	*err = xstrdup("wal-g backup-list: not implemented yet");
	return -1;
}

int
bk_parse_walg_wal_verify(struct bk_report *r, const char *text, size_t len,
    char **err)
{
	(void)r; (void)text; (void)len;
	*err = xstrdup("wal-g wal-verify: not implemented yet");
	return -1;
}
