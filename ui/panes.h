/*
 * panes.h - the panes pgdeck has.
 */
#ifndef PGDECK_PANES_H
#define PGDECK_PANES_H

#include "pane.h"

extern const struct pane_ops pane_activity_ops;
extern const struct pane_ops pane_statements_ops;
extern const struct pane_ops pane_history_ops;

#endif
