/*
** state/addr.c — resource addresses as users type them on the command line
** ("module.app[\"blue\"].aws_x.y[0]", "data.aws_x.y", "module.net") and
** matching them against the state, with Terraform's target semantics: an
** address names everything beneath it.
*/
#include "state/state.h"

#include "base/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct P {
  const char *s;
  size_t i;
  char *err;
} P;

static bool ident_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-'; }

static char *ident(P *p, const char *what) {
  size_t st = p->i;
  if (!ident_start(p->s[p->i])) {
    if (!p->err) p->err = xasprintf("expected %s at byte %zu", what, p->i + 1);
    return NULL;
  }
  while (ident_char(p->s[p->i])) p->i++;
  return xstrndup(p->s + st, p->i - st);
}

/* "[0]" or "[\"key\"]". */
static bool key(P *p, StKey *k) {
  memset(k, 0, sizeof *k);
  if (p->s[p->i] != '[') return true;
  p->i++;
  if (p->s[p->i] == '"') {
    p->i++;
    Buf b = BUF_INIT;
    buf_puts(&b, "");
    while (p->s[p->i] && p->s[p->i] != '"') {
      char c = p->s[p->i++];
      if (c == '\\' && p->s[p->i]) {
        c = p->s[p->i++];
        if (c == 'n') c = '\n';
        else if (c == 't') c = '\t';
      }
      buf_putc(&b, c);
    }
    if (p->s[p->i] != '"') {
      buf_free(&b);
      p->err = xstrdup("unterminated string in instance key");
      return false;
    }
    p->i++;
    k->kind = ST_KEY_STR;
    k->s = buf_take(&b);
  } else {
    char *end;
    long long v = strtoll(p->s + p->i, &end, 10);
    if (end == p->s + p->i) {
      p->err = xstrdup("an instance key must be a whole number or a quoted string");
      return false;
    }
    p->i = (size_t)(end - p->s);
    k->kind = ST_KEY_INT;
    k->i = v;
  }
  if (p->s[p->i] != ']') {
    st_key_free(k);
    p->err = xstrdup("expected ] after the instance key");
    return false;
  }
  p->i++;
  return true;
}

bool st_addr_parse(const char *s, StAddr *a, char **err) {
  memset(a, 0, sizeof *a);
  P p = {s, 0, NULL};
  size_t capmods = 0;
  for (;;) {
    if (strncmp(s + p.i, "module.", 7) != 0) break;
    p.i += 7;
    StModStep st;
    st.name = ident(&p, "a module name");
    if (!st.name) goto fail;
    if (!key(&p, &st.key)) {
      free(st.name);
      goto fail;
    }
    VEC_PUSH(a->mods, a->nmods, capmods, st);
    if (!s[p.i]) return true;
    if (s[p.i] != '.') {
      p.err = xasprintf("unexpected \"%c\" at byte %zu", s[p.i], p.i + 1);
      goto fail;
    }
    p.i++;
  }
  a->has_resource = true;
  a->mode = ST_MANAGED;
  if (strncmp(s + p.i, "data.", 5) == 0) {
    a->mode = ST_DATA;
    p.i += 5;
  }
  a->type = ident(&p, "a resource type");
  if (!a->type) goto fail;
  if (s[p.i] != '.') {
    p.err = xasprintf("a resource address needs a type and a name, like aws_instance.web");
    goto fail;
  }
  p.i++;
  a->name = ident(&p, "a resource name");
  if (!a->name) goto fail;
  if (!key(&p, &a->key)) goto fail;
  if (s[p.i]) {
    p.err = xasprintf("unexpected \"%c\" at byte %zu", s[p.i], p.i + 1);
    goto fail;
  }
  return true;
fail:
  st_addr_free(a);
  if (err) *err = p.err ? p.err : xstrdup("invalid address");
  else free(p.err);
  return false;
}

void st_addr_free(StAddr *a) {
  for (size_t i = 0; i < a->nmods; i++) {
    free(a->mods[i].name);
    st_key_free(&a->mods[i].key);
  }
  free(a->mods);
  free(a->type);
  free(a->name);
  st_key_free(&a->key);
  memset(a, 0, sizeof *a);
}

char *st_addr_module(const StAddr *a) {
  Buf b = BUF_INIT;
  buf_puts(&b, "");
  for (size_t i = 0; i < a->nmods; i++) {
    if (i) buf_putc(&b, '.');
    buf_printf(&b, "module.%s", a->mods[i].name);
    st_key_format(&b, &a->mods[i].key);
  }
  return buf_take(&b);
}

/* Matches the address's module steps against a module path string as a
** prefix. With exact, the path must have no further steps. */
static bool module_match(const StAddr *a, const char *module, bool exact) {
  StAddr m;
  size_t nsteps = 0;
  StModStep *steps = NULL;
  if (module[0]) {
    char *probe = xasprintf("%s.x.y", module);
    bool ok = st_addr_parse(probe, &m, NULL);
    free(probe);
    if (!ok) return false;
    steps = m.mods;
    nsteps = m.nmods;
  } else {
    memset(&m, 0, sizeof m);
  }
  bool match = a->nmods <= nsteps && (!exact || a->nmods == nsteps);
  for (size_t i = 0; match && i < a->nmods; i++) {
    if (strcmp(a->mods[i].name, steps[i].name) != 0) match = false;
    else if (a->mods[i].key.kind != ST_KEY_NONE && st_key_cmp(&a->mods[i].key, &steps[i].key) != 0)
      match = false;
    /* an explicit "no key" step only matches calls without count/for_each
    ** when the user wrote a full instance address; as a target it matches
    ** every instance, which is what state list/rm users expect */
  }
  st_addr_free(&m);
  return match;
}

bool st_addr_matches_module(const StAddr *a, const char *module) { return module_match(a, module, false); }

bool st_addr_matches(const StAddr *a, const StResource *r, const StInstance *in) {
  if (!a->has_resource) return module_match(a, r->module, false);
  if (a->mode != r->mode || strcmp(a->type, r->type) != 0 || strcmp(a->name, r->name) != 0) return false;
  if (!module_match(a, r->module, true)) return false;
  if (a->key.kind == ST_KEY_NONE || !in) return true;
  return st_key_cmp(&a->key, &in->key) == 0;
}
