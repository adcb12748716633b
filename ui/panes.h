/*
 * panes.h - the panes pgdeck has.
 */
#ifndef PGDECK_PANES_H
#define PGDECK_PANES_H

#include <stdint.h>

#include "pane.h"

extern const struct pane_ops pane_activity_ops;
extern const struct pane_ops pane_statements_ops;
extern const struct pane_ops pane_history_ops;
extern const struct pane_ops pane_plan_ops;
extern const struct pane_ops pane_migrate_ops;
extern const struct pane_ops pane_schema_ops;
extern const struct pane_ops pane_backups_ops;

struct config_targets;
/* The Backups pane's targets (from the config). */
void	pane_backups_set_targets(const struct config_targets *t);

struct sch_catalog;
/* Show 'cat' (taken; its first phase loaded) in the Schema pane. */
void	pane_schema_open(struct pane *p, struct sch_catalog *cat,
	    const char *source);
/* The second phase (sizes, index definitions) is in the catalog shown. */
void	pane_schema_detail(struct pane *p);
/* Why the catalog could not be read. */
void	pane_schema_error(struct pane *p, const char *msg);

struct mig_set;
/* Show 'set' (taken, analysed) in the Migrations pane. */
void	pane_migrate_open(struct pane *p, struct mig_set *set,
	    const char *source);

struct plan;
/* Show 'pl' (taken) in the Plan pane, labelled with where it came from. */
void	pane_plan_open(struct pane *p, struct plan *pl, const char *source);
/* The plan shown was stored in history as 'id' (0: it was not). */
void	pane_plan_stored(struct pane *p, int64_t id, int64_t ts,
	    int64_t queryid);
/* Show the diff of two plans (both taken). */
void	pane_plan_open_diff(struct pane *p, struct plan *old,
	    const char *old_source, struct plan *new, const char *new_source);
/* Show why a plan could not be had (EXPLAIN failed ...). */
void	pane_plan_error(struct pane *p, const char *msg);

#endif
