/*
 * redact.c - strip literals from SQL text before it is stored (--redact).
 *
 * String constants ('...', E'...', $tag$...$tag$) and numbers become '?'.
 * Identifiers, keywords, quoted identifiers and comments stay, so the
 * statement still reads as what it was.  Never fails: text that does
 * not lex (an unclosed quote) is cut at the quote.
 */
#include "history.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "../core/banned.h"

static int
ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Length of a dollar-quote tag "$tag$" at 'p', or 0. */
static size_t
dollar_tag(const char *p)
{
	size_t	n = 1;

	if (p[0] != '$')
		return 0;
	if (isdigit((unsigned char)p[1]))
		return 0;		/* $1 is a parameter */
	while (p[n] != '\0' && (isalnum((unsigned char)p[n]) || p[n] == '_' ||
	    (unsigned char)p[n] >= 0x80))
		n++;
	return p[n] == '$' ? n + 1 : 0;
}

char *
sql_redact(const char *sql)
{
	struct strbuf	 out = STRBUF_INIT;
	const char	*p = sql, *end;
	size_t		 tag;
	int		 backslash;

	while (*p != '\0') {
		if (p[0] == '-' && p[1] == '-') {
			end = p + strcspn(p, "\n");
			strbuf_add(&out, p, (size_t)(end - p));
			p = end;
		} else if (p[0] == '/' && p[1] == '*') {
			end = strstr(p + 2, "*/");
			end = end != NULL ? end + 2 : p + strlen(p);
			strbuf_add(&out, p, (size_t)(end - p));
			p = end;
		} else if (*p == '"') {
			end = strchr(p + 1, '"');
			end = end != NULL ? end + 1 : p + strlen(p);
			strbuf_add(&out, p, (size_t)(end - p));
			p = end;
		} else if (*p == '\'') {
			backslash = p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
			    (p - 1 == sql || !ident_char((unsigned char)p[-2]));
			p++;
			while (*p != '\0') {
				if (backslash && *p == '\\' && p[1] != '\0')
					p += 2;
				else if (*p == '\'' && p[1] == '\'')
					p += 2;
				else if (*p == '\'')
					break;
				else
					p++;
			}
			if (*p == '\'')
				p++;
			strbuf_addch(&out, '?');
		} else if ((tag = dollar_tag(p)) > 0 &&
		    (p == sql || !ident_char((unsigned char)p[-1]))) {
			char	*t = xstrndup(p, tag);

			end = strstr(p + tag, t);
			p = end != NULL ? end + tag : p + strlen(p);
			free(t);
			strbuf_addch(&out, '?');
		} else if ((isdigit((unsigned char)*p) || (*p == '.' &&
		    isdigit((unsigned char)p[1]))) &&
		    (p == sql || !ident_char((unsigned char)p[-1]))) {
			while (isalnum((unsigned char)*p) || *p == '.' ||
			    *p == '_' || ((*p == '+' || *p == '-') &&
			    (p[-1] == 'e' || p[-1] == 'E')))
				p++;
			strbuf_addch(&out, '?');
		} else
			strbuf_addch(&out, *p++);
	}
	return strbuf_detach(&out);
}
