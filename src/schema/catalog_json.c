/*
 * catalog_json.c - a catalog as a JSON document and back, so that a
 * capture file can hold the Schema pane's catalog for replay.
 *
 * The document is one object: "format" and "version", the catalog's own
 * fields, then one array per kind of object ("schemas", "rels",
 * "indexes", "constraints", "triggers", "enums", "domains") in the
 * catalog's order, so that indexes in the document are indexes in the
 * arrays.  Each element is an object whose keys are the struct's member
 * names; a member still at the value the loader gives an element it has
 * not heard about yet (NULL, -1, 0, the default fill factor...) is left
 * out, which roughly halves the document.  What sch_finish() derives
 * (schema listings, children, the per-relation index, constraint,
 * trigger and fks_in lists) is not written: reading recomputes it with
 * sch_finish(), so the sums it makes over partition trees must already
 * be in the document as sch_finish() left them (write a finished
 * catalog).
 *
 * The reader trusts nothing: every member is type- and range-checked,
 * every index checked against its array, OIDs and attnums must be
 * sorted as the lookups need them, parent chains must end, and unknown
 * keys are refused, so that whatever a corrupt or foreign document says,
 * the catalog it yields is one the loader could have produced.
 *
 * Strings are JSON strings when they are UTF-8; a name in another
 * encoding (a SQL_ASCII database) is written {"latin1": "..."}, each
 * byte as the code point of the same value, and read back byte for byte.
 * A char member is a string of at most one such code point ("" for 0).
 */
#include "schema.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/util.h"
#include "core/banned.h"

#define CATALOG_FORMAT	"pgdeck-catalog"
#define CATALOG_VERSION	1

#define COUNT_MAX	SCH_COUNT_MAX
/* Epoch seconds: PostgreSQL's timestamps end in the year 294276. */
#define TIME_MAX	(INT64_C(1) << 44)
#define INT2_MIN	(-32768)
#define INT2_MAX	32767

enum kind {
	K_STR,		/* char *, a string or null */
	K_NAME,		/* char *, a string (never NULL in a catalog) */
	K_CHAR,		/* char, a string of at most one code point */
	K_BOOL,		/* int, true or false */
	K_INT,		/* int in [lo, hi] */
	K_I64,		/* int64_t in [lo, hi] */
	K_OID,		/* uint32_t */
	K_DBL,		/* double, finite, in [lo, hi] */
	K_REF		/* int, index into array 'to' (or -1 if lo is -1) */
};

/* The arrays of a catalog, for K_REF. */
enum arr { A_SCHEMAS, A_RELS, A_INDEXES, A_CONSTRAINTS, A_TRIGGERS,
	A_ENUMS, A_DOMAINS, A_COUNT };

static const char *const arr_names[A_COUNT] = { "schemas", "rels",
	"indexes", "constraints", "triggers", "enums", "domains" };

struct field {
	const char	*key;		/* the member's name */
	enum kind	 kind;
	size_t		 off;		/* offsetof the member */
	int		 req;		/* always written, must be present */
	double		 def;		/* left out when equal (unless req) */
	int64_t		 lo, hi;	/* K_INT, K_I64, K_DBL, K_REF (lo) */
	enum arr	 to;		/* K_REF */
};

#define M(s, m)		offsetof(struct s, m)
#define NAME(s, m)	{ #m, K_NAME, M(s, m), 1, 0, 0, 0, 0 }
#define STR(s, m)	{ #m, K_STR, M(s, m), 0, 0, 0, 0, 0 }
#define CHR(s, m, d)	{ #m, K_CHAR, M(s, m), 0, d, 0, 0, 0 }
#define BOOL(s, m, d)	{ #m, K_BOOL, M(s, m), 0, d, 0, 0, 0 }
#define OID(s, m)	{ #m, K_OID, M(s, m), 1, 0, 0, 0, 0 }
#define INT(s, m, d, lo, hi) { #m, K_INT, M(s, m), 0, d, lo, hi, 0 }
#define I64(s, m, d, lo, hi) { #m, K_I64, M(s, m), 0, d, lo, hi, 0 }
#define DBL(s, m, d, lo, hi) { #m, K_DBL, M(s, m), 0, d, lo, hi, 0 }
#define REF(s, m, to)	{ #m, K_REF, M(s, m), 1, 0, 0, 0, to }
#define REFN(s, m, to)	{ #m, K_REF, M(s, m), 0, -1, -1, 0, to }
#define COUNT(s, m)	I64(s, m, 0, 0, COUNT_MAX)
#define SIZE(s, m)	I64(s, m, -1, -1, COUNT_MAX)
#define TIME(s, m)	I64(s, m, 0, -TIME_MAX, TIME_MAX)
#define NFIELDS(f)	((int)(sizeof f / sizeof *f))

