/*
 * pane_schema.c - the Schema pane: a tree of schemas, tables (partitions
 * folded under their root), columns, indexes, constraints and triggers;
 * a table's detail with its sizes, statistics and their age, and its
 * lints; every lint; the data dictionary from the comments; `/` search
 * over every name and comment; jumps along foreign keys and back; and a
 * live ERD around a table, with hops, panning, a minimap, an overview,
 * edges to follow, a join-path finder and exports.
 *
 * The catalog comes from the host (an async job on its own connection):
 * first what the tree needs, then sizes and index definitions.
 */
#include "panes.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui.h"
#include "../src/core/strbuf.h"
#include "../src/core/util.h"
#include "../src/erd/erd.h"
#include "../src/schema/schema.h"
#include "../src/schema/schema_erd.h"
#include "../src/core/banned.h"

enum view { V_TREE, V_DETAIL, V_LINTS, V_DICT, V_JOIN, V_ERD };
enum { PROMPT_SEARCH = 1, PROMPT_JOIN, PROMPT_EXPORT };

/* A row of the tree. */
enum rkind { RK_SCHEMA, RK_REL, RK_HEAD, RK_COL, RK_INDEX, RK_CONS, RK_TRIG,
	RK_ENUM, RK_DOMAIN };

struct trow {
	enum rkind	 kind;
	int		 obj;		/* index in its catalog array */
	int		 rel;		/* the relation it belongs to, or -1 */
	int		 depth;
	const char	*head;		/* RK_HEAD */
	int		 count;		/* RK_HEAD */
};

/* A line of a text view; 'link' is a relation Enter goes to. */
struct tline {
	char		*text;
	uint8_t		 role;
	int		 link;
};

struct tview {
	struct tline	*lines;
	int		 n, cap;
	int		 sel, top;
};

struct sch_pane {
	struct sch_catalog *cat;
	char		*source;
	char		*status;	/* "reading the catalog ...", an error */
	int		 requested;
	struct sch_finding *f;
	int		 nf;
	int		*nlints;	/* per relation */
	int		*order;		/* relations in tree order, partitions
					   after their root (for search) */
	int		 norder;
	int		 ntables, nparts, nviews;	/* for the title */
	unsigned char	*open_schema, *open_rel;
	struct trow	*rows;
	int		 nrows, sel, top;
	enum view	 view;
	struct tview	 text;		/* detail, lints, dictionary, join */
	int		 drel;		/* relation of the detail */
	int		 back[32];	/* relations to go back to */
	int		 nback;
	char		*search;
	/* ERD */
	struct erd_graph *full, *sub;
	int		*node_rel, *sub_map;
	struct erd_layout *lay;
	struct erd_canvas can;
	int		 focus;		/* relation */
	int		 hops, all_cols, overview;
	int		 vr, vc;	/* viewport origin on the canvas */
	int		 edge;		/* picked edge of the focus, -1 */
	int		 erd_rows, erd_cols;
};

static void	go_detail(struct pane *p, int rel);
static void	build_detail(struct sch_pane *a, int rel);
static void	build_lints(struct sch_pane *a);

static struct sch_pane *
SP(struct pane *p)
{
	return p->data;
}

static int
schema_init(struct pane *p)
{
	struct sch_pane *a = xcalloc(1, sizeof *a);

	a->hops = 1;
	a->edge = -1;
	a->focus = -1;
	a->drel = -1;
	p->data = a;
	return 0;
}

static void
tview_clear(struct tview *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->lines[i].text);
	free(t->lines);
	memset(t, 0, sizeof *t);
}

static void tline_add(struct tview *t, uint8_t role, int link,
	    const char *fmt, ...) PRINTF_LIKE(4, 5);

static void
tline_add(struct tview *t, uint8_t role, int link, const char *fmt, ...)
{
	struct tline *l;
	struct strbuf sb;
	va_list ap;

	if (t->n >= t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->lines = xrealloc(t->lines, (size_t)t->cap * sizeof *t->lines);
	}
	l = &t->lines[t->n++];
	strbuf_init(&sb, 80);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	l->text = strbuf_detach(&sb);
	l->role = role;
	l->link = link;
}

static void
erd_clear(struct sch_pane *a)
{
	erd_graph_free(a->full);
	erd_graph_free(a->sub);
	erd_layout_free(a->lay);
	erd_canvas_free(&a->can);
	free(a->node_rel);
	free(a->sub_map);
	a->full = a->sub = NULL;
	a->lay = NULL;
	a->node_rel = a->sub_map = NULL;
}

static void
schema_free(struct pane *p)
{
	struct sch_pane *a = SP(p);

	erd_clear(a);
	tview_clear(&a->text);
	sch_findings_free(a->f, a->nf);
	sch_catalog_free(a->cat);
	free(a->nlints);
	free(a->order);
	free(a->open_schema);
	free(a->open_rel);
	free(a->rows);
	free(a->source);
	free(a->status);
	free(a->search);
	free(a);
}

/* ------------------------------------------------------------ the tree */

static struct trow *
push_row(struct sch_pane *a, int *cap, enum rkind k, int obj, int rel,
    int depth)
{
	struct trow *r;

	if (a->nrows >= *cap) {
		*cap = *cap ? *cap * 2 : 256;
		a->rows = xrealloc(a->rows, (size_t)*cap * sizeof *a->rows);
	}
	r = &a->rows[a->nrows++];
	memset(r, 0, sizeof *r);
	r->kind = k;
	r->obj = obj;
	r->rel = rel;
	r->depth = depth;
	return r;
}

static void
push_head(struct sch_pane *a, int *cap, const char *head, int count, int rel,
    int depth)
{
	struct trow *r;

	if (count == 0)
		return;
	r = push_row(a, cap, RK_HEAD, -1, rel, depth);
	r->head = head;
	r->count = count;
}

static void
push_rel(struct sch_pane *a, int *cap, int rel, int depth)
{
	const struct sch_rel *r = &a->cat->rels[rel];

	push_row(a, cap, RK_REL, rel, rel, depth);
	if (!a->open_rel[rel] || depth > 12)
		return;
	push_head(a, cap, "columns", r->ncols, rel, depth + 1);
	for (int i = 0; i < r->ncols; i++)
		push_row(a, cap, RK_COL, i, rel, depth + 2);
	push_head(a, cap, "indexes", r->nindexes, rel, depth + 1);
	for (int i = 0; i < r->nindexes; i++)
		push_row(a, cap, RK_INDEX, r->indexes[i], rel, depth + 2);
	push_head(a, cap, "constraints", r->nconstraints, rel, depth + 1);
	for (int i = 0; i < r->nconstraints; i++)
		push_row(a, cap, RK_CONS, r->constraints[i], rel, depth + 2);
	push_head(a, cap, "triggers", r->ntriggers, rel, depth + 1);
	for (int i = 0; i < r->ntriggers; i++)
		push_row(a, cap, RK_TRIG, r->triggers[i], rel, depth + 2);
	push_head(a, cap, r->kind == 'p' ? "partitions" : "children",
	    r->nchildren, rel, depth + 1);
	for (int i = 0; i < r->nchildren; i++)
		push_rel(a, cap, r->children[i], depth + 2);
}

