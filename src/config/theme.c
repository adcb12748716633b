/*
 * theme.c - role names, style and theme parsing, theme lookup.
 */
#include "theme.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "../core/strbuf.h"
#include "../core/util.h"
#include "../core/banned.h"

static const char *const role_names[ROLE__COUNT] = {
#define ROLE(id, name) name,
	ROLES
#undef ROLE
};

const char *
role_name(enum role r)
{
	return r < ROLE__COUNT ? role_names[r] : "?";
}

int
role_from_name(const char *name)
{
	int	i;

	for (i = 0; i < ROLE__COUNT; i++) {
		if (strcmp(role_names[i], name) == 0)
			return i;
	}
	return -1;
}

static const char *const colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

static int
parse_colour(const char *s, short *out)
{
	char	*end;
	long	 v;
	size_t	 i;
	int	 bright = 0;

	if (strcasecmp(s, "default") == 0) {
		*out = -1;
		return 0;
	}
	if (strcasecmp(s, "grey") == 0 || strcasecmp(s, "gray") == 0) {
		*out = 8;
		return 0;
	}
	if (strncasecmp(s, "bright", 6) == 0) {
		bright = 8;
		s += 6;
	}
	for (i = 0; i < 8; i++) {
		if (strcasecmp(s, colour_names[i]) == 0) {
			*out = (short)(i + (size_t)bright);
			return 0;
		}
	}
	if (bright || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || v < 0 || v > 255)
		return -1;
	*out = (short)v;
	return 0;
}

static char *
trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
style_parse(const char *text, struct style *out, char **cause)
{
	char		*copy = xstrdup(text), *p = copy, *field;
	int		 n = 0, rc = 0;
	struct style	 st = { -1, -1, 0 };

	*cause = NULL;
	while (p != NULL && rc == 0) {
		field = p;
		p = strchr(p, ',');
		if (p != NULL)
			*p++ = '\0';
		field = trim(field);
		if (n == 0 || n == 1) {
			if (parse_colour(field, n == 0 ? &st.fg : &st.bg) == -1) {
				*cause = xstrfmt("unknown colour '%s'", field);
				rc = -1;
			}
		} else if (strcasecmp(field, "bold") == 0)
			st.attrs |= ATTR_BOLD;
		else if (strcasecmp(field, "reverse") == 0)
			st.attrs |= ATTR_REVERSE;
		else if (strcasecmp(field, "underline") == 0)
			st.attrs |= ATTR_UNDERLINE;
		else if (strcasecmp(field, "dim") == 0)
			st.attrs |= ATTR_DIM;
		else if (strcasecmp(field, "italic") == 0)
			st.attrs |= ATTR_ITALIC;
		else if (strcasecmp(field, "blink") == 0)
			st.attrs |= ATTR_BLINK;
		else if (strcasecmp(field, "none") != 0 && *field != '\0') {
			*cause = xstrfmt("unknown attribute '%s'", field);
			rc = -1;
		}
		n++;
	}
	if (rc == 0 && n < 2) {
		*cause = xstrdup("expected fg,bg[,attributes]");
		rc = -1;
	}
	free(copy);
	if (rc == 0)
		*out = st;
	return rc;
}

int
theme_parse(struct theme *t, const char *text, const char *origin,
    char **cause)
{
	const char	*line = text, *nl;
	char		*buf, *l, *eq, *err = NULL;
	int		 lineno = 0, r;

	*cause = NULL;
	while (*line != '\0') {
		lineno++;
		nl = strchr(line, '\n');
		buf = xstrndup(line, nl != NULL ? (size_t)(nl - line) :
		    strlen(line));
		line = nl != NULL ? nl + 1 : line + strlen(line);
		l = trim(buf);
		if (*l == '\0' || *l == '#') {
			free(buf);
			continue;
		}
		if ((eq = strchr(l, '=')) == NULL) {
			*cause = xstrfmt("%s:%d: expected 'role = fg,bg[,attrs]'",
			    origin, lineno);
			free(buf);
			return -1;
		}
		*eq = '\0';
		if ((r = role_from_name(trim(l))) < 0) {
			*cause = xstrfmt("%s:%d: unknown role '%s'", origin,
			    lineno, trim(l));
			free(buf);
			return -1;
		}
		if (style_parse(eq + 1, &t->roles[r], &err) == -1) {
			*cause = xstrfmt("%s:%d: %s", origin, lineno, err);
			free(err);
			free(buf);
			return -1;
		}
		free(buf);
	}
	return 0;
}

static int
load_file(struct theme *t, const char *path, char **cause, int *found)
{
	char	*text, *err = NULL;
	int	 rc;

	*found = 0;
	if ((text = config_read_file(path, &err)) == NULL) {
		if (err != NULL && errno != ENOENT) {
			*cause = err;
			return -1;
		}
		free(err);
		return 0;
	}
	*found = 1;
	rc = theme_parse(t, text, path, cause);
	free(text);
	return rc;
}

int
theme_load(struct theme *t, const char *name, char **cause)
{
	char	*path, *dir;
	size_t	 i;
	int	 found, rc;

	*cause = NULL;
	memset(t, 0, sizeof *t);
	for (i = 0; i < ROLE__COUNT; i++) {
		t->roles[i].fg = -1;
		t->roles[i].bg = -1;
	}
	snprintf(t->name, sizeof t->name, "%s", name);
	/* The built-in default underlies every theme. */
	if (theme_parse(t, builtin_themes[0].text, "dark", cause) == -1)
		return -1;
	if (strchr(name, '/') != NULL) {
		rc = load_file(t, name, cause, &found);
		if (rc == 0 && !found) {
			*cause = xstrfmt("cannot read theme '%s': %s", name,
			    strerror(ENOENT));
			return -1;
		}
		return rc;
	}
	if ((dir = config_dir()) != NULL) {
		path = xstrfmt("%s/themes/%s.theme", dir, name);
		free(dir);
		rc = load_file(t, path, cause, &found);
		free(path);
		if (rc == -1 || found)
			return rc;
	}
	for (i = 0; i < nbuiltin_themes; i++) {
		if (strcmp(builtin_themes[i].name, name) == 0)
			return theme_parse(t, builtin_themes[i].text, name,
			    cause);
	}
	*cause = xstrfmt("unknown theme '%s' (built in: dark, light, "
	    "monochrome, high-contrast)", name);
	return -1;
}