static const struct field catalog_fields[] = {
	STR(sch_catalog, database),
	INT(sch_catalog, server_version, 0, 0, INT_MAX),
	INT(sch_catalog, block_size, 8192, 1024, 32768),
	TIME(sch_catalog, loaded_at),
	TIME(sch_catalog, stats_reset),
	TIME(sch_catalog, server_started),
	BOOL(sch_catalog, detail_loaded, 0),
};

static const struct field schema_fields[] = {
	OID(sch_schema, oid),
	NAME(sch_schema, name),
	STR(sch_schema, owner),
	STR(sch_schema, comment),
};

static const struct field rel_fields[] = {
	OID(sch_rel, oid),
	REF(sch_rel, schema, A_SCHEMAS),
	NAME(sch_rel, name),
	CHR(sch_rel, kind, 0),
	CHR(sch_rel, persistence, 'p'),
	REFN(sch_rel, parent, A_RELS),
	BOOL(sch_rel, is_partition, 0),
	STR(sch_rel, partbound),
	CHR(sch_rel, partstrat, 0),
	STR(sch_rel, partkey),
	STR(sch_rel, comment),
	DBL(sch_rel, reltuples, -1, -1, 1e18),
	I64(sch_rel, relpages, 0, -1, INT_MAX),
	INT(sch_rel, fillfactor, 100, 10, 100),
	COUNT(sch_rel, n_live_tup),
	COUNT(sch_rel, n_dead_tup),
	COUNT(sch_rel, seq_scan),
	COUNT(sch_rel, idx_scan),
	TIME(sch_rel, last_vacuum),
	TIME(sch_rel, last_autovacuum),
	TIME(sch_rel, last_analyze),
	TIME(sch_rel, last_autoanalyze),
	SIZE(sch_rel, size_heap),
	SIZE(sch_rel, size_index),
	SIZE(sch_rel, size_toast),
	SIZE(sch_rel, size_total),
};

static const struct field column_fields[] = {
	INT(sch_column, attnum, 0, 1, INT2_MAX),
	NAME(sch_column, name),
	NAME(sch_column, type),
	{ "typid", K_OID, M(sch_column, typid), 0, 0, 0, 0, 0 },
	BOOL(sch_column, notnull, 0),
	STR(sch_column, dflt),
	CHR(sch_column, identity, 0),
	CHR(sch_column, generated, 0),
	STR(sch_column, comment),
	DBL(sch_column, avg_width, -1, -1, INT_MAX),
	DBL(sch_column, null_frac, -1, -1, 1),
};

static const struct field index_fields[] = {
	OID(sch_index, oid),
	NAME(sch_index, name),
	REF(sch_index, rel, A_RELS),
	REFN(sch_index, parent, A_INDEXES),
	INT(sch_index, nkeyatts, 0, 0, INT2_MAX),
	BOOL(sch_index, unique, 0),
	BOOL(sch_index, primary, 0),
	BOOL(sch_index, valid, 1),
	BOOL(sch_index, partial, 0),
	STR(sch_index, predicate),
	STR(sch_index, exprs),
	STR(sch_index, am),
	COUNT(sch_index, idx_scan),
	DBL(sch_index, reltuples, -1, -1, 1e18),
	I64(sch_index, relpages, 0, -1, INT_MAX),
	INT(sch_index, fillfactor, 90, 10, 100),
	SIZE(sch_index, size),
	STR(sch_index, definition),
	STR(sch_index, comment),
};

static const struct field constraint_fields[] = {
	OID(sch_constraint, oid),
	NAME(sch_constraint, name),
	CHR(sch_constraint, type, 0),
	REF(sch_constraint, rel, A_RELS),
	REFN(sch_constraint, index, A_INDEXES),
	REFN(sch_constraint, ref_rel, A_RELS),
	CHR(sch_constraint, on_delete, 0),
	CHR(sch_constraint, on_update, 0),
	CHR(sch_constraint, match, 0),
	BOOL(sch_constraint, validated, 1),
	BOOL(sch_constraint, deferrable, 0),
	STR(sch_constraint, definition),
	STR(sch_constraint, comment),
};

static const struct field trigger_fields[] = {
	OID(sch_trigger, oid),
	NAME(sch_trigger, name),
	REF(sch_trigger, rel, A_RELS),
	CHR(sch_trigger, enabled, 0),
	STR(sch_trigger, function),
	STR(sch_trigger, definition),
	STR(sch_trigger, comment),
};

static const struct field enum_fields[] = {
	OID(sch_enum, oid),
	REF(sch_enum, schema, A_SCHEMAS),
	NAME(sch_enum, name),
	STR(sch_enum, comment),
};