static void
build_rows(struct sch_pane *a)
{
	const struct sch_catalog *c = a->cat;
	int cap = 0;

	a->nrows = 0;
	for (int s = 0; s < c->nschemas; s++) {
		const struct sch_schema *sc = &c->schemas[s];

		push_row(a, &cap, RK_SCHEMA, s, -1, 0);
		if (!a->open_schema[s])
			continue;
		/* Partitions are not listed: they live under their root. */
		for (int i = 0; i < sc->nrels; i++)
			push_rel(a, &cap, sc->rels[i], 1);
		for (int i = 0; i < c->nenums; i++)
			if (c->enums[i].schema == s)
				push_row(a, &cap, RK_ENUM, i, -1, 1);
		for (int i = 0; i < c->ndomains; i++)
			if (c->domains[i].schema == s)
				push_row(a, &cap, RK_DOMAIN, i, -1, 1);
	}
	if (a->sel >= a->nrows)
		a->sel = a->nrows > 0 ? a->nrows - 1 : 0;
}

static void
relint(struct sch_pane *a)
{
	sch_findings_free(a->f, a->nf);
	a->nf = sch_lint(a->cat, &a->f);
	free(a->nlints);
	a->nlints = xcalloc((size_t)a->cat->nrels + 1, sizeof *a->nlints);
	for (int i = 0; i < a->nf; i++) {
		int r = a->f[i].rel >= 0 ? sch_root(a->cat, a->f[i].rel) : -1;

		if (r >= 0)
			a->nlints[r]++;
	}
}

static void
add_order(struct sch_pane *a, int rel, int depth)
{
	const struct sch_rel *r = &a->cat->rels[rel];

	if (a->norder >= a->cat->nrels || depth > 64)
		return;
	a->order[a->norder++] = rel;
	for (int i = 0; i < r->nchildren; i++)
		add_order(a, r->children[i], depth + 1);
}

/* What stays the same for a catalog: the tree's order, the counts. */
static void
figure(struct sch_pane *a)
{
	const struct sch_catalog *c = a->cat;

	free(a->order);
	a->order = xcalloc((size_t)c->nrels + 1, sizeof *a->order);
	a->norder = 0;
	for (int s = 0; s < c->nschemas; s++)
		for (int i = 0; i < c->schemas[s].nrels; i++)
			add_order(a, c->schemas[s].rels[i], 0);
	a->ntables = a->nparts = a->nviews = 0;
	for (int i = 0; i < c->nrels; i++) {
		a->ntables += c->rels[i].kind == 'r' && !c->rels[i].is_partition;
		a->nparts += c->rels[i].is_partition;
		a->nviews += c->rels[i].kind == 'v' || c->rels[i].kind == 'm';
	}
}

void
pane_schema_open(struct pane *p, struct sch_catalog *cat, const char *source)
{
	struct sch_pane *a = SP(p);
	int user = 0;

	erd_clear(a);
	tview_clear(&a->text);
	sch_catalog_free(a->cat);
	a->cat = cat;
	free(a->source);
	a->source = xstrdup(source);
	free(a->status);
	a->status = NULL;
	free(a->open_schema);
	free(a->open_rel);
	a->open_schema = xcalloc((size_t)cat->nschemas + 1, 1);
	a->open_rel = xcalloc((size_t)cat->nrels + 1, 1);
	/* Open the schemas with tables when there are few of them. */
	for (int s = 0; s < cat->nschemas; s++)
		user += cat->schemas[s].nrels > 0;
	for (int s = 0; s < cat->nschemas; s++)
		a->open_schema[s] = user <= 3 && cat->schemas[s].nrels > 0;
	a->view = V_TREE;
	a->sel = a->top = 0;
	a->nback = 0;
	a->focus = -1;
	figure(a);
	relint(a);
	build_rows(a);
	p->dirty = 1;
}

void
pane_schema_detail(struct pane *p)
{
	struct sch_pane *a = SP(p);

	if (a->cat == NULL)
		return;
	relint(a);
	if (a->full != NULL) {
		int focus = a->focus;

		erd_clear(a);
		a->focus = focus;
	}
	/* The sizes are in: the view on screen shows them. */
	if (a->view == V_DETAIL && a->drel >= 0) {
		int sel = a->text.sel, top = a->text.top;

		build_detail(a, a->drel);
		a->text.sel = sel < a->text.n ? sel : 0;
		a->text.top = top;
	} else if (a->view == V_LINTS) {
		build_lints(a);
	}
	p->dirty = 1;
}

void
pane_schema_error(struct pane *p, const char *msg)
{
	struct sch_pane *a = SP(p);

	free(a->status);
	a->status = xstrdup(msg);
	p->dirty = 1;
}

/* ------------------------------------------------------------ helpers */

static const char *
kind_name(char k)
{
	switch (k) {
	case 'r':	return "table";
	case 'p':	return "partitioned";
	case 'v':	return "view";
	case 'm':	return "matview";
	case 'f':	return "foreign";
	default:	return "?";
	}
}

static void
fmt_age(char *buf, size_t size, int64_t when, int64_t now)
{
	if (when <= 0) {
		snprintf(buf, size, "never");
		return;
	}
	fmt_duration(buf, size, (double)(now - when));
	strncat(buf, " ago", size - strlen(buf) - 1);
}

static void
cols_text(const struct sch_catalog *c, int rel, const int *att, int n,
    struct strbuf *sb)
{
	for (int i = 0; i < n; i++) {
		const struct sch_column *col = att[i] > 0 ? sch_column(c, rel,
		    att[i]) : NULL;

		if (i > 0)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, col != NULL ? col->name : "(expression)");
	}
}

static char *
qname(const struct sch_catalog *c, int rel)
{
	const struct sch_rel *r = &c->rels[rel];

	return xstrfmt("%s.%s", c->schemas[r->schema].name, r->name);
}


/* ------------------------------------------------------------ detail */

