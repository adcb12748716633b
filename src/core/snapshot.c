/*
 * snapshot.c - reference-counted snapshots with a bump arena.
 */
#include "snapshot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "../backup/runs.h"
#include "../backup/wal.h"
#include "banned.h"

#define ARENA_CHUNK	(64 * 1024)

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 used, size;
	_Alignas(max_align_t) unsigned char data[];
};

struct snapshot *
snapshot_new(void)
{
	struct snapshot	*s;

	s = xcalloc(1, sizeof *s);
	s->refs = 1;
	s->activity_now = NAN;
	s->stmt_info.dealloc = -1;
	s->stmt_info.stats_reset = NAN;
	s->stmt_info.interval = NAN;
	return s;
}

struct snapshot *
snapshot_ref(struct snapshot *s)
{
	if (s != NULL)
		s->refs++;
	return s;
}

void
snapshot_unref(struct snapshot *s)
{
	struct arena_chunk	*c, *next;

	if (s == NULL)
		return;
	if (s->refs <= 0)
		BUG("snapshot reference count underflow");
	if (--s->refs > 0)
		return;
	for (c = s->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(s->sessions);
	free(s->stmts);
	qtexts_unref(s->qtexts);
	wal_unref(s->wal);
	bk_state_unref(s->backups);
	free(s);
}

void *
snapshot_alloc(struct snapshot *s, size_t size)
{
	struct arena_chunk	*c = s->arena;
	size_t			 need, csize;
	void			*p;

	need = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (need == 0)
		need = sizeof(max_align_t);
	if (c == NULL || c->size - c->used < need) {
		csize = need > ARENA_CHUNK ? need : ARENA_CHUNK;
		c = xmalloc(sizeof *c + csize);
		c->used = 0;
		c->size = csize;
		c->next = s->arena;
		s->arena = c;
	}
	p = c->data + c->used;
	c->used += need;
	memset(p, 0, size);
	return p;
}

const char *
snapshot_strdup(struct snapshot *s, const char *str)
{
	size_t	 n;
	char	*p;

	if (str == NULL)
		return NULL;
	n = strlen(str);
	p = snapshot_alloc(s, n + 1);
	memcpy(p, str, n + 1);
	return p;
}

const struct session *
snapshot_find(const struct snapshot *s, int pid)
{
	size_t	i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < s->nsessions; i++) {
		if (s->sessions[i].pid == pid)
			return &s->sessions[i];
	}
	return NULL;
}