static const struct field domain_fields[] = {
	OID(sch_domain, oid),
	REF(sch_domain, schema, A_SCHEMAS),
	NAME(sch_domain, name),
	NAME(sch_domain, base),
	BOOL(sch_domain, notnull, 0),
	STR(sch_domain, dflt),
	STR(sch_domain, comment),
};

/* Writing */

/* A string, or {"latin1": ...} when it is not UTF-8. */
static json_t *
str_json(const char *s)
{
	json_t		*v, *o;
	char		*buf, *p;
	const unsigned char *u;

	if (s == NULL)
		return json_null();
	if ((v = json_string(s)) != NULL)
		return v;
	p = buf = xmalloc(2 * strlen(s) + 1);
	for (u = (const unsigned char *)s; *u != '\0'; u++) {
		if (*u < 0x80) {
			*p++ = (char)*u;
		} else {
			*p++ = (char)(0xc0 | (*u >> 6));
			*p++ = (char)(0x80 | (*u & 0x3f));
		}
	}
	*p = '\0';
	o = json_object();
	json_object_set_new(o, "latin1", json_string(buf));
	free(buf);
	return o;
}

static json_t *
char_json(char c)
{
	char	buf[2] = { c, '\0' };

	return str_json(buf);
}

/* Member 'f' of 'obj' into 'o', unless at its default. */
static void
put_field(json_t *o, const struct field *f, const void *obj)
{
	const char	*base = obj;
	const void	*p = base + f->off;
	json_t		*v = NULL;
	double		 d;
	int64_t		 i64;
	int		 i;

	switch (f->kind) {
	case K_STR:
	case K_NAME:
		if (*(char *const *)p != NULL || f->req)
			v = str_json(*(char *const *)p);
		break;
	case K_CHAR:
		if (*(const char *)p != (char)f->def)
			v = char_json(*(const char *)p);
		break;
	case K_BOOL:
		i = *(const int *)p != 0;
		if (i != (int)f->def)
			v = json_boolean(i);
		break;
	case K_INT:
	case K_REF:
		i = *(const int *)p;
		if (f->req || i != (int)f->def)
			v = json_integer(i);
		break;
	case K_I64:
		i64 = *(const int64_t *)p;
		if (i64 != (int64_t)f->def)
			v = json_integer(i64);
		break;
	case K_OID:
		if (f->req || *(const uint32_t *)p != 0)
			v = json_integer(*(const uint32_t *)p);
		break;
	case K_DBL:
		d = *(const double *)p;
		if (!isfinite(d))
			d = -1;		/* NaN is "unknown" in the model */
		if (d != f->def)
			v = json_real(d);
		break;
	}
	if (v != NULL)
		json_object_set_new(o, f->key, v);
}

static json_t *
fields_json(const struct field *fields, int n, const void *obj)
{
	json_t	*o = json_object();
	int	 i;

	for (i = 0; i < n; i++)
		put_field(o, &fields[i], obj);
	return o;
}

static json_t *
ints_json(const int *v, int n)
{
	json_t	*a = json_array();
	int	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_integer(v[i]));
	return a;
}

static json_t *
strv_json(char *const *v, int n)
{
	json_t	*a = json_array();
	int	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, str_json(v[i] != NULL ? v[i] : ""));
	return a;
}