static void
build_detail(struct sch_pane *a, int rel)
{
	const struct sch_catalog *c = a->cat;
	const struct sch_rel *r = &c->rels[rel];
	struct tview *t = &a->text;
	char b1[32], b2[32], b3[32], b4[32], age[48];
	int64_t now = c->loaded_at > 0 ? c->loaded_at : (int64_t)time(NULL);
	char *qn = qname(c, rel);
	struct strbuf sb;

	tview_clear(t);
	tline_add(t, ROLE_TITLE, -1, "%s %s", kind_name(r->kind), qn);
	if (r->comment != NULL)
		tline_add(t, ROLE_DEFAULT, -1, "  \"%s\"", r->comment);
	if (r->parent >= 0) {
		char *pn = qname(c, r->parent);

		tline_add(t, ROLE_DEFAULT, r->parent, "  %s of %s %s",
		    r->is_partition ? "partition" : "child", pn,
		    r->partbound != NULL ? r->partbound : "");
		free(pn);
	}
	if (r->kind == 'p' && r->partkey != NULL)
		tline_add(t, ROLE_DEFAULT, -1, "  partitioned by %s, %d "
		    "partition%s", r->partkey, r->nchildren,
		    r->nchildren == 1 ? "" : "s");
	if (r->size_total < 0) {
		tline_add(t, ROLE_DIM, -1, "  sizes: loading ...");
	} else {
		fmt_bytes(b1, sizeof b1, (double)r->size_total);
		fmt_bytes(b2, sizeof b2, (double)r->size_heap);
		fmt_bytes(b3, sizeof b3, (double)r->size_index);
		fmt_bytes(b4, sizeof b4, (double)r->size_toast);
		tline_add(t, ROLE_DEFAULT, -1, "  size %s%s: heap %s, indexes "
		    "%s, TOAST %s", b1, r->kind == 'p' ? " (the partition tree)" :
		    "", b2, b3, b4);
	}
	if (r->kind == 'r' || r->kind == 'p' || r->kind == 'm') {
		fmt_count(b1, sizeof b1, r->reltuples < 0 ? 0 : r->reltuples);
		fmt_count(b2, sizeof b2, (double)r->n_dead_tup);
		tline_add(t, ROLE_DEFAULT, -1, "  rows %s%s, dead %s", b1,
		    r->reltuples < 0 ? " (never analysed)" : " (estimate)", b2);
		fmt_age(age, sizeof age, r->last_vacuum > r->last_autovacuum ?
		    r->last_vacuum : r->last_autovacuum, now);
		fmt_age(b3, sizeof b3, r->last_analyze > r->last_autoanalyze ?
		    r->last_analyze : r->last_autoanalyze, now);
		tline_add(t, ROLE_DEFAULT, -1, "  last vacuum %s%s, last analyze "
		    "%s%s", age, r->last_autovacuum > r->last_vacuum ? " (auto)" :
		    "", b3, r->last_autoanalyze > r->last_analyze ? " (auto)" :
		    "");
		fmt_count(b1, sizeof b1, (double)r->seq_scan);
		fmt_count(b2, sizeof b2, (double)r->idx_scan);
		fmt_age(age, sizeof age, c->stats_reset > 0 ? c->stats_reset :
		    c->server_started, now);
		tline_add(t, ROLE_DEFAULT, -1, "  scans: %s sequential, %s by "
		    "index, counted since %s%s", b1, b2, age, c->stats_reset > 0 ?
		    " (stats reset)" : " (server start)");
	}
	tline_add(t, ROLE_COLUMN, -1, "Columns (%d)", r->ncols);
	for (int i = 0; i < r->ncols; i++) {
		const struct sch_column *col = &r->cols[i];

		tline_add(t, ROLE_DEFAULT, -1, "  %-24s %-22s %s%s%s%s%s%s%s",
		    col->name, col->type, col->notnull ? "not null" : "null",
		    col->identity ? (col->identity == 'a' ?
		    "  identity always" : "  identity by default") : "",
		    col->generated ? "  generated stored" : "",
		    col->dflt != NULL && !col->generated ? "  default " : "",
		    col->dflt != NULL && !col->generated ? col->dflt : "",
		    col->comment != NULL ? "  -- " : "",
		    col->comment != NULL ? col->comment : "");
	}
	if (r->nindexes > 0)
		tline_add(t, ROLE_COLUMN, -1, "Indexes (%d)", r->nindexes);
	for (int i = 0; i < r->nindexes; i++) {
		const struct sch_index *ix = &c->indexes[r->indexes[i]];

		strbuf_init(&sb, 64);
		cols_text(c, rel, ix->keys, ix->nkeyatts, &sb);
		fmt_bytes(b1, sizeof b1, (double)ix->size);
		fmt_count(b2, sizeof b2, (double)ix->idx_scan);
		tline_add(t, ix->valid ? ROLE_DEFAULT : ROLE_BAD, -1,
		    "  %-28s %s%s%s (%s)  %s  %s scans%s", ix->name,
		    ix->primary ? "primary " : ix->unique ? "unique " : "",
		    ix->am != NULL ? ix->am : "", ix->partial ? " partial" : "",
		    sb.buf, ix->size < 0 ? "" : b1, b2, ix->valid ? "" :
		    "  INVALID");
		if (ix->definition != NULL)
			tline_add(t, ROLE_DIM, -1, "    %s", ix->definition);
		strbuf_release(&sb);
	}
	if (r->nconstraints > 0)
		tline_add(t, ROLE_COLUMN, -1, "Constraints (%d)", r->nconstraints);
	for (int i = 0; i < r->nconstraints; i++) {
		const struct sch_constraint *k = &c->constraints[r->constraints[i]];

		tline_add(t, k->validated ? (k->ref_rel >= 0 ? ROLE_TREE :
		    ROLE_DEFAULT) : ROLE_WARN, k->ref_rel, "  %-28s %s%s",
		    k->name, k->definition != NULL ? k->definition : "",
		    k->validated ? "" : "  (NOT VALID)");
	}
	if (r->nfks_in > 0)
		tline_add(t, ROLE_COLUMN, -1, "Referenced by (%d)", r->nfks_in);
	for (int i = 0; i < r->nfks_in; i++) {
		const struct sch_constraint *k = &c->constraints[r->fks_in[i]];
		char *fn = qname(c, k->rel);

		strbuf_init(&sb, 64);
		cols_text(c, k->rel, k->cols, k->ncols, &sb);
		tline_add(t, ROLE_TREE, k->rel, "  %s (%s) via %s", fn, sb.buf,
		    k->name);
		strbuf_release(&sb);
		free(fn);
	}
	if (r->ntriggers > 0)
		tline_add(t, ROLE_COLUMN, -1, "Triggers (%d)", r->ntriggers);
	for (int i = 0; i < r->ntriggers; i++) {
		const struct sch_trigger *tr = &c->triggers[r->triggers[i]];

		tline_add(t, tr->enabled == 'D' ? ROLE_DIM : ROLE_DEFAULT, -1,
		    "  %-28s %s%s", tr->name, tr->function != NULL ?
		    tr->function : "", tr->enabled == 'D' ? "  (disabled)" : "");
	}
	for (int i = 0; i < r->nchildren; i++) {
		const struct sch_rel *ch = &c->rels[r->children[i]];

		if (i == 0)
			tline_add(t, ROLE_COLUMN, -1, "%s (%d)", r->kind == 'p' ?
			    "Partitions" : "Children", r->nchildren);
		fmt_bytes(b1, sizeof b1, (double)ch->size_total);
		tline_add(t, ROLE_TREE, r->children[i], "  %-28s %s  %s",
		    ch->name, ch->partbound != NULL ? ch->partbound : "", b1);
	}
	for (int i = 0, first = 1; i < a->nf; i++) {
		const struct sch_finding *f = &a->f[i];

		if (f->rel < 0 || sch_root(c, f->rel) != rel)
			continue;
		if (first)
			tline_add(t, ROLE_COLUMN, -1, "Lints");
		first = 0;
		tline_add(t, f->severity == SCH_SEV_ERROR ? ROLE_BAD :
		    f->severity == SCH_SEV_WARNING ? ROLE_WARN : ROLE_DEFAULT,
		    -1, "  %s: %s", f->rule, f->message);
		if (f->fix != NULL)
			tline_add(t, ROLE_DIM, -1, "    fix: %s", f->fix);
	}
	free(qn);
	t->sel = 0;
	t->top = 0;
}

static void
go_detail(struct pane *p, int rel)
{
	struct sch_pane *a = SP(p);

	if (rel < 0 || a->cat == NULL || rel >= a->cat->nrels)
		return;
	if (a->view == V_DETAIL && a->drel >= 0 && a->drel != rel &&
	    a->nback < (int)(sizeof a->back / sizeof a->back[0]))
		a->back[a->nback++] = a->drel;
	a->drel = rel;
	a->view = V_DETAIL;
	build_detail(a, rel);
	p->dirty = 1;
}

