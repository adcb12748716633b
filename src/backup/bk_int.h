/*
 * bk_int.h - what the backup parsers share: releasing the pieces of a
 * report and finding or adding a repo by name.
 */
#ifndef PGDECK_BK_INT_H
#define PGDECK_BK_INT_H

#include "backup.h"

void	 bk_repo_init(struct bk_repo *, enum bk_tool, const char *name);
void	 bk_repo_release(struct bk_repo *);
void	 bk_backup_release(struct bk_backup *);
void	 bk_backups_free(struct bk_backup *, size_t);
void	 bk_checks_free(struct bk_check *, size_t);
void	 bk_props_free(struct bk_prop *, size_t);
/* The repo of 'tool' named 'name', added empty if there is none. */
struct bk_repo *bk_report_get(struct bk_report *, enum bk_tool,
	    const char *name);

#endif
