/*
 * clock.c - monotonic and (injectable) wall clock.
 */
#include "clock.h"

#include <stdlib.h>
#include <time.h>

#include "banned.h"

static int64_t	fixed_wall_ms = -1;

int64_t
clock_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
clock_wall_ms(void)
{
	struct timespec	 ts;
	const char	*env;

	if (fixed_wall_ms < 0) {
		env = getenv("PGDECK_TEST_CLOCK");
		fixed_wall_ms = env != NULL ? (int64_t)(atof(env) * 1000) : 0;
	}
	if (fixed_wall_ms > 0)
		return fixed_wall_ms;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