/* ------------------------------------------------------ lints, comments */

static void
build_lints(struct sch_pane *a)
{
	struct tview *t = &a->text;

	tview_clear(t);
	tline_add(t, ROLE_TITLE, -1, "%d finding%s%s", a->nf, a->nf == 1 ? "" :
	    "s", a->cat->detail_loaded ? "" : " (bloat needs the sizes: "
	    "loading ...)");
	for (int sev = SCH_SEV_ERROR; sev >= SCH_SEV_INFO; sev--) {
		for (int i = 0; i < a->nf; i++) {
			const struct sch_finding *f = &a->f[i];
			char *qn;

			if ((int)f->severity != sev)
				continue;
			qn = f->rel >= 0 ? qname(a->cat, f->rel) : xstrdup("");
			tline_add(t, sev == SCH_SEV_ERROR ? ROLE_BAD :
			    sev == SCH_SEV_WARNING ? ROLE_WARN : ROLE_DEFAULT,
			    f->rel >= 0 ? sch_root(a->cat, f->rel) : -1,
			    "%-22s %-28s %s", f->rule, qn, f->message);
			free(qn);
		}
	}
	t->sel = a->nf > 0 ? 1 : 0;
}

static void
build_dict(struct sch_pane *a)
{
	const struct sch_catalog *c = a->cat;
	struct tview *t = &a->text;

	tview_clear(t);
	tline_add(t, ROLE_TITLE, -1, "Data dictionary: every comment");
	for (int s = 0; s < c->nschemas; s++) {
		const struct sch_schema *sc = &c->schemas[s];

		if (sc->comment != NULL)
			tline_add(t, ROLE_COLUMN, -1, "schema %s: %s", sc->name,
			    sc->comment);
		for (int i = 0; i < sc->nrels; i++) {
			const struct sch_rel *r = &c->rels[sc->rels[i]];

			if (r->comment != NULL)
				tline_add(t, ROLE_DEFAULT, sc->rels[i], "%s.%s  %s",
				    sc->name, r->name, r->comment);
			for (int k = 0; k < r->ncols; k++)
				if (r->cols[k].comment != NULL)
					tline_add(t, ROLE_DEFAULT, sc->rels[i],
					    "%s.%s.%s  %s", sc->name, r->name,
					    r->cols[k].name, r->cols[k].comment);
		}
	}
	for (int i = 0; i < c->nconstraints; i++)
		if (c->constraints[i].comment != NULL)
			tline_add(t, ROLE_DEFAULT, c->constraints[i].rel,
			    "constraint %s  %s", c->constraints[i].name,
			    c->constraints[i].comment);
	for (int i = 0; i < c->nenums; i++)
		if (c->enums[i].comment != NULL)
			tline_add(t, ROLE_DEFAULT, -1, "type %s  %s",
			    c->enums[i].name, c->enums[i].comment);
	for (int i = 0; i < c->ndomains; i++)
		if (c->domains[i].comment != NULL)
			tline_add(t, ROLE_DEFAULT, -1, "domain %s  %s",
			    c->domains[i].name, c->domains[i].comment);
	if (t->n == 1)
		tline_add(t, ROLE_DIM, -1, "no COMMENT ON anything here");
	t->sel = t->n > 1 ? 1 : 0;
}

/* --------------------------------------------------------------- ERD */

static int
node_of(const struct sch_pane *a, int rel)
{
	for (int i = 0; a->sub != NULL && i < a->sub->nnodes; i++)
		if (a->node_rel[a->sub_map[i]] == rel)
			return i;
	return -1;
}

static int
full_node_of(const struct sch_pane *a, int rel)
{
	for (int i = 0; a->full != NULL && i < a->full->nnodes; i++)
		if (a->node_rel[i] == rel)
			return i;
	return -1;
}

/* Lay out the focus and its neighbourhood, and centre on the focus. */
static void
erd_build(struct pane *p)
{
	struct sch_pane *a = SP(p);
	struct erd_opts o = { a->all_cols, 12 };
	const struct erd_box *b;
	int fn;

	if (a->full == NULL)
		a->full = sch_erd_graph(a->cat, -1, a->f, a->nf, &a->node_rel);
	erd_graph_free(a->sub);
	erd_layout_free(a->lay);
	free(a->sub_map);
	a->sub = NULL;
	a->lay = NULL;
	a->sub_map = NULL;
	if ((fn = full_node_of(a, a->focus)) < 0)
		return;
	a->sub = erd_neighbourhood(a->full, fn, a->hops, &a->sub_map);
	a->lay = erd_layout(a->sub, &o);
	erd_render(a->sub, a->lay, &o, !grid_utf8(), &a->can);
	a->edge = -1;
	if ((b = erd_box_of(a->lay, node_of(a, a->focus))) != NULL) {
		a->vr = b->row + b->rows / 2 - (p->rows - 3) / 2;
		a->vc = b->col + b->cols / 2 - p->cols / 2;
	}
	/* What fits is shown from its corner. */
	if (a->can.rows <= p->rows - 3)
		a->vr = 0;
	if (a->can.cols <= p->cols)
		a->vc = 0;
}

static void
go_erd(struct pane *p, int rel)
{
	struct sch_pane *a = SP(p);

	rel = sch_root(a->cat, rel);
	if (rel < 0)
		return;
	if (a->full == NULL)
		a->full = sch_erd_graph(a->cat, -1, a->f, a->nf, &a->node_rel);
	if (full_node_of(a, rel) < 0) {
		ui_message(p->ui, 1, "the ERD has tables, partitioned and "
		    "foreign tables; %s is a %s", a->cat->rels[rel].name,
		    kind_name(a->cat->rels[rel].kind));
		return;
	}
	a->focus = rel;
	a->view = V_ERD;
	a->overview = 0;
	erd_build(p);
	p->dirty = 1;
}

static uint8_t
erd_role(uint8_t r)
{
	switch (r) {
	case ERD_R_BORDER:	return ROLE_DIM;
	case ERD_R_TITLE:	return ROLE_TITLE;
	case ERD_R_KEY:		return ROLE_HEADER_VALUE;
	case ERD_R_TYPE:	return ROLE_DIM;
	case ERD_R_BADGE:	return ROLE_HEADER_LABEL;
	case ERD_R_EDGE:	return ROLE_TREE;
	case ERD_R_EDGE_DASHED:	return ROLE_WARN;
	case ERD_R_LINT:	return ROLE_BAD;
	case ERD_R_FOCUS:	return ROLE_SELECTION;
	case ERD_R_CARD:	return ROLE_TREE;
	default:		return ROLE_DEFAULT;
	}
}

static void
blit_canvas(struct grid *g, const struct erd_canvas *c, int row0, int rows,
    int col0, int cols, int vr, int vc)
{
	for (int r = 0; r < rows; r++) {
		int cr = vr + r;

		if (cr < 0 || cr >= c->rows)
			continue;
		for (int k = 0; k < cols; k++) {
			int cc = vc + k;
			const struct erd_cell *e;

			if (cc < 0 || cc >= c->cols)
				continue;
			e = &c->cells[(size_t)cr * (size_t)c->cols + (size_t)cc];
			if (e->ch == ERD_WIDE_CONT || e->ch == ' ')
				continue;
			grid_putc(g, row0 + r, col0 + k, e->ch, erd_role(e->role));
		}
	}
}

