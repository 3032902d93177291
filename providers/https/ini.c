/*
** providers/https/ini.c — AWS shared config/credentials files; see ini.h.
*/
#include "providers/https/ini.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static void trim(const char **s, const char **e) {
  while (*s < *e && is_space(**s)) (*s)++;
  while (*e > *s && is_space((*e)[-1])) (*e)--;
}

static void bad(IniFile *out, size_t lineno) {
  if (!out->bad_lines) out->first_bad_line = lineno;
  out->bad_lines++;
}

void ini_parse(const char *text, size_t len, IniFile *out) {
  const char *p = text, *end = text + len;
  if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) p += 3; /* UTF-8 BOM */
  char *section = NULL;
  int in_key = 0;       /* a key line was seen in this section: indented lines continue it */
  char *parent = NULL;  /* that key, when its value was empty: its indented lines are sub-settings */
  size_t lineno = 0;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    const char *ls = p;
    p = nl ? nl + 1 : end;
    lineno++;
    if (memchr(ls, 0, (size_t)(le - ls))) {
      bad(out, lineno);
      continue;
    }
    int indented = ls < le && is_space(*ls);
    const char *s = ls, *e = le;
    trim(&s, &e);
    if (s == e || *s == '#' || *s == ';') continue;
    if (indented && in_key) {
      /* "parent =" followed by "  sub = value" is stored as "parent.sub";
      ** other indented lines continue a value, which no AWS setting tfc
      ** reads does */
      const char *d = parent ? memchr(s, '=', (size_t)(e - s)) : NULL;
      if (d) {
        const char *ks = s, *ke = d, *vs = d + 1, *ve = e;
        trim(&ks, &ke);
        trim(&vs, &ve);
        if (ks < ke) {
          char *sub = xstrndup(ks, (size_t)(ke - ks));
          IniEntry en = {xstrdup(section), xasprintf("%s.%s", parent, sub), xstrndup(vs, (size_t)(ve - vs))};
          free(sub);
          for (char *c = en.key; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
          VEC_PUSH(out->v, out->n, out->cap, en);
        }
      }
      continue;
    }
    if (*s == '[') {
      if (e[-1] != ']' || e - s < 2) {
        bad(out, lineno);
        continue;
      }
      const char *ns = s + 1, *ne = e - 1;
      trim(&ns, &ne);
      free(section);
      section = xstrndup(ns, (size_t)(ne - ns));
      in_key = 0;
      free(parent);
      parent = NULL;
      continue;
    }
    const char *eq = memchr(s, '=', (size_t)(e - s));
    const char *colon = memchr(s, ':', (size_t)(e - s));
    const char *d = eq && (!colon || eq < colon) ? eq : colon;
    if (!d || !section) {
      bad(out, lineno);
      continue;
    }
    const char *ks = s, *ke = d, *vs = d + 1, *ve = e;
    trim(&ks, &ke);
    trim(&vs, &ve);
    if (ks == ke) {
      bad(out, lineno);
      continue;
    }
    IniEntry en = {xstrdup(section), xstrndup(ks, (size_t)(ke - ks)), xstrndup(vs, (size_t)(ve - vs))};
    for (char *c = en.key; *c; c++)
      if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    VEC_PUSH(out->v, out->n, out->cap, en);
    in_key = 1;
    free(parent);
    parent = *en.value ? NULL : xstrdup(en.key);
  }
  free(section);
  free(parent);
}

void ini_free(IniFile *f) {
  for (size_t i = 0; i < f->n; i++) {
    free(f->v[i].section);
    free(f->v[i].key);
    free(f->v[i].value);
  }
  free(f->v);
  memset(f, 0, sizeof *f);
}

const char *ini_get(const IniFile *f, const char *section, const char *key) {
  for (size_t i = f->n; i-- > 0;)
    if (strcmp(f->v[i].section, section) == 0 && strcmp(f->v[i].key, key) == 0) return f->v[i].value;
  return NULL;
}

/* Whether section names profile in the given file style. In config files
** "[profile  x]" (any whitespace after "profile") names x, and "[default]"
** names the default profile. */
static int section_is(const char *section, int config_style, const char *profile) {
  if (!config_style) return strcmp(section, profile) == 0;
  if (strncmp(section, "profile", 7) == 0 && is_space(section[7])) {
    const char *n = section + 7;
    while (is_space(*n)) n++;
    return strcmp(n, profile) == 0;
  }
  return strcmp(profile, "default") == 0 && strcmp(section, "default") == 0;
}

const char *ini_profile_get(const IniFile *f, int config_style, const char *profile, const char *key) {
  for (size_t i = f->n; i-- > 0;)
    if (strcmp(f->v[i].key, key) == 0 && section_is(f->v[i].section, config_style, profile)) return f->v[i].value;
  return NULL;
}

int ini_has_profile(const IniFile *f, int config_style, const char *profile) {
  for (size_t i = 0; i < f->n; i++)
    if (section_is(f->v[i].section, config_style, profile)) return 1;
  return 0;
}
