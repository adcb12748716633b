/*
 * parse_pgbackrest.c - pgbackrest info --output=json (stub).
 */
#include "../core/util.h"
#include "backup.h"

#include "../core/banned.h"

int
bk_parse_pgbackrest_info(struct bk_report *r, const char *text, size_t len,
    char **err)
{
	(void)r; (void)text; (void)len;
	*err = xstrdup("pgbackrest info: not implemented yet");
	return -1;
}