char *
sch_catalog_to_json(const struct sch_catalog *cat)
{
	json_t	*doc = json_object(), *a;
	char	*out;
	int	 i, j;

	json_object_set_new(doc, "format", json_string(CATALOG_FORMAT));
	json_object_set_new(doc, "version", json_integer(CATALOG_VERSION));
	for (i = 0; i < NFIELDS(catalog_fields); i++)
		put_field(doc, &catalog_fields[i], cat);

	a = json_array();
	for (i = 0; i < cat->nschemas; i++)
		json_array_append_new(a, fields_json(schema_fields,
		    NFIELDS(schema_fields), &cat->schemas[i]));
	json_object_set_new(doc, "schemas", a);

	a = json_array();
	for (i = 0; i < cat->nrels; i++) {
		const struct sch_rel	*r = &cat->rels[i];
		json_t			*o = fields_json(rel_fields,
					    NFIELDS(rel_fields), r);
		json_t			*cols = json_array();

		for (j = 0; j < r->ncols; j++)
			json_array_append_new(cols, fields_json(column_fields,
			    NFIELDS(column_fields), &r->cols[j]));
		json_object_set_new(o, "cols", cols);
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "rels", a);

	a = json_array();
	for (i = 0; i < cat->nindexes; i++) {
		const struct sch_index	*x = &cat->indexes[i];
		json_t			*o = fields_json(index_fields,
					    NFIELDS(index_fields), x);
		json_t			*opc = json_array();

		json_object_set_new(o, "keys", ints_json(x->keys, x->nkeys));
		for (j = 0; j < x->nkeyatts; j++)
			json_array_append_new(opc, json_integer(x->opclass[j]));
		json_object_set_new(o, "opclass", opc);
		json_object_set_new(o, "options", ints_json(x->options,
		    x->nkeyatts));
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "indexes", a);

	a = json_array();
	for (i = 0; i < cat->nconstraints; i++) {
		const struct sch_constraint *k = &cat->constraints[i];
		json_t		*o = fields_json(constraint_fields,
				    NFIELDS(constraint_fields), k);

		json_object_set_new(o, "cols", ints_json(k->cols, k->ncols));
		if (k->ref_cols != NULL)
			json_object_set_new(o, "ref_cols",
			    ints_json(k->ref_cols, k->ncols));
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "constraints", a);

	a = json_array();
	for (i = 0; i < cat->ntriggers; i++)
		json_array_append_new(a, fields_json(trigger_fields,
		    NFIELDS(trigger_fields), &cat->triggers[i]));
	json_object_set_new(doc, "triggers", a);

	a = json_array();
	for (i = 0; i < cat->nenums; i++) {
		json_t	*o = fields_json(enum_fields, NFIELDS(enum_fields),
			    &cat->enums[i]);

		json_object_set_new(o, "values", strv_json(cat->enums[i].values,
		    cat->enums[i].nvalues));
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "enums", a);

	a = json_array();
	for (i = 0; i < cat->ndomains; i++) {
		json_t	*o = fields_json(domain_fields,
			    NFIELDS(domain_fields), &cat->domains[i]);

		json_object_set_new(o, "checks",
		    strv_json(cat->domains[i].checks, cat->domains[i].nchecks));
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "domains", a);

	out = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (out == NULL)
		BUG("cannot serialise a catalog");
	/* json_dumps allocates with malloc: the caller frees with free(). */
	return out;
}

/* Reading */

struct rd {
	char		 path[96];	/* the element being read: "rels[3]" */
	char		*err;		/* the first error */
	int		 count[A_COUNT];
};

static int PRINTF_LIKE(3, 4)
fail(struct rd *rd, const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (rd->err != NULL)
		return -1;
	va_start(ap, fmt);
	msg = xstrvfmt(fmt, ap);
	va_end(ap);
	if (rd->path[0] == '\0' && key == NULL)
		rd->err = xstrfmt("catalog json: %s", msg);
	else
		rd->err = xstrfmt("catalog json: %s%s%s: %s", rd->path,
		    rd->path[0] != '\0' && key != NULL ? "." : "",
		    key != NULL ? key : "", msg);
	free(msg);
	return -1;
}

/*
 * Decode a string member: a JSON string, or {"latin1": s} with every
 * code point of s in 1..255.  Returns 0 with a malloc'd '*out', or -1.
 */
static int
get_str(json_t *v, char **out)
{
	const char	*s;
	char		*p;
	size_t		 n;

	*out = NULL;
	if (json_is_string(v)) {
		*out = xstrndup(json_string_value(v), json_string_length(v));
		return 0;
	}
	if (!json_is_object(v) || json_object_size(v) != 1)
		return -1;
	v = json_object_get(v, "latin1");
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	n = json_string_length(v);
	p = *out = xmalloc(n + 1);
	while (*s != '\0') {
		unsigned char	c = (unsigned char)*s;

		if (c < 0x80) {
			*p++ = *s++;
		} else if ((c == 0xc2 || c == 0xc3) &&
		    ((unsigned char)s[1] & 0xc0) == 0x80) {
			*p++ = (char)(((c & 0x03) << 6) |
			    ((unsigned char)s[1] & 0x3f));
			s += 2;
		} else {
			free(*out);
			*out = NULL;
			return -1;
		}
	}
	*p = '\0';
	return 0;
}

