/*
 * fuzz_theme.c - libFuzzer target: theme files and style strings.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/theme.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme	 t;
	struct style	 st;
	char		*text, *cause = NULL;
	int		 i;

	if (size > 65536)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&t, 0, sizeof t);
	if (theme_parse(&t, text, "fuzz", &cause) == -1) {
		if (cause == NULL)
			abort();
		free(cause);
	}
	for (i = 0; i < ROLE__COUNT; i++) {
		if (t.roles[i].fg < -1 || t.roles[i].fg > 255 ||
		    t.roles[i].bg < -1 || t.roles[i].bg > 255)
			abort();
	}
	if (style_parse(text, &st, &cause) == -1)
		free(cause);
	free(text);
	return 0;
}
