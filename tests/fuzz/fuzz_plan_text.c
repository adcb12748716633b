/*
 * fuzz_plan_text.c - libFuzzer target: the EXPLAIN text parser (see
 * fuzz_plan.h for what must hold).
 */
#include "fuzz_plan.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_plan(data, size, plan_parse_text);
}
