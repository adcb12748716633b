/*
 * bk_int.h - what the backup parsers share: releasing the pieces of a
 * report and finding or adding a repo by name.
 */
#ifndef PGDECK_BK_INT_H
#define PGDECK_BK_INT_H

#include <stdint.h>

#include <jansson.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "backup.h"

/* One parse: the tool and command for messages, the path being read. */
struct bkj {
	const char	*tool;		/* "pgbackrest" */
	const char	*cmd;		/* "info" */
	struct strbuf	 path;		/* "[0].backup[2].timestamp" */
	char		*err;		/* the first failure, owned */
};

void	 bk_repo_init(struct bk_repo *, enum bk_tool, const char *name);
void	 bk_repo_release(struct bk_repo *);
void	 bk_backup_release(struct bk_backup *);
void	 bk_backups_free(struct bk_backup *, size_t);
void	 bk_checks_free(struct bk_check *, size_t);
void	 bk_props_free(struct bk_prop *, size_t);
/* The repo of 'tool' named 'name', added empty if there is none. */
struct bk_repo *bk_report_get(struct bk_report *, enum bk_tool,
	    const char *name);

/*
 * Move 'src' (parsed whole) into the report: a new repo, or merged into
 * the one of the same tool and name, replacing only what src->have says
 * it describes.  'src' is left empty.
 */
void	 bk_report_merge(struct bk_report *, struct bk_repo *src);
void	 bk_backups_sort(struct bk_backup *, size_t);
/* An ISO 8601 time ("2025-12-20T02:00:19.896Z", offsets too) to epoch. */
int	 bk_time_parse(const char *s, double *out);

void	 bkj_init(struct bkj *, const char *tool, const char *cmd);
void	 bkj_release(struct bkj *);
/*
 * The output as JSON, or NULL with c->err set: empty, not JSON (its first
 * line quoted), or a syntax error's line and column.
 */
json_t	*bkj_load(struct bkj *, const char *text, size_t len);
/* Set c->err (if not yet set) to "tool cmd: message"; returns -1. */
int	 bkj_fail(struct bkj *, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* The same naming the path and 'key' (NULL: the path itself). */
int	 bkj_fail_at(struct bkj *, const char *key, const char *fmt, ...)
	    PRINTF_LIKE(3, 4);
/* The message for the caller (owned): c->err, or a generic one. */
char	*bkj_take_err(struct bkj *);
/* Append to the path; returns the length to bkj_pop() back to. */
size_t	 bkj_push(struct bkj *, const char *fmt, ...) PRINTF_LIKE(2, 3);
void	 bkj_pop(struct bkj *, size_t);
const char *bkj_type(const json_t *);
/*
 * Typed fields of 'obj'.  Absent or null leaves '*out' alone and is an
 * error only when 'need'; a wrong type is always an error naming the path.
 */
int	 bkj_str(struct bkj *, json_t *obj, const char *key, char **out,
	    int need);
int	 bkj_int(struct bkj *, json_t *obj, const char *key, int64_t *out,
	    int need);
/* A size in bytes: -1 when absent, an error when negative. */
int	 bkj_size(struct bkj *, json_t *obj, const char *key, int64_t *out);
int	 bkj_bool(struct bkj *, json_t *obj, const char *key, int *out);
/* An object or array member ('type' JSON_OBJECT or JSON_ARRAY). */
int	 bkj_kind(struct bkj *, json_t *obj, const char *key, json_type type,
	    json_t **out, int need);
/* Control characters (newlines) to blanks, in place: one line. */
char	*bk_one_line(char *s);
/* A backup with every figure unknown. */
void	 bk_backup_init(struct bk_backup *);

#endif
