/*
 * snapfile.h - snapshots as JSON Lines, one snapshot a line.
 *
 * The writer is a snapshot sink (`--save-snapshots FILE`); the reader
 * feeds a file's snapshots to the same sinks as the live collector
 * (`--snapshot-file FILE`), so the UI cannot tell them apart.  Screen
 * tests and screenshots use files recorded from a real server this way.
 * Every value is checked: a bad file is refused with the line and field
 * named, never half-read.
 */
#ifndef PGDECK_SNAPFILE_H
#define PGDECK_SNAPFILE_H

#include <stddef.h>
#include <stdio.h>

#include "../core/snapshot.h"

#define SNAPFILE_FORMAT		"pgdeck-snapshot"
#define SNAPFILE_VERSION	1
#define SNAPFILE_MAX_LINE	(64 * 1024 * 1024)

/* Append 's' to 'f' as one line.  Returns 0, or -1 on a write error. */
int	snapfile_write(FILE *f, const struct snapshot *s);

/*
 * Parse one line into a new snapshot.  Returns it, or NULL with
 * '*cause' = "field: problem" (caller frees).
 */
struct snapshot *snapfile_parse_line(const char *line, size_t len,
	    char **cause);

/*
 * Read every snapshot of 'path' into '*out' (a new array of owned
 * references; free with snapfile_free).  Derives rates between
 * consecutive snapshots.  Returns the count, or -1 with '*cause' =
 * "path:line: field: problem".
 */
int	snapfile_read(const char *path, struct snapshot ***out, char **cause);
void	snapfile_free(struct snapshot **snaps, int n);

/* A sink appending to an open file (owned by the caller). */
struct snapshot_sink snapfile_sink(FILE *f);

#endif
