/*
 * fuzz_schema_json.c - libFuzzer target: a catalog read from JSON (what
 * a capture file holds for the Schema pane).  The reader must accept or
 * refuse with one line, never crash, hang or leak; a catalog it accepts
 * must be safe for the lints, the bloat estimates, FK cardinality and
 * the lookups, and must write back to a document that reads back to the
 * same document.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schema/schema.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sch_catalog	*cat, *again;
	struct sch_finding	*f;
	char			*err = NULL, *json, *json2;
	int			 n, i, many, optional;

	if (size > (1u << 20))
		return 0;
	cat = sch_catalog_from_json((const char *)data, size, &err);
	if (cat == NULL) {
		if (err == NULL || strncmp(err, "catalog json: ", 14) != 0 ||
		    strchr(err, '\n') != NULL)
			abort();
		free(err);
		return 0;
	}
	if (err != NULL)
		abort();
	n = sch_lint(cat, &f);
	sch_findings_free(f, n);
	for (i = 0; i < cat->nconstraints; i++)
		if (cat->constraints[i].type == 'f')
			sch_fk_cardinality(cat, &cat->constraints[i], &many,
			    &optional);
	for (i = 0; i < cat->nrels; i++) {
		double	ratio;

		(void)sch_table_bloat(cat, i, &ratio);
		(void)sch_column(cat, i, 1);
		if (sch_rel_by_oid(cat, cat->rels[i].oid) != i)
			abort();
	}
	for (i = 0; i < cat->nindexes; i++) {
		double	ratio;

		(void)sch_index_bloat(cat, i, &ratio);
	}
	json = sch_catalog_to_json(cat);
	again = sch_catalog_from_json(json, strlen(json), &err);
	if (again == NULL)
		abort();
	json2 = sch_catalog_to_json(again);
	if (strcmp(json, json2) != 0)
		abort();
	free(json);
	free(json2);
	sch_catalog_free(again);
	sch_catalog_free(cat);
	return 0;
}