static void
draw_erd(struct pane *p, struct grid *g)
{
	struct sch_pane *a = SP(p);
	int rows = g->rows - 2;
	char buf[256], *qn;

	if (a->sub == NULL || a->lay == NULL)
		erd_build(p);
	if (a->sub == NULL)
		return;
	qn = qname(a->cat, a->focus);
	snprintf(buf, sizeof buf, "ERD around %s: %d hop%s, %d table%s, %d "
	    "FK%s, %d crossing%s | %s columns%s", qn, a->hops, a->hops == 1 ?
	    "" : "s", a->sub->nnodes, a->sub->nnodes == 1 ? "" : "s",
	    a->sub->nedges, a->sub->nedges == 1 ? "" : "s", a->lay->crossings,
	    a->lay->crossings == 1 ? "" : "s", a->all_cols ? "all" : "key",
	    a->overview ? " | overview" : "");
	free(qn);
	grid_put_trunc(g, 0, 0, g->cols, buf, ROLE_TITLE);
	if (a->overview) {
		struct erd_canvas m = { 0, 0, NULL };

		erd_render_minimap(a->lay, rows, g->cols, a->vr, a->vc, rows,
		    g->cols, &m);
		blit_canvas(g, &m, 1, rows, 0, g->cols, 0, 0);
		erd_canvas_free(&m);
	} else {
		blit_canvas(g, &a->can, 1, rows, 0, g->cols, a->vr, a->vc);
		/* A minimap in the corner when the diagram is larger. */
		if ((a->can.rows > rows || a->can.cols > g->cols) &&
		    rows >= 12 && g->cols >= 60) {
			int mr = rows / 3, mc = g->cols / 4;
			struct erd_canvas m = { 0, 0, NULL };

			erd_render_minimap(a->lay, mr - 2, mc - 2, a->vr, a->vc,
			    rows, g->cols, &m);
			grid_box(g, 1, g->cols - mc, mr, mc, ROLE_DIM,
			    ROLE_DEFAULT);
			blit_canvas(g, &m, 2, mr - 2, g->cols - mc + 1, mc - 2,
			    0, 0);
			erd_canvas_free(&m);
		}
	}
	if (a->edge >= 0 && a->edge < a->sub->nedges) {
		const struct erd_edge *e = &a->sub->edges[a->edge];
		const struct erd_node *from = &a->sub->nodes[e->from];
		const struct erd_node *to = &a->sub->nodes[e->to];

		snprintf(buf, sizeof buf, "edge %s: %s -> %s%s (Enter follows it)",
		    e->name, from->name, to->name, e->flags & ERD_EDGE_NOT_VALID ?
		    ", NOT VALID" : "");
	} else {
		snprintf(buf, sizeof buf, "%s  arrows pan, + - hops, f overview, "
		    "g edge, J join path, a columns, x export",
		    grid_utf8() ? "\u256b one  \u25cb zero or one  < many" :
		    "# one  o zero or one  < many");
	}
	grid_put_trunc(g, g->rows - 1, 0, g->cols, buf, ROLE_DIM);
}

/* The focus's next edge, in the subgraph. */
static void
next_edge(struct pane *p)
{
	struct sch_pane *a = SP(p);
	int fn = node_of(a, a->focus), n;

	if (a->sub == NULL || fn < 0 || (n = a->sub->nedges) == 0)
		return;
	for (int k = 1; k <= n; k++) {
		int e = (a->edge + k + n) % n;

		if (a->sub->edges[e].from == fn || a->sub->edges[e].to == fn) {
			a->edge = e;
			return;
		}
	}
	ui_message(p->ui, 0, "%s has no foreign keys in or out",
	    a->cat->rels[a->focus].name);
}

static void
follow_edge(struct pane *p)
{
	struct sch_pane *a = SP(p);
	const struct erd_edge *e;
	int fn = node_of(a, a->focus), other;

	if (a->sub == NULL || a->edge < 0 || a->edge >= a->sub->nedges)
		return;
	e = &a->sub->edges[a->edge];
	other = e->from == fn ? e->to : e->from;
	a->focus = a->node_rel[a->sub_map[other]];
	erd_build(p);
}

static void
join_path(struct pane *p, const char *target)
{
	struct sch_pane *a = SP(p);
	const char *dot = strchr(target, '.');
	char *schema = dot != NULL ? xstrndup(target, (size_t)(dot - target)) :
	    NULL;
	int to = erd_find(a->full, schema, dot != NULL ? dot + 1 : target);
	int from = full_node_of(a, a->focus), *edges = NULL, n, at;
	struct tview *t = &a->text;
	struct strbuf sql;

	free(schema);
	if (to < 0) {
		ui_message(p->ui, 1, "no table '%s' in the diagram", target);
		return;
	}
	if ((n = erd_join_path(a->full, from, to, &edges)) < 0) {
		ui_message(p->ui, 1, "no join path from %s to %s along foreign "
		    "keys", a->full->nodes[from].name, a->full->nodes[to].name);
		return;
	}
	tview_clear(t);
	tline_add(t, ROLE_TITLE, -1, "Join path from %s to %s: %d join%s",
	    a->full->nodes[from].name, a->full->nodes[to].name, n,
	    n == 1 ? "" : "s");
	strbuf_init(&sql, 256);
	strbuf_addf(&sql, "FROM %s.%s", a->full->nodes[from].schema,
	    a->full->nodes[from].name);
	at = from;
	for (int i = 0; i < n; i++) {
		const struct erd_edge *e = &a->full->edges[edges[i]];
		const struct erd_node *c = &a->full->nodes[e->from];
		const struct erd_node *pa = &a->full->nodes[e->to];
		int next = e->from == at ? e->to : e->from;
		const struct erd_node *nx = &a->full->nodes[next];

		tline_add(t, ROLE_TREE, a->node_rel[next], "  %s %s %s  (%s)",
		    a->full->nodes[at].name, e->from == at ? "->" : "<-",
		    nx->name, e->name);
		strbuf_addf(&sql, "\n  JOIN %s.%s ON ", nx->schema, nx->name);
		for (int k = 0; k < e->ncols; k++) {
			if (e->from_cols[k] >= c->ncols ||
			    e->to_cols[k] >= pa->ncols)
				continue;
			strbuf_addf(&sql, "%s%s.%s = %s.%s", k > 0 ? " AND " : "",
			    c->name, c->cols[e->from_cols[k]].name, pa->name,
			    pa->cols[e->to_cols[k]].name);
		}
		at = next;
	}
	tline_add(t, ROLE_COLUMN, -1, "SQL");
	for (char *s = sql.buf, *nl; s != NULL && *s != '\0'; s = nl) {
		nl = strchr(s, '\n');
		tline_add(t, ROLE_DEFAULT, -1, "  %.*s", nl != NULL ?
		    (int)(nl - s) : (int)strlen(s), s);
		if (nl != NULL)
			nl++;
	}
	strbuf_release(&sql);
	free(edges);
	t->sel = n > 0 ? 1 : 0;
	a->view = V_JOIN;
	p->dirty = 1;
}