/* Member 'f' from 'o' into 'obj' (its default when absent). */
static int
get_field(struct rd *rd, json_t *o, const struct field *f, void *obj)
{
	char		*base = obj;
	void		*p = base + f->off;
	json_t		*v = json_object_get(o, f->key);
	char		*s;
	double		 d;
	json_int_t	 i;

	if (v == NULL) {
		if (f->req)
			return fail(rd, f->key, "missing");
		switch (f->kind) {
		case K_STR:
		case K_NAME:
			*(char **)p = NULL;
			break;
		case K_CHAR:
			*(char *)p = (char)f->def;
			break;
		case K_BOOL:
		case K_INT:
		case K_REF:
			*(int *)p = (int)f->def;
			break;
		case K_I64:
			*(int64_t *)p = (int64_t)f->def;
			break;
		case K_OID:
			*(uint32_t *)p = 0;
			break;
		case K_DBL:
			*(double *)p = f->def;
			break;
		}
		return 0;
	}
	switch (f->kind) {
	case K_STR:
	case K_NAME:
		if (f->kind == K_STR && json_is_null(v)) {
			*(char **)p = NULL;
			return 0;
		}
		if (get_str(v, (char **)p) < 0)
			return fail(rd, f->key, "expected a string");
		return 0;
	case K_CHAR:
		if (get_str(v, &s) < 0 || strlen(s) > 1) {
			free(s);
			return fail(rd, f->key, "expected one character");
		}
		*(char *)p = s[0];
		free(s);
		return 0;
	case K_BOOL:
		if (!json_is_boolean(v))
			return fail(rd, f->key, "expected true or false");
		*(int *)p = json_is_true(v);
		return 0;
	case K_DBL:
		if (!json_is_number(v))
			return fail(rd, f->key, "expected a number");
		d = json_number_value(v);
		if (!isfinite(d) || d < (double)f->lo || d > (double)f->hi)
			return fail(rd, f->key, "%g out of range", d);
		*(double *)p = d;
		return 0;
	default:
		break;
	}
	if (!json_is_integer(v))
		return fail(rd, f->key, "expected an integer");
	i = json_integer_value(v);
	switch (f->kind) {
	case K_INT:
		if (i < f->lo || i > f->hi)
			return fail(rd, f->key, "%lld out of range",
			    (long long)i);
		*(int *)p = (int)i;
		break;
	case K_I64:
		if (i < f->lo || i > f->hi)
			return fail(rd, f->key, "%lld out of range",
			    (long long)i);
		*(int64_t *)p = (int64_t)i;
		break;
	case K_OID:
		if (i < 0 || i > (json_int_t)UINT32_MAX)
			return fail(rd, f->key, "%lld is not an OID",
			    (long long)i);
		*(uint32_t *)p = (uint32_t)i;
		break;
	case K_REF:
		if (i < f->lo || i >= rd->count[f->to])
			return fail(rd, f->key, "index %lld out of range",
			    (long long)i);
		*(int *)p = (int)i;
		break;
	default:
		BUG("unhandled field kind");
	}
	return 0;
}

/*
 * Read 'fields' of object 'o' into 'obj'; any other key must be one of
 * 'extra' (NULL-terminated, read by the caller).
 */
static int
get_fields(struct rd *rd, json_t *o, const struct field *fields, int n,
    const char *const *extra, void *obj)
{
	const char	*key;
	json_t		*v;
	int		 i;

	if (!json_is_object(o))
		return fail(rd, NULL, "expected an object");
	json_object_foreach(o, key, v) {
		const char *const *e;

		for (i = 0; i < n; i++)
			if (strcmp(key, fields[i].key) == 0)
				break;
		if (i < n)
			continue;
		for (e = extra; e != NULL && *e != NULL; e++)
			if (strcmp(key, *e) == 0)
				break;
		if (e == NULL || *e == NULL)
			return fail(rd, key, "unknown field");
	}
	for (i = 0; i < n; i++)
		if (get_field(rd, o, &fields[i], obj) < 0)
			return -1;
	return 0;
}

/*
 * Array member 'key' of 'o' (required), of at most 'max' elements.
 * Returns its length, or -1.
 */
static int
get_array(struct rd *rd, json_t *o, const char *key, json_t **out)
{
	json_t	*a = json_object_get(o, key);

	*out = a;
	if (a == NULL)
		return fail(rd, key, "missing");
	if (!json_is_array(a))
		return fail(rd, key, "expected an array");
	if (json_array_size(a) > INT_MAX / 2)
		return fail(rd, key, "too long");
	return (int)json_array_size(a);
}

/*
 * An array of 'want' (or any number if 'want' < 0) integers in [lo, hi]
 * into a malloc'd '*out' (never NULL, at least one element); returns
 * the count or -1.
 */
static int
get_ints(struct rd *rd, json_t *o, const char *key, int want, int lo,
    int hi, int **out)
{
	json_t	*a;
	int	 n = get_array(rd, o, key, &a), i;

	*out = NULL;
	if (n < 0)
		return -1;
	if (want >= 0 && n != want)
		return fail(rd, key, "%d entries, expected %d", n, want);
	*out = xcalloc((size_t)(n > 0 ? n : 1), sizeof **out);
	for (i = 0; i < n; i++) {
		json_t		*v = json_array_get(a, (size_t)i);
		json_int_t	 x;

		if (!json_is_integer(v))
			return fail(rd, key, "[%d]: expected an integer", i);
		x = json_integer_value(v);
		if (x < lo || x > hi)
			return fail(rd, key, "[%d]: %lld out of range", i,
			    (long long)x);
		(*out)[i] = (int)x;
	}
	return n;
}

