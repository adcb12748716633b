/*
 * stmt.h - pg_stat_statements entries: keys, lookup, and deltas between
 * two samples (the interval's, or a history window's).
 */
#ifndef PGDECK_STMT_H
#define PGDECK_STMT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/snapshot.h"

/* A read-only hash index over an array of entries, by key. */
struct stmt_index {
	const struct stmt	*stmts;
	size_t			*slots;		/* SIZE_MAX when empty */
	size_t			 nslots;
};

uint64_t	 stmt_key_hash(const struct stmt *st);
int		 stmt_key_equal(const struct stmt *a, const struct stmt *b);
void		 stmt_index_build(struct stmt_index *ix, const struct stmt *stmts,
		    size_t n);
/* The entry with the key of 'key', or NULL. */
const struct stmt *stmt_index_find(const struct stmt_index *ix,
		    const struct stmt *key);
void		 stmt_index_free(struct stmt_index *ix);

/*
 * Fill the change marks and d_ fields of 'cur' against 'prev', taken
 * 'interval' seconds earlier (NAN: no deltas).  'info' gets evictions
 * (dealloc growth), a stats reset and the total exec time.
 */
void	stmts_derive(struct stmt *cur, size_t ncur, struct stmt_info *info,
	    const struct stmt *prev, size_t nprev,
	    const struct stmt_info *pinfo, double interval);
/* The same between two snapshots (prev may be NULL). */
void	snapshot_derive_stmts(struct snapshot *cur,
	    const struct snapshot *prev);
/* 'd' (one of st's d_ fields) per second, NAN without a delta. */
double	stmt_rate(const struct stmt *st, double d,
	    const struct stmt_info *info);
/* One line saying why the pane is empty or partial, or NULL. */
const char *stmt_info_hint(const struct stmt_info *info);

#endif
