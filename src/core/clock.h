/*
 * clock.h - the only source of time.
 *
 * clock_now_ms() is monotonic and drives timers.  clock_wall_ms() is the
 * wall clock shown to the user; $PGDECK_TEST_CLOCK (epoch seconds) pins it
 * so that screen goldens are stable.
 */
#ifndef PGDECK_CLOCK_H
#define PGDECK_CLOCK_H

#include <stdint.h>

int64_t	clock_now_ms(void);
int64_t	clock_wall_ms(void);

#endif