static void
export_erd(struct pane *p, const char *path)
{
	struct sch_pane *a = SP(p);
	struct erd_opts o = { a->all_cols, 0 };
	const char *ext = strrchr(path, '.');
	FILE *fp;
	int rc;

	if (a->sub == NULL)
		return;
	if ((fp = fopen(path, "w")) == NULL) {
		ui_message(p->ui, 1, "cannot write '%s': %s", path,
		    strerror(errno));
		return;
	}
	if (ext != NULL && strcmp(ext, ".dot") == 0) {
		rc = erd_export_dot(a->sub, &o, fp);
	} else if (ext != NULL && (strcmp(ext, ".mmd") == 0 ||
	    strcmp(ext, ".mermaid") == 0 || strcmp(ext, ".md") == 0)) {
		rc = erd_export_mermaid(a->sub, &o, fp);
	} else {
		struct erd_layout *l = erd_layout(a->sub, &o);
		struct erd_canvas c = { 0, 0, NULL };

		if (ext != NULL && strcmp(ext, ".svg") == 0) {
			rc = erd_export_svg(a->sub, l, &o, fp);
		} else {
			erd_render(a->sub, l, &o, 0, &c);
			rc = erd_export_text(&c, fp);
			erd_canvas_free(&c);
		}
		erd_layout_free(l);
	}
	if (fclose(fp) != 0)
		rc = -1;
	if (rc != 0)
		ui_message(p->ui, 1, "cannot write '%s'", path);
	else
		ui_message(p->ui, 0, "wrote the diagram of %d tables to %s",
		    a->sub->nnodes, path);
}

/* ------------------------------------------------------------ search */

static int
row_matches(const struct sch_pane *a, int rel, const char *q)
{
	const struct sch_catalog *c = a->cat;
	const struct sch_rel *r = &c->rels[rel];

	if (strcasestr(r->name, q) != NULL ||
	    (r->comment != NULL && strcasestr(r->comment, q) != NULL))
		return 1;
	for (int i = 0; i < r->ncols; i++)
		if (strcasestr(r->cols[i].name, q) != NULL ||
		    (r->cols[i].comment != NULL &&
		    strcasestr(r->cols[i].comment, q) != NULL))
			return 1;
	for (int i = 0; i < r->nindexes; i++)
		if (strcasestr(c->indexes[r->indexes[i]].name, q) != NULL)
			return 1;
	for (int i = 0; i < r->nconstraints; i++)
		if (strcasestr(c->constraints[r->constraints[i]].name, q) != NULL)
			return 1;
	return 0;
}

/* Select the next (dir 1) or previous relation matching the search,
 * opening its schema (and its root, for a partition). */
static void
search_step(struct pane *p, int dir)
{
	struct sch_pane *a = SP(p);
	const struct sch_catalog *c = a->cat;
	int cur = a->sel < a->nrows ? a->rows[a->sel].rel : -1, n = a->norder;
	int start = 0, found = -1;

	if (a->search == NULL || *a->search == '\0' || n == 0)
		return;
	for (int k = 0; k < n; k++)
		if (a->order[k] == cur)
			start = k;
	for (int step = 1; step <= n && found < 0; step++) {
		int rel = a->order[((start + dir * step) % n + n) % n];

		if (row_matches(a, rel, a->search))
			found = rel;
	}
	if (found < 0) {
		ui_message(p->ui, 1, "nothing matches '%s'", a->search);
		return;
	}
	a->open_schema[c->rels[found].schema] = 1;
	for (int r = found; r >= 0 && c->rels[r].is_partition; )
		a->open_rel[r = c->rels[r].parent] = 1;
	build_rows(a);
	for (int i = 0; i < a->nrows; i++)
		if (a->rows[i].kind == RK_REL && a->rows[i].obj == found)
			a->sel = i;
	a->view = V_TREE;
	p->dirty = 1;
}

/* ------------------------------------------------------------ drawing */

static void
draw_row(struct sch_pane *a, struct grid *g, int row, const struct trow *t,
    int sel)
{
	const struct sch_catalog *c = a->cat;
	char buf[512], b1[32], b2[32];
	int ind = t->depth * 2, w = g->cols, right = w >= 100 ? 34 : 0;
	uint8_t role = ROLE_DEFAULT;
	struct strbuf sb;

	buf[0] = b1[0] = b2[0] = '\0';
	switch (t->kind) {
	case RK_SCHEMA: {
		const struct sch_schema *s = &c->schemas[t->obj];

		snprintf(buf, sizeof buf, "%s %s  %d relation%s%s%s", a->open_schema[
		    t->obj] ? "-" : "+", s->name, s->nrels, s->nrels == 1 ? "" :
		    "s", s->comment != NULL ? "  -- " : "", s->comment != NULL ?
		    s->comment : "");
		role = ROLE_TITLE;
		break;
	}
	case RK_REL: {
		const struct sch_rel *r = &c->rels[t->obj];
		int nl = t->obj < c->nrels ? a->nlints[t->obj] : 0;

		snprintf(buf, sizeof buf, "%s %s  %s%s", r->ncols + r->nindexes +
		    r->nchildren > 0 ? (a->open_rel[t->obj] ? "-" : "+") : " ",
		    r->name, kind_name(r->kind), r->comment != NULL ? "  -- " : "");
		if (r->comment != NULL)
			strncat(buf, r->comment, sizeof buf - strlen(buf) - 1);
		fmt_bytes(b1, sizeof b1, (double)r->size_total);
		if (r->reltuples >= 0)
			fmt_count(b2, sizeof b2, r->reltuples);
		role = nl > 0 ? ROLE_WARN : ROLE_DEFAULT;
		if (right > 0) {
			char rb[80];

			snprintf(rb, sizeof rb, "%8s rows %9s %s", b2, b1,
			    nl > 0 ? "lint" : "    ");
			grid_put_right(g, row, w - right, right, rb, sel ?
			    ROLE_SELECTION : nl > 0 ? ROLE_WARN : ROLE_DIM);
		} else if (b1[0] != '\0') {
			strncat(buf, "  ", sizeof buf - strlen(buf) - 1);
			strncat(buf, b1, sizeof buf - strlen(buf) - 1);
		}
		break;
	}
	case RK_HEAD:
		snprintf(buf, sizeof buf, "%s (%d)", t->head, t->count);
		role = ROLE_COLUMN;
		break;
	case RK_COL: {
		const struct sch_column *col = &c->rels[t->rel].cols[t->obj];

		snprintf(buf, sizeof buf, "%-20s %s%s%s%s%s", col->name, col->type,
		    col->notnull ? " not null" : "", col->identity ? " identity" :
		    col->generated ? " generated" : col->dflt != NULL ?
		    " default " : "", !col->identity && !col->generated &&
		    col->dflt != NULL ? col->dflt : "", col->comment != NULL ?
		    "  -- " : "");
		if (col->comment != NULL)
			strncat(buf, col->comment, sizeof buf - strlen(buf) - 1);
		break;
	}
	case RK_INDEX: {
		const struct sch_index *ix = &c->indexes[t->obj];

		strbuf_init(&sb, 64);
		cols_text(c, t->rel, ix->keys, ix->nkeyatts, &sb);
		fmt_bytes(b1, sizeof b1, (double)ix->size);
		snprintf(buf, sizeof buf, "%s %s(%s)%s %s %" PRId64 " scans%s",
		    ix->name, ix->primary ? "pk " : ix->unique ? "unique " : "",
		    sb.buf, ix->partial ? " partial" : "", b1, ix->idx_scan,
		    ix->valid ? "" : " INVALID");
		strbuf_release(&sb);
		role = ix->valid ? ROLE_DEFAULT : ROLE_BAD;
		break;
	}
	case RK_CONS: {
		const struct sch_constraint *k = &c->constraints[t->obj];

		snprintf(buf, sizeof buf, "%s %s%s", k->name, k->definition != NULL ?
		    k->definition : "", k->validated ? "" : " NOT VALID");
		role = !k->validated ? ROLE_WARN : k->ref_rel >= 0 ? ROLE_TREE :
		    ROLE_DEFAULT;
		break;
	}
	case RK_TRIG: {
		const struct sch_trigger *tr = &c->triggers[t->obj];

		snprintf(buf, sizeof buf, "%s %s%s", tr->name, tr->function != NULL ?
		    tr->function : "", tr->enabled == 'D' ? " (disabled)" : "");
		break;
	}
	case RK_ENUM: {
		const struct sch_enum *e = &c->enums[t->obj];

		strbuf_init(&sb, 64);
		for (int i = 0; i < e->nvalues; i++)
			strbuf_addf(&sb, "%s%s", i > 0 ? ", " : "", e->values[i]);
		snprintf(buf, sizeof buf, "  enum %s: %s", e->name, sb.buf);
		strbuf_release(&sb);
		role = ROLE_DIM;
		break;
	}
	case RK_DOMAIN: {
		const struct sch_domain *d = &c->domains[t->obj];

		snprintf(buf, sizeof buf, "  domain %s: %s%s%s", d->name, d->base,
		    d->notnull ? " not null" : "", d->nchecks > 0 ? " " : "");
		if (d->nchecks > 0)
			strncat(buf, d->checks[0], sizeof buf - strlen(buf) - 1);
		role = ROLE_DIM;
		break;
	}
	}
	if (sel)
		grid_paint(g, row, 0, w - right, ROLE_SELECTION);
	grid_put_trunc(g, row, ind, w - right - ind, buf, sel ? ROLE_SELECTION :
	    role);
}

