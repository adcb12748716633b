/*
 * utf8.h - strict UTF-8 decoding, shared by the grid and snapshot files.
 */
#ifndef PGDECK_UTF8_H
#define PGDECK_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode one UTF-8 character at 's' (at most 'len' bytes) into '*cp'.
 * Returns its length, or -1 for an invalid byte (overlong forms,
 * surrogates and values past U+10FFFF included); the caller then
 * consumes one byte.
 */
int	utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

#endif