/* An array of strings into a malloc'd vector; count or -1. */
static int
get_strv(struct rd *rd, json_t *o, const char *key, char ***out, int *nout)
{
	json_t	*a;
	int	 n = get_array(rd, o, key, &a), i;

	*out = NULL;
	*nout = 0;
	if (n <= 0)
		return n;
	*out = xcalloc((size_t)n, sizeof **out);
	*nout = n;
	for (i = 0; i < n; i++)
		if (get_str(json_array_get(a, (size_t)i), &(*out)[i]) < 0)
			return fail(rd, key, "[%d]: expected a string", i);
	return n;
}

/*
 * The room catalog.c's grow() would have made for 'n' elements (4, then
 * powers of two), so that the add functions can still append to a
 * catalog read here.
 */
static size_t
capacity(int n)
{
	size_t	c = 4;

	while (c < (size_t)n)
		c *= 2;
	return c;
}

static int
read_schemas(struct rd *rd, json_t *a, struct sch_catalog *cat)
{
	int	i;

	for (i = 0; i < cat->nschemas; i++) {
		struct sch_schema *s = &cat->schemas[i];

		snprintf(rd->path, sizeof rd->path, "schemas[%d]", i);
		if (get_fields(rd, json_array_get(a, (size_t)i), schema_fields,
		    NFIELDS(schema_fields), NULL, s) < 0)
			return -1;
		if (i > 0 && s->oid <= cat->schemas[i - 1].oid)
			return fail(rd, "oid", "not increasing");
	}
	return 0;
}

static int
read_columns(struct rd *rd, json_t *o, struct sch_rel *r, int ri)
{
	static const char *const none[] = { NULL };
	json_t	*a;
	int	 n = get_array(rd, o, "cols", &a), i;

	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	r->cols = xcalloc(capacity(n), sizeof *r->cols);
	r->ncols = n;
	for (i = 0; i < n; i++) {
		struct sch_column *c = &r->cols[i];

		snprintf(rd->path, sizeof rd->path, "rels[%d].cols[%d]", ri,
		    i);
		if (get_fields(rd, json_array_get(a, (size_t)i),
		    column_fields, NFIELDS(column_fields), none, c) < 0)
			return -1;
		if (i > 0 && c->attnum <= r->cols[i - 1].attnum)
			return fail(rd, "attnum", "not increasing");
	}
	return 0;
}

static int
read_rels(struct rd *rd, json_t *a, struct sch_catalog *cat)
{
	static const char *const extra[] = { "cols", NULL };
	int	i;

	for (i = 0; i < cat->nrels; i++) {
		struct sch_rel	*r = &cat->rels[i];
		json_t		*o = json_array_get(a, (size_t)i);

		snprintf(rd->path, sizeof rd->path, "rels[%d]", i);
		if (get_fields(rd, o, rel_fields, NFIELDS(rel_fields), extra,
		    r) < 0)
			return -1;
		if (i > 0 && r->oid <= cat->rels[i - 1].oid)
			return fail(rd, "oid", "not increasing");
		if (read_columns(rd, o, r, i) < 0)
			return -1;
	}
	return 0;
}

static int
read_indexes(struct rd *rd, json_t *a, struct sch_catalog *cat)
{
	static const char *const extra[] = { "keys", "opclass", "options",
	    NULL };
	int	i, j;

	for (i = 0; i < cat->nindexes; i++) {
		struct sch_index	*x = &cat->indexes[i];
		json_t			*o = json_array_get(a, (size_t)i), *opc;

		snprintf(rd->path, sizeof rd->path, "indexes[%d]", i);
		if (get_fields(rd, o, index_fields, NFIELDS(index_fields),
		    extra, x) < 0)
			return -1;
		if (i > 0 && x->oid <= cat->indexes[i - 1].oid)
			return fail(rd, "oid", "not increasing");
		x->nkeys = get_ints(rd, o, "keys", -1, INT2_MIN, INT2_MAX,
		    &x->keys);
		if (x->nkeys < 0)
			return -1;
		if (x->nkeyatts > x->nkeys)
			return fail(rd, "nkeyatts", "%d of %d keys",
			    x->nkeyatts, x->nkeys);
		if (get_ints(rd, o, "options", x->nkeyatts, INT2_MIN,
		    INT2_MAX, &x->options) < 0)
			return -1;
		x->opclass = xcalloc((size_t)(x->nkeyatts > 0 ? x->nkeyatts :
		    1), sizeof *x->opclass);
		if (get_array(rd, o, "opclass", &opc) < 0)
			return -1;
		if ((int)json_array_size(opc) != x->nkeyatts)
			return fail(rd, "opclass", "%d entries, expected %d",
			    (int)json_array_size(opc), x->nkeyatts);
		for (j = 0; j < x->nkeyatts; j++) {
			json_t	*v = json_array_get(opc, (size_t)j);

			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > (json_int_t)UINT32_MAX)
				return fail(rd, "opclass", "[%d]: expected an"
				    " OID", j);
			x->opclass[j] = (uint32_t)json_integer_value(v);
		}
	}
	return 0;
}