static void
draw_tree(struct pane *p, struct grid *g)
{
	struct sch_pane *a = SP(p);
	const struct sch_catalog *c = a->cat;
	int vis = g->rows - 1;
	char buf[256];

	snprintf(buf, sizeof buf, "%d schema%s, %d tables, %d partitions, "
	    "%d views, %d lint%s%s", c->nschemas, c->nschemas == 1 ? "" : "s",
	    a->ntables, a->nparts, a->nviews, a->nf, a->nf == 1 ? "" : "s", c->detail_loaded ? "" :
	    " (sizes loading)");
	grid_put_trunc(g, 0, 0, g->cols, buf, ROLE_TITLE);
	if (g->cols >= 100)
		grid_put_right(g, 0, g->cols - 50, 50, c->database != NULL ?
		    c->database : "?", ROLE_DIM);
	if (vis < 1)
		return;
	scroll_to(&a->top, a->sel, a->nrows, vis);
	for (int r = 0; r < vis && a->top + r < a->nrows; r++)
		draw_row(a, g, 1 + r, &a->rows[a->top + r], a->top + r == a->sel);
}

static void
draw_text(struct pane *p, struct grid *g)
{
	struct sch_pane *a = SP(p);
	struct tview *t = &a->text;
	int vis = g->rows;

	if (vis < 1)
		return;
	scroll_to(&t->top, t->sel, t->n, vis);
	for (int r = 0; r < vis && t->top + r < t->n; r++) {
		const struct tline *l = &t->lines[t->top + r];
		int sel = t->top + r == t->sel && r + t->top > 0;

		if (sel)
			grid_paint(g, r, 0, g->cols, ROLE_SELECTION);
		grid_put_trunc(g, r, 0, g->cols, l->text, sel ? ROLE_SELECTION :
		    l->link >= 0 ? ROLE_TREE : l->role);
	}
}

static void
schema_draw(struct pane *p, struct grid *g)
{
	struct sch_pane *a = SP(p);

	grid_clear(g, ROLE_DEFAULT);
	if (a->cat == NULL) {
		grid_put_trunc(g, 1, 2, g->cols - 4, a->status != NULL ?
		    a->status : "", ROLE_DIM);
		return;
	}
	switch (a->view) {
	case V_TREE:
		draw_tree(p, g);
		break;
	case V_ERD:
		draw_erd(p, g);
		break;
	default:
		draw_text(p, g);
		break;
	}
}

/* The catalog is read the first time the pane is shown, not at start. */
static void
schema_shown(struct pane *p)
{
	struct sch_pane *a = SP(p);
	char why[256];

	if (a->cat != NULL || a->requested)
		return;
	a->requested = 1;
	why[0] = '\0';
	free(a->status);
	a->status = xstrdup(ui_schema_load(p->ui, why, sizeof why) != 0 ? why :
	    "reading the catalog ...");
	p->dirty = 1;
}

/* ------------------------------------------------------------ actions */

static void
tree_enter(struct pane *p)
{
	struct sch_pane *a = SP(p);
	const struct trow *t;

	if (a->sel >= a->nrows)
		return;
	t = &a->rows[a->sel];
	if (t->kind == RK_SCHEMA) {
		a->open_schema[t->obj] = !a->open_schema[t->obj];
		build_rows(a);
	} else if (t->kind == RK_CONS && a->cat->constraints[t->obj].ref_rel >= 0) {
		/* Along the foreign key; Backspace comes back. */
		a->drel = -1;
		a->nback = 0;
		go_detail(p, t->rel);
		go_detail(p, a->cat->constraints[t->obj].ref_rel);
	} else if (t->rel >= 0) {
		a->drel = -1;
		a->nback = 0;
		go_detail(p, t->rel);
	}
}

static void
fold(struct sch_pane *a)
{
	const struct trow *t;

	if (a->sel >= a->nrows)
		return;
	t = &a->rows[a->sel];
	if (t->kind == RK_SCHEMA) {
		a->open_schema[t->obj] = !a->open_schema[t->obj];
	} else if (t->kind == RK_REL) {
		a->open_rel[t->obj] = !a->open_rel[t->obj];
	} else if (t->rel >= 0) {
		/* On a child row: fold its relation and select it. */
		a->open_rel[t->rel] = 0;
		build_rows(a);
		for (int i = 0; i < a->nrows; i++)
			if (a->rows[i].kind == RK_REL && a->rows[i].obj == t->rel)
				a->sel = i;
		return;
	}
	build_rows(a);
}

static int
move(int *sel, int n, enum action act, int page)
{
	int old = *sel;

	*sel += act == ACT_DOWN ? 1 : act == ACT_UP ? -1 : act == ACT_PAGE_DOWN ?
	    page : act == ACT_PAGE_UP ? -page : act == ACT_HOME ? -n : n;
	if (*sel >= n)
		*sel = n - 1;
	if (*sel < 0)
		*sel = 0;
	return *sel != old;
}

