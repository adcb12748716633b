/*
 * plan_int.h - what the plan parsers share: the arena, the builder that
 * grows a plan in preorder, and psql unframing.  Not for the UI.
 */
#ifndef PGDECK_PLAN_INT_H
#define PGDECK_PLAN_INT_H

#include "plan.h"

/* Copy 'n' bytes of 's' into the plan's arena, NUL-terminated. */
const char	*plan_strndup(struct plan *p, const char *s, size_t n);
const char	*plan_strdup(struct plan *p, const char *s);
void		*plan_alloc(struct plan *p, size_t size);

struct plan	*plan_new(enum plan_format f);
/*
 * Append a node under 'parent' (-1: the root; there can be one).
 * Returns its index, or -1 with '*cause' set past the limits.
 */
int		 plan_add_node(struct plan *p, int parent, int line,
		    char **cause);
/* Append a field; key and value are copied. */
void		 plan_node_add_prop(struct plan *p, int node, const char *key,
		    const char *value);
void		 plan_add_prop(struct plan *p, const char *key,
		    const char *value);
/* Canonical type, join type, strategy ... from a text label. */
void		 plan_node_set_label(struct plan *p, int node,
		    const char *label);
/* Text label from the canonical fields (JSON input). */
void		 plan_node_make_label(struct plan *p, int node,
		    const char *op, const char *partial, int parallel,
		    int async, const char *direction, const char *command,
		    const char *provider);
/* Children arrays and subtree sizes, then plan_analyze(). */
void		 plan_finish(struct plan *p);

/*
 * psql output as people paste it, cleaned: what is above the header (a
 * prompt, the statement) and from the footer on dropped, header and
 * separators dropped, borders and '+' continuation marks stripped,
 * lines a terminal wrapped joined again, tabs expanded.  Lines without
 * a right border keep their trailing spaces: the text parser joins the
 * tails it finds before it trims.  line_of[i] is the input line of
 * output line i (1-based) and col_of[i] the input column where it
 * starts, for messages.
 */
struct plan_lines {
	char		**line;
	int		 *line_of;
	int		 *col_of;
	int		  n;
	int		  framed;	/* psql decoration was found */
};
/*
 * Refuse input holding a NUL byte: binary data, not a plan.  Returns 0,
 * or -1 with '*cause' naming the first NUL's line and column (1-based,
 * in bytes).  Both parsers call it, whether they unframe or not.
 */
int		 plan_check_binary(const char *name, const char *buf,
		    size_t len, char **cause);
/* Returns 0, or -1 with '*cause' ("binary data"). */
int		 plan_unframe(const char *name, const char *buf, size_t len,
		    struct plan_lines *out, char **cause);
void		 plan_lines_release(struct plan_lines *l);
/* Parse unframed lines as the text format; takes 'l' (left empty). */
struct plan	*plan_parse_text_lines(const char *name, struct plan_lines *l,
		    char **cause);

#endif