static int
read_constraints(struct rd *rd, json_t *a, struct sch_catalog *cat)
{
	static const char *const extra[] = { "cols", "ref_cols", NULL };
	int	i;

	for (i = 0; i < cat->nconstraints; i++) {
		struct sch_constraint	*k = &cat->constraints[i];
		json_t			*o = json_array_get(a, (size_t)i);

		snprintf(rd->path, sizeof rd->path, "constraints[%d]", i);
		if (get_fields(rd, o, constraint_fields,
		    NFIELDS(constraint_fields), extra, k) < 0)
			return -1;
		k->ncols = get_ints(rd, o, "cols", -1, INT2_MIN, INT2_MAX,
		    &k->cols);
		if (k->ncols < 0)
			return -1;
		if (json_object_get(o, "ref_cols") != NULL &&
		    get_ints(rd, o, "ref_cols", k->ncols, INT2_MIN, INT2_MAX,
		    &k->ref_cols) < 0)
			return -1;
		/* The lints read cols[0] and ref_cols[i] of every FK. */
		if (k->type == 'f' && k->ncols == 0)
			return fail(rd, "cols", "a foreign key needs columns");
		if (k->type == 'f' && k->ref_cols == NULL)
			return fail(rd, "ref_cols", "missing");
	}
	return 0;
}

static int
read_triggers(struct rd *rd, json_t *a, struct sch_catalog *cat)
{
	int	i;

	for (i = 0; i < cat->ntriggers; i++) {
		snprintf(rd->path, sizeof rd->path, "triggers[%d]", i);
		if (get_fields(rd, json_array_get(a, (size_t)i),
		    trigger_fields, NFIELDS(trigger_fields), NULL,
		    &cat->triggers[i]) < 0)
			return -1;
	}
	return 0;
}

static int
read_enums(struct rd *rd, json_t *a, struct sch_catalog *cat)
{
	static const char *const extra[] = { "values", NULL };
	int	i;

	for (i = 0; i < cat->nenums; i++) {
		struct sch_enum	*e = &cat->enums[i];
		json_t		*o = json_array_get(a, (size_t)i);

		snprintf(rd->path, sizeof rd->path, "enums[%d]", i);
		if (get_fields(rd, o, enum_fields, NFIELDS(enum_fields),
		    extra, e) < 0 ||
		    get_strv(rd, o, "values", &e->values, &e->nvalues) < 0)
			return -1;
	}
	return 0;
}

static int
read_domains(struct rd *rd, json_t *a, struct sch_catalog *cat)
{
	static const char *const extra[] = { "checks", NULL };
	int	i;

	for (i = 0; i < cat->ndomains; i++) {
		struct sch_domain *d = &cat->domains[i];
		json_t		  *o = json_array_get(a, (size_t)i);

		snprintf(rd->path, sizeof rd->path, "domains[%d]", i);
		if (get_fields(rd, o, domain_fields, NFIELDS(domain_fields),
		    extra, d) < 0 ||
		    get_strv(rd, o, "checks", &d->checks, &d->nchecks) < 0)
			return -1;
	}
	return 0;
}

/*
 * Every chain of 'parent' links (an int member at 'off' of 'n' elements
 * of 'size' bytes) must end: sch_finish() and the partition sums walk
 * them.  Returns 0, or -1 naming an element on a cycle.
 */
static int
check_chains(struct rd *rd, const char *what, const void *elems, int n,
    size_t size, size_t off)
{
	const char	*base = elems;
	char		*state = xcalloc((size_t)n + 1, 1);
	int		 i, rc = 0;

#define PARENT(i) (*(const int *)(base + (size_t)(i) * size + off))
	/* 0 unseen, 1 on the walk from i, 2 known to end. */
	for (i = 0; i < n && rc == 0; i++) {
		int	j;

		for (j = i; j >= 0 && state[j] == 0; j = PARENT(j))
			state[j] = 1;
		if (j >= 0 && state[j] == 1) {
			snprintf(rd->path, sizeof rd->path, "%s[%d]", what, j);
			rc = fail(rd, "parent", "a cycle");
		}
		for (j = i; j >= 0 && state[j] == 1; j = PARENT(j))
			state[j] = 2;
	}
#undef PARENT
	free(state);
	return rc;
}