static enum pane_result
erd_action(struct pane *p, enum action act)
{
	struct sch_pane *a = SP(p);
	int ph = p->rows - 3, pw = p->cols;

	switch (act) {
	case ACT_UP:		a->vr -= 2; break;
	case ACT_DOWN:		a->vr += 2; break;
	case ACT_LEFT:		a->vc -= 8; break;
	case ACT_RIGHT:		a->vc += 8; break;
	case ACT_PAGE_UP:	a->vr -= ph; break;
	case ACT_PAGE_DOWN:	a->vr += ph; break;
	case ACT_HOME:		a->vr = a->vc = 0; break;
	case ACT_END:
		a->vr = a->can.rows - ph;
		a->vc = a->can.cols - pw;
		break;
	case ACT_GROW:
		if (a->hops < 20)
			a->hops++;
		erd_build(p);
		break;
	case ACT_SHRINK:
		if (a->hops > 0)
			a->hops--;
		erd_build(p);
		break;
	case ACT_FIT:
		a->overview = !a->overview;
		break;
	case ACT_TOGGLE_COLUMNS:
		a->all_cols = !a->all_cols;
		erd_build(p);
		break;
	case ACT_FOLLOW_EDGE:
		next_edge(p);
		break;
	case ACT_ENTER:
		if (a->edge >= 0)
			follow_edge(p);
		else
			go_detail(p, a->focus);
		break;
	case ACT_JOIN_PATH:
		ui_prompt(p->ui, p, PROMPT_JOIN, "Join path to table "
		    "([schema.]name):", "");
		return PANE_HANDLED;
	case ACT_EXPORT:
		ui_prompt(p->ui, p, PROMPT_EXPORT, "Export the diagram to "
		    "(.dot, .mmd, .svg, .txt):", "erd.svg");
		return PANE_HANDLED;
	case ACT_BACK:
	case ACT_ERD:
		a->view = a->drel >= 0 ? V_DETAIL : V_TREE;
		if (a->view == V_DETAIL)
			build_detail(a, a->drel);
		break;
	default:
		return PANE_IGNORED;
	}
	/* Keep some of the diagram in view. */
	if (a->vr > a->can.rows - 2)
		a->vr = a->can.rows - 2;
	if (a->vc > a->can.cols - 8)
		a->vc = a->can.cols - 8;
	if (a->vr < -ph / 2)
		a->vr = -ph / 2;
	if (a->vc < -pw / 2)
		a->vc = -pw / 2;
	p->dirty = 1;
	return PANE_HANDLED | PANE_REDRAW;
}

static enum pane_result
schema_action(struct pane *p, enum action act)
{
	struct sch_pane *a = SP(p);
	struct tview *t = &a->text;
	int page = p->rows > 4 ? p->rows - 3 : 1;
	char why[256];

	if (act == ACT_RELOAD) {
		why[0] = '\0';
		if (ui_schema_load(p->ui, why, sizeof why) != 0)
			ui_message(p->ui, 1, "%s", why);
		else
			ui_message(p->ui, 0, "reading the catalog again ...");
		return PANE_HANDLED;
	}
	if (a->cat == NULL)
		return PANE_IGNORED;
	if (a->view == V_ERD)
		return erd_action(p, act);
	switch (act) {
	case ACT_UP: case ACT_DOWN: case ACT_PAGE_UP: case ACT_PAGE_DOWN:
	case ACT_HOME: case ACT_END:
		if (a->view == V_TREE)
			move(&a->sel, a->nrows, act, page);
		else
			move(&t->sel, t->n, act, page);
		break;
	case ACT_TOGGLE_FOLD:
		if (a->view != V_TREE)
			return PANE_IGNORED;
		fold(a);
		break;
	case ACT_ENTER:
		if (a->view == V_TREE) {
			tree_enter(p);
		} else if (t->sel < t->n && t->lines[t->sel].link >= 0) {
			int to = t->lines[t->sel].link;

			if (a->view != V_DETAIL) {
				a->drel = -1;
				a->nback = 0;
			}
			go_detail(p, to);
		}
		break;
	case ACT_BACK:
		if (a->view == V_TREE)
			return PANE_IGNORED;
		if (a->view == V_DETAIL && a->nback > 0) {
			a->drel = a->back[--a->nback];
			build_detail(a, a->drel);
		} else {
			a->view = V_TREE;
			a->drel = -1;
		}
		break;
	case ACT_ERD: {
		int rel = a->view == V_DETAIL ? a->drel : a->view == V_TREE &&
		    a->sel < a->nrows ? a->rows[a->sel].rel : t->sel < t->n ?
		    t->lines[t->sel].link : -1;

		if (rel < 0) {
			ui_message(p->ui, 1, "select a table for its ERD");
			return PANE_HANDLED;
		}
		if (a->view != V_DETAIL)
			a->drel = -1;
		go_erd(p, rel);
		break;
	}
	case ACT_LINTS:
		build_lints(a);
		a->view = V_LINTS;
		a->drel = -1;
		break;
	case ACT_DICTIONARY:
		build_dict(a);
		a->view = V_DICT;
		a->drel = -1;
		break;
	case ACT_FILTER:
		ui_prompt(p->ui, p, PROMPT_SEARCH, "Search names and comments:",
		    a->search != NULL ? a->search : "");
		return PANE_HANDLED;
	case ACT_NEXT_MATCH:
	case ACT_PREV_MATCH:
		search_step(p, act == ACT_NEXT_MATCH ? 1 : -1);
		break;
	case ACT_COPY: {
		struct strbuf sb;

		if (a->view == V_TREE)
			return PANE_IGNORED;
		strbuf_init(&sb, 1024);
		for (int i = 0; i < t->n; i++) {
			strbuf_addstr(&sb, t->lines[i].text);
			strbuf_addch(&sb, '\n');
		}
		ui_copy(p->ui, sb.buf);
		strbuf_release(&sb);
		return PANE_HANDLED;
	}
	default:
		return PANE_IGNORED;
	}
	p->dirty = 1;
	return PANE_HANDLED | PANE_REDRAW;
}

static void
schema_prompt(struct pane *p, int id, enum prompt_event ev, const char *text)
{
	struct sch_pane *a = SP(p);

	if (ev != PROMPT_DONE || text == NULL || *text == '\0' || a->cat == NULL)
		return;
	if (id == PROMPT_SEARCH) {
		free(a->search);
		a->search = xstrdup(text);
		search_step(p, 1);
	} else if (id == PROMPT_JOIN && a->full != NULL) {
		join_path(p, text);
	} else if (id == PROMPT_EXPORT) {
		export_erd(p, text);
	}
	p->dirty = 1;
}

static const enum action *
schema_hints(struct pane *p)
{
	static const enum action tree[] = {
		ACT_TOGGLE_FOLD, ACT_ENTER, ACT_ERD, ACT_LINTS, ACT_DICTIONARY,
		ACT_FILTER, ACT_NONE
	};
	static const enum action text[] = {
		ACT_ENTER, ACT_BACK, ACT_ERD, ACT_COPY, ACT_NONE
	};
	static const enum action erd[] = {
		ACT_GROW, ACT_SHRINK, ACT_FIT, ACT_FOLLOW_EDGE, ACT_JOIN_PATH,
		ACT_EXPORT, ACT_BACK, ACT_NONE
	};
	static const enum action none[] = { ACT_RELOAD, ACT_NONE };
	struct sch_pane *a = SP(p);

	if (a->cat == NULL)
		return none;
	return a->view == V_TREE ? tree : a->view == V_ERD ? erd : text;
}

const struct pane_ops pane_schema_ops = {
	.name = "schema",
	.title = "Schema",
	.init = schema_init,
	.free = schema_free,
	.draw = schema_draw,
	.action = schema_action,
	.hints = schema_hints,
	.prompt = schema_prompt,
	.shown = schema_shown,
};
