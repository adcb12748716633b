/*
 * fuzz_config.c - libFuzzer target: the config file parser (set, bind,
 * unbind, color lines) must reject or accept, never crash or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/keymap.h"
#include "core/util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 cfg;
	struct keymap	*km;
	char		*text, *cause = NULL, buf[64];

	if (size > 65536)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	config_init(&cfg);
	km = keymap_new();
	if (config_parse(&cfg, km, text, "fuzz", &cause) == -1) {
		if (cause == NULL || strncmp(cause, "fuzz:", 5) != 0)
			abort();
		free(cause);
	}
	/* Whatever was bound must be listable. */
	keymap_keys_for(km, "activity", ACT_QUIT, buf, sizeof buf);
	keymap_free(km);
	config_release(&cfg);
	free(text);
	return 0;
}
