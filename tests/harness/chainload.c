/*
 * chainload.c - hold a real blocking chain for screen tests.
 *
 *   chainload CONNINFO DEPTH
 * Builds the chain (an idle-in-transaction root, DEPTH waiters each
 * waiting on the one before), prints "ready ROOTPID", and holds it until
 * SIGTERM or until the root is terminated; then releases it.  Bounded: gives up after
 * 120 s whatever happens.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "demo/workload.h"

static volatile sig_atomic_t	stop;

static void
on_signal(int signo)
{
	(void)signo;
	stop = 1;
}

int
main(int argc, char **argv)
{
	struct chain	 c;
	char		*cause = NULL;
	int		 i;

	if (argc != 3) {
		fprintf(stderr, "usage: chainload CONNINFO DEPTH\n");
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (workload_prepare(argv[1], &cause) == -1 ||
	    chain_start(&c, argv[1], atoi(argv[2]), "screen", &cause) == -1) {
		fprintf(stderr, "chainload: %s\n", cause);
		return 1;
	}
	printf("ready %d\n", c.root_pid);
	fflush(stdout);
	/* Until told to stop, or the root is terminated (EOF on it). */
	for (i = 0; i < 1200 && !stop; i++) {
		if (!PQconsumeInput(c.root) || PQstatus(c.root) == CONNECTION_BAD)
			break;
		usleep(100000);
	}
	chain_release(&c, 10);
	return 0;
}