/*
 * An index is attached only to an index of a partitioned table: that is
 * the one whose scans and size sch_finish() adds up (and resets first).
 */
static int
check_index_parents(struct rd *rd, const struct sch_catalog *cat)
{
	int	i;

	for (i = 0; i < cat->nindexes; i++) {
		int	up = cat->indexes[i].parent;

		if (up >= 0 && cat->rels[cat->indexes[up].rel].kind != 'p') {
			snprintf(rd->path, sizeof rd->path, "indexes[%d]", i);
			return fail(rd, "parent", "index %d is not on a"
			    " partitioned table", up);
		}
	}
	return 0;
}

struct sch_catalog *
sch_catalog_from_json(const char *text, size_t len, char **err)
{
	struct rd		 rd;
	struct sch_catalog	*cat;
	json_error_t		 jerr;
	json_t			*doc, *arr[A_COUNT], *v;
	static const char *const extra[] = { "format", "version", "schemas",
	    "rels", "indexes", "constraints", "triggers", "enums", "domains",
	    NULL };
	int			 i, rc = -1;

	memset(&rd, 0, sizeof rd);
	*err = NULL;
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		*err = xstrfmt("catalog json: at offset %d: %s",
		    jerr.position, jerr.text);
		return NULL;
	}
	cat = sch_catalog_new();
	if (!json_is_object(doc)) {
		fail(&rd, NULL, "not an object");
		goto out;
	}
	v = json_object_get(doc, "format");
	if (!json_is_string(v) || strcmp(json_string_value(v),
	    CATALOG_FORMAT) != 0) {
		fail(&rd, "format", "not a pgdeck catalog");
		goto out;
	}
	v = json_object_get(doc, "version");
	if (!json_is_integer(v)) {
		fail(&rd, "version", "missing");
		goto out;
	}
	if (json_integer_value(v) != CATALOG_VERSION) {
		fail(&rd, "version", "%lld not supported (this pgdeck reads"
		    " %d)", (long long)json_integer_value(v),
		    CATALOG_VERSION);
		goto out;
	}
	for (i = 0; i < A_COUNT; i++)
		if ((rd.count[i] = get_array(&rd, doc, arr_names[i],
		    &arr[i])) < 0)
			goto out;
	if (get_fields(&rd, doc, catalog_fields, NFIELDS(catalog_fields),
	    extra, cat) < 0)
		goto out;
	if ((cat->block_size & (cat->block_size - 1)) != 0) {
		fail(&rd, "block_size", "%d is not a power of two",
		    cat->block_size);
		goto out;
	}

	/*
	 * Every element exists (zeroed) before any is read, so that an
	 * error half-way leaves a catalog sch_catalog_free() can free.
	 */
#define ALLOC(member, count, n) do { \
	cat->member = xcalloc(capacity(n), sizeof *cat->member); \
	cat->count = (n); \
} while (0)
	ALLOC(schemas, nschemas, rd.count[A_SCHEMAS]);
	ALLOC(rels, nrels, rd.count[A_RELS]);
	ALLOC(indexes, nindexes, rd.count[A_INDEXES]);
	ALLOC(constraints, nconstraints, rd.count[A_CONSTRAINTS]);
	ALLOC(triggers, ntriggers, rd.count[A_TRIGGERS]);
	ALLOC(enums, nenums, rd.count[A_ENUMS]);
	ALLOC(domains, ndomains, rd.count[A_DOMAINS]);
#undef ALLOC
	if (read_schemas(&rd, arr[A_SCHEMAS], cat) < 0 ||
	    read_rels(&rd, arr[A_RELS], cat) < 0 ||
	    read_indexes(&rd, arr[A_INDEXES], cat) < 0 ||
	    read_constraints(&rd, arr[A_CONSTRAINTS], cat) < 0 ||
	    read_triggers(&rd, arr[A_TRIGGERS], cat) < 0 ||
	    read_enums(&rd, arr[A_ENUMS], cat) < 0 ||
	    read_domains(&rd, arr[A_DOMAINS], cat) < 0 ||
	    check_index_parents(&rd, cat) < 0 ||
	    check_chains(&rd, "rels", cat->rels, cat->nrels,
	    sizeof *cat->rels, offsetof(struct sch_rel, parent)) < 0 ||
	    check_chains(&rd, "indexes", cat->indexes, cat->nindexes,
	    sizeof *cat->indexes, offsetof(struct sch_index, parent)) < 0)
		goto out;
	sch_finish(cat);
	rc = 0;
out:
	json_decref(doc);
	if (rc < 0) {
		*err = rd.err != NULL ? rd.err : xstrdup("catalog json:"
		    " cannot read");
		sch_catalog_free(cat);
		return NULL;
	}
	return cat;
}
