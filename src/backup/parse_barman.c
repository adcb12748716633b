/*
 * parse_barman.c - barman -f json list-backups, check and status (stub).
 */
#include "../core/util.h"
#include "backup.h"

#include "../core/banned.h"

int
bk_parse_barman_list_backups(struct bk_report *r, const char *text,
    size_t len, char **err)
{
	(void)r; (void)text; (void)len;
	*err = xstrdup("barman list-backups: not implemented yet");
	return -1;
}

int
bk_parse_barman_check(struct bk_report *r, const char *text, size_t len,
    char **err)
{
	(void)r; (void)text; (void)len;
	*err = xstrdup("barman check: not implemented yet");
	return -1;
}

int
bk_parse_barman_status(struct bk_report *r, const char *text, size_t len,
    char **err)
{
	(void)r; (void)text; (void)len;
	*err = xstrdup("barman status: not implemented yet");
	return -1;
}
