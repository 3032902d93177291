/*
** state/diff.c — `tfc state diff`: what changed between two versions of a
** state, in the shape of a plan, for code review.
**
** Terraform has no state diff (hashicorp/terraform#6000); a raw `git diff`
** of terraform.tfstate buries the change under escaped JSON. This renders
** each changed instance the way a plan shows it (# ADDR was created, + - ~
** markers, nested values, unchanged attributes hidden, sensitive values as
** (sensitive value)), or as Markdown with a summary table and one
** <details> section per resource for pull-request comments.
*/
#include "state/render.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

typedef enum { CH_CREATE, CH_UPDATE, CH_REPLACE, CH_DELETE, CH_MOVE } ChKind;

static const char *const kind_verb[] = {"was created", "was updated in-place", "was replaced", "was destroyed",
                                        "has moved"};
static const char *const kind_word[] = {"created", "updated", "replaced", "destroyed", "moved"};
static const char *const kind_sym[] = {"  +", "  ~", "-/+", "  -", "   "};

typedef struct Ent {
  char *addr;                 /* instance address, plus the deposed note */
  const StResource *r;
  const StInstance *in;
} Ent;

typedef struct DCtx {
  Buf *b;
  RdSens os, ns;              /* sensitive paths of the old and new object */
} DCtx;

static int cmp_ent(const void *a, const void *b) {
  return strcmp(((const Ent *)a)->addr, ((const Ent *)b)->addr);
}

static Ent *entries(State *s, size_t *n) {
  Ent *v = NULL;
  size_t k = 0, cap = 0;
  st_sort(s);
  for (size_t i = 0; i < s->nres; i++)
    for (size_t j = 0; j < s->res[i]->ninst; j++) {
      const StInstance *in = &s->res[i]->inst[j];
      char *a = st_instance_addr(s->res[i], in);
      Ent e = {in->deposed ? xasprintf("%s (deposed object %s)", a, in->deposed) : xstrdup(a), s->res[i], in};
      free(a);
      VEC_PUSH(v, k, cap, e);
    }
  if (k > 1) qsort(v, k, sizeof *v, cmp_ent);
  *n = k;
  return v;
}

static bool same(const cJSON *a, const cJSON *b) {
  if (!a || cJSON_IsNull(a)) return !b || cJSON_IsNull(b);
  if (!b || cJSON_IsNull(b)) return false;
  return cJSON_Compare(a, b, true);
}

static bool is_null(const cJSON *v) { return !v || cJSON_IsNull(v); }

static bool sens(const DCtx *c, const char *path) {
  return rd_sens_has(&c->os, path) || rd_sens_has(&c->ns, path);
}

static Rd old_rd(DCtx *c) {
  Rd r = {c->b, true, &c->os};
  return r;
}

static Rd new_rd(DCtx *c) {
  Rd r = {c->b, true, &c->ns};
  return r;
}

static void changed_value(DCtx *c, const cJSON *o, const cJSON *n, int depth, const char *path, bool in_json);

/* The entries of two maps (or JSON objects), unchanged ones counted. */
static void diff_members(DCtx *c, const cJSON *o, const cJSON *n, int depth, const char *path, bool in_json) {
  Buf *b = c->b;
  size_t no, nn;
  const cJSON **mo = rd_sorted_members(o, &no), **mn = rd_sorted_members(n, &nn);
  int w = 0;
  size_t i = 0, j = 0;
  /* first pass: width over the lines that will be shown */
  for (int pass = 0; pass < 2; pass++) {
    int hidden = 0;
    i = j = 0;
    while (i < no || j < nn) {
      int cmp = i >= no ? 1 : j >= nn ? -1 : strcmp(mo[i]->string, mn[j]->string);
      const cJSON *ov = cmp <= 0 ? mo[i] : NULL, *nv = cmp >= 0 ? mn[j] : NULL;
      const char *key = ov ? ov->string : nv->string;
      if (cmp <= 0) i++;
      if (cmp >= 0) j++;
      char *p = xasprintf("%s[\"%s\"]", path, key);
      if (same(ov, nv)) {
        hidden++;
      } else if (pass == 0) {
        int kw = rd_key_width(key, in_json);
        if (kw > w) w = kw;
      } else {
        char sym = is_null(ov) ? '+' : is_null(nv) ? '-' : '~';
        rd_line(&(Rd){b, true, NULL}, depth, sym);
        rd_key(b, key, in_json);
        rd_pad(b, w - rd_key_width(key, in_json));
        buf_puts(b, " = ");
        if (sym == '+') {
          Rd r = new_rd(c);
          rd_value(&r, nv, depth, '+', p, in_json);
        } else if (sym == '-') {
          Rd r = old_rd(c);
          rd_value(&r, ov, depth, '-', p, in_json);
          buf_puts(b, " -> null");
        } else {
          changed_value(c, ov, nv, depth, p, in_json);
        }
        buf_putc(b, '\n');
      }
      free(p);
    }
    if (pass == 1 && hidden) {
      rd_line(&(Rd){b, true, NULL}, depth, 0);
      buf_printf(b, "# (%d unchanged %s%s hidden)\n", hidden, in_json ? "attribute" : "element", hidden == 1 ? "" : "s");
    }
  }
  free(mo);
  free(mn);
}

/* List elements matched by longest common subsequence. */
static void diff_list(DCtx *c, const cJSON *o, const cJSON *n, int depth, const char *path, bool in_json) {
  Buf *b = c->b;
  size_t no = (size_t)cJSON_GetArraySize(o), nn = (size_t)cJSON_GetArraySize(n);
  const cJSON **eo = xmalloc((no + 1) * sizeof *eo), **en = xmalloc((nn + 1) * sizeof *en);
  size_t k = 0;
  for (const cJSON *x = o->child; x; x = x->next) eo[k++] = x;
  k = 0;
  for (const cJSON *x = n->child; x; x = x->next) en[k++] = x;
  /* lcs[i][j] = LCS length of eo[i..] and en[j..] */
  unsigned *lcs = xcalloc((no + 1) * (nn + 1), sizeof *lcs);
  for (size_t i = no; i-- > 0;)
    for (size_t j = nn; j-- > 0;)
      lcs[i * (nn + 1) + j] = same(eo[i], en[j]) ? lcs[(i + 1) * (nn + 1) + j + 1] + 1
                              : lcs[(i + 1) * (nn + 1) + j] > lcs[i * (nn + 1) + j + 1]
                                  ? lcs[(i + 1) * (nn + 1) + j]
                                  : lcs[i * (nn + 1) + j + 1];
  size_t i = 0, j = 0;
  int hidden = 0;
  while (i < no || j < nn) {
    if (i < no && j < nn && same(eo[i], en[j])) {
      hidden++;
      i++, j++;
    } else if (j < nn && (i >= no || lcs[i * (nn + 1) + j + 1] > lcs[(i + 1) * (nn + 1) + j])) {
      char *p = xasprintf("%s[%zu]", path, j);
      rd_line(&(Rd){b, true, NULL}, depth, '+');
      Rd r = new_rd(c);
      rd_value(&r, en[j], depth, '+', p, in_json);
      buf_puts(b, ",\n");
      free(p);
      j++;
    } else {
      char *p = xasprintf("%s[%zu]", path, i);
      rd_line(&(Rd){b, true, NULL}, depth, '-');
      Rd r = old_rd(c);
      rd_value(&r, eo[i], depth, '-', p, in_json);
      buf_puts(b, ",\n");
      free(p);
      i++;
    }
  }
  if (hidden) {
    rd_line(&(Rd){b, true, NULL}, depth, 0);
    buf_printf(b, "# (%d unchanged element%s hidden)\n", hidden, hidden == 1 ? "" : "s");
  }
  free(lcs);
  free(eo);
  free(en);
}

/* Splits text into lines (a final newline ends the last line, it does
** not start an empty one). */
static char **split_lines(const char *s, size_t *n) {
  char **v = NULL;
  size_t k = 0, cap = 0;
  while (*s) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    VEC_PUSH(v, k, cap, xstrndup(s, len));
    s += len + (nl ? 1 : 0);
  }
  *n = k;
  return v;
}

/* Two multi-line strings as one heredoc with the changed lines marked,
** unchanged lines kept for context, as Terraform shows them. */
static void heredoc_diff(DCtx *c, const char *o, const char *n, int depth) {
  Buf *b = c->b;
  size_t no, nn;
  char **lo = split_lines(o, &no), **ln = split_lines(n, &nn);
  unsigned *lcs = xcalloc((no + 1) * (nn + 1), sizeof *lcs);
  for (size_t i = no; i-- > 0;)
    for (size_t j = nn; j-- > 0;)
      lcs[i * (nn + 1) + j] = strcmp(lo[i], ln[j]) == 0 ? lcs[(i + 1) * (nn + 1) + j + 1] + 1
                              : lcs[(i + 1) * (nn + 1) + j] > lcs[i * (nn + 1) + j + 1]
                                  ? lcs[(i + 1) * (nn + 1) + j]
                                  : lcs[i * (nn + 1) + j + 1];
  buf_puts(b, "<<-EOT\n");
  size_t i = 0, j = 0;
  Rd plain = {b, true, NULL};
  while (i < no || j < nn) {
    if (i < no && j < nn && strcmp(lo[i], ln[j]) == 0) {
      rd_line(&plain, depth + 1, 0);
      buf_printf(b, "%s\n", ln[j]);
      i++, j++;
    } else if (j < nn && (i >= no || lcs[i * (nn + 1) + j + 1] > lcs[(i + 1) * (nn + 1) + j])) {
      rd_line(&plain, depth + 1, '+');
      buf_printf(b, "%s\n", ln[j++]);
    } else {
      rd_line(&plain, depth + 1, '-');
      buf_printf(b, "%s\n", lo[i++]);
    }
  }
  rd_close(&plain, depth, "EOT");
  for (size_t k = 0; k < no; k++) free(lo[k]);
  for (size_t k = 0; k < nn; k++) free(ln[k]);
  free(lo);
  free(ln);
  free(lcs);
}

/* A value that differs on both sides, written after "name = ". */
static void changed_value(DCtx *c, const cJSON *o, const cJSON *n, int depth, const char *path, bool in_json) {
  Buf *b = c->b;
  if (sens(c, path)) {
    buf_puts(b, "(sensitive value)");
    return;
  }
  if (cJSON_IsObject(o) && cJSON_IsObject(n)) {
    buf_puts(b, "{\n");
    diff_members(c, o, n, depth + 1, path, in_json);
    rd_close(&(Rd){b, true, NULL}, depth, "}");
    return;
  }
  if (cJSON_IsArray(o) && cJSON_IsArray(n)) {
    buf_puts(b, "[\n");
    diff_list(c, o, n, depth + 1, path, in_json);
    rd_close(&(Rd){b, true, NULL}, depth, "]");
    return;
  }
  if (!in_json && cJSON_IsString(o) && cJSON_IsString(n) &&
      (strchr(o->valuestring, '\n') || strchr(n->valuestring, '\n'))) {
    heredoc_diff(c, o->valuestring, n->valuestring, depth);
    return;
  }
  cJSON *jo = in_json ? NULL : rd_json_in_string(o);
  cJSON *jn = jo ? rd_json_in_string(n) : NULL;
  if (jo && jn) {
    /* Policies and the like: a structural diff inside jsonencode(...) */
    buf_puts(b, "jsonencode(\n");
    rd_line(&(Rd){b, true, NULL}, depth + 1, '~');
    changed_value(c, jo, jn, depth + 1, path, true);
    buf_putc(b, '\n');
    rd_close(&(Rd){b, true, NULL}, depth, ")");
  } else {
    Rd ro = old_rd(c), rn = new_rd(c);
    rd_value(&ro, o, depth, 0, path, in_json);
    buf_puts(b, " -> ");
    rd_value(&rn, n, depth, 0, path, in_json);
  }
  cJSON_Delete(jo);
  cJSON_Delete(jn);
}

static bool block_pair(const cJSON *o, const cJSON *n) {
  bool ob = rd_is_block_list(o), nb = rd_is_block_list(n);
  bool oe = is_null(o) || (cJSON_IsArray(o) && !o->child);
  bool ne = is_null(n) || (cJSON_IsArray(n) && !n->child);
  return (ob || oe) && (nb || ne) && (ob || nb);
}

/* Attributes (width-aligned), then nested blocks, of two versions of a block. */
static void diff_body(DCtx *c, const cJSON *o, const cJSON *n, int depth, const char *path, bool top) {
  Buf *b = c->b;
  size_t no, nn;
  const cJSON **mo = rd_sorted_members(o, &no), **mn = rd_sorted_members(n, &nn);
  /* merged key list */
  typedef struct {
    const char *key;
    const cJSON *o, *n;
  } KV;
  KV *kv = xmalloc((no + nn + 1) * sizeof *kv);
  size_t nk = 0, i = 0, j = 0;
  while (i < no || j < nn) {
    int cmp = i >= no ? 1 : j >= nn ? -1 : strcmp(mo[i]->string, mn[j]->string);
    KV e = {cmp <= 0 ? mo[i]->string : mn[j]->string, cmp <= 0 ? mo[i] : NULL, cmp >= 0 ? mn[j] : NULL};
    if (cmp <= 0) i++;
    if (cmp >= 0) j++;
    kv[nk++] = e;
  }
  int w = 0, hidden = 0;
  for (size_t k = 0; k < nk; k++) {
    if (block_pair(kv[k].o, kv[k].n) || (is_null(kv[k].o) && is_null(kv[k].n))) continue;
    bool show = !same(kv[k].o, kv[k].n) ||
                (top && (!strcmp(kv[k].key, "id") || !strcmp(kv[k].key, "name") || !strcmp(kv[k].key, "tags")));
    if (show && (int)strlen(kv[k].key) > w) w = (int)strlen(kv[k].key);
  }
  for (size_t k = 0; k < nk; k++) {
    const cJSON *ov = kv[k].o, *nv = kv[k].n;
    if (block_pair(ov, nv) || (is_null(ov) && is_null(nv))) continue;
    char *p = xasprintf("%s.%s", path, kv[k].key);
    if (same(ov, nv)) {
      if (top && (!strcmp(kv[k].key, "id") || !strcmp(kv[k].key, "name") || !strcmp(kv[k].key, "tags"))) {
        rd_line(&(Rd){b, true, NULL}, depth, 0);
        buf_puts(b, kv[k].key);
        rd_pad(b, w - (int)strlen(kv[k].key));
        buf_puts(b, " = ");
        Rd r = new_rd(c);
        rd_value(&r, nv, depth, 0, p, false);
        buf_putc(b, '\n');
      } else {
        hidden++;
      }
      free(p);
      continue;
    }
    char sym = is_null(ov) ? '+' : is_null(nv) ? '-' : '~';
    rd_line(&(Rd){b, true, NULL}, depth, sym);
    buf_puts(b, kv[k].key);
    rd_pad(b, w - (int)strlen(kv[k].key));
    buf_puts(b, " = ");
    if (sym == '+') {
      Rd r = new_rd(c);
      rd_value(&r, nv, depth, '+', p, false);
    } else if (sym == '-') {
      Rd r = old_rd(c);
      rd_value(&r, ov, depth, '-', p, false);
      buf_puts(b, " -> null");
    } else {
      changed_value(c, ov, nv, depth, p, false);
    }
    buf_putc(b, '\n');
    free(p);
  }
  if (hidden) {
    rd_line(&(Rd){b, true, NULL}, depth, 0);
    buf_printf(b, "# (%d unchanged attribute%s hidden)\n", hidden, hidden == 1 ? "" : "s");
  }
  int hidden_blocks = 0;
  for (size_t k = 0; k < nk; k++) {
    if (!block_pair(kv[k].o, kv[k].n)) continue;
    const cJSON *ob = is_null(kv[k].o) ? NULL : kv[k].o->child;
    const cJSON *nb = is_null(kv[k].n) ? NULL : kv[k].n->child;
    for (int idx = 0; ob || nb; idx++) {
      char *p = xasprintf("%s.%s[%d]", path, kv[k].key, idx);
      if (ob && nb && same(ob, nb)) {
        hidden_blocks++;
      } else {
        char sym = !ob ? '+' : !nb ? '-' : '~';
        buf_putc(b, '\n');
        rd_line(&(Rd){b, true, NULL}, depth, sym);
        buf_printf(b, "%s {\n", kv[k].key);
        if (sym == '~') {
          diff_body(c, ob, nb, depth + 1, p, false);
        } else {
          Rd r = sym == '+' ? new_rd(c) : old_rd(c);
          rd_body(&r, sym == '+' ? nb : ob, depth + 1, sym, p, sym == '-');
        }
        rd_close(&(Rd){b, true, NULL}, depth, "}\n");
      }
      free(p);
      if (ob) ob = ob->next;
      if (nb) nb = nb->next;
    }
  }
  if (hidden_blocks) {
    buf_putc(b, '\n');
    rd_line(&(Rd){b, true, NULL}, depth, 0);
    buf_printf(b, "# (%d unchanged block%s hidden)\n", hidden_blocks, hidden_blocks == 1 ? "" : "s");
  }
  free(kv);
  free(mo);
  free(mn);
}

/* One instance's block: header comment, resource line, body, brace. */
static void render_change(Buf *b, ChKind k, const Ent *o, const Ent *n) {
  const Ent *e = n ? n : o;
  DCtx c;
  c.b = b;
  rd_sens_init(&c.os, o ? o->in->sensitive_attributes : NULL);
  rd_sens_init(&c.ns, n ? n->in->sensitive_attributes : NULL);
  if (k == CH_MOVE) buf_printf(b, "  # %s has moved to %s\n", o->addr, n->addr);
  else buf_printf(b, "  # %s %s\n", e->addr, kind_verb[k]);
  buf_printf(b, "%s %s \"%s\" \"%s\" {\n", kind_sym[k], e->r->mode == ST_DATA ? "data" : "resource", e->r->type,
             e->r->name);
  if (k == CH_CREATE) {
    Rd r = new_rd(&c);
    rd_body(&r, n->in->attributes, 1, '+', "", false);
  } else if (k == CH_DELETE) {
    Rd r = old_rd(&c);
    rd_body(&r, o->in->attributes, 1, '-', "", true);
  } else {
    if (o->in->tainted != n->in->tainted) {
      rd_line(&(Rd){b, true, NULL}, 1, 0);
      buf_printf(b, "# (%s)\n", n->in->tainted ? "now tainted" : "no longer tainted");
    }
    diff_body(&c, o->in->attributes, n->in->attributes, 1, "", true);
  }
  buf_puts(b, "    }\n");
  rd_sens_free(&c.os);
  rd_sens_free(&c.ns);
}

static bool inst_same(const StInstance *a, const StInstance *b) {
  if (a->tainted != b->tainted || !same(a->attributes, b->attributes)) return false;
  return same(a->sensitive_attributes, b->sensitive_attributes);
}

static const cJSON *id_of(const StInstance *in) {
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(in->attributes, "id");
  return cJSON_IsString(id) ? id : NULL;
}

typedef struct Change {
  ChKind kind;
  const Ent *o, *n;
} Change;

static void render_outputs(Buf *b, State *os, State *ns, size_t *count) {
  /* both sorted by name (st_sort) */
  size_t i = 0, j = 0;
  int w = 0;
  for (int pass = 0; pass < 2; pass++) {
    i = j = 0;
    while (i < os->noutputs || j < ns->noutputs) {
      int cmp = i >= os->noutputs   ? 1
                : j >= ns->noutputs ? -1
                                    : strcmp(os->outputs[i].name, ns->outputs[j].name);
      const StOutput *o = cmp <= 0 ? &os->outputs[i] : NULL, *n = cmp >= 0 ? &ns->outputs[j] : NULL;
      if (cmp <= 0) i++;
      if (cmp >= 0) j++;
      if (o && n && same(o->value, n->value) && o->sensitive == n->sensitive) continue;
      const char *name = o ? o->name : n->name;
      if (pass == 0) {
        if ((int)strlen(name) > w) w = (int)strlen(name);
        (*count)++;
        continue;
      }
      char sym = !o ? '+' : !n ? '-' : '~';
      buf_printf(b, "  %c %s", sym, name);
      rd_pad(b, w - (int)strlen(name));
      buf_puts(b, " = ");
      Rd r = {b, true, NULL};
      bool so = o && o->sensitive, sn = n && n->sensitive;
      if (sym == '+') {
        if (sn) buf_puts(b, "(sensitive value)");
        else rd_value(&r, n->value, 0, '+', "", false);
      } else if (sym == '-') {
        if (so) buf_puts(b, "(sensitive value)");
        else rd_value(&r, o->value, 0, '-', "", false);
        buf_puts(b, " -> null");
      } else if (so || sn) {
        buf_puts(b, "(sensitive value)");
      } else {
        DCtx c;
        memset(&c, 0, sizeof c);
        c.b = b;
        changed_value(&c, o->value, n->value, 0, "", false);
      }
      buf_putc(b, '\n');
    }
    if (pass == 0 && *count == 0) return;
    if (pass == 0) buf_puts(b, "Changes to Outputs:\n");
  }
}

size_t st_diff(Buf *out, State *old_state, State *new_state, const StDiffOpts *opts) {
  size_t no, nn;
  Ent *eo = entries(old_state, &no), *en = entries(new_state, &nn);
  Change *ch = NULL;
  size_t nch = 0, cap = 0, i = 0, j = 0;
  size_t counts[5] = {0, 0, 0, 0, 0};
  while (i < no || j < nn) {
    int cmp = i >= no ? 1 : j >= nn ? -1 : strcmp(eo[i].addr, en[j].addr);
    Change c = {CH_UPDATE, cmp <= 0 ? &eo[i] : NULL, cmp >= 0 ? &en[j] : NULL};
    if (cmp <= 0) i++;
    if (cmp >= 0) j++;
    if (!c.o) c.kind = CH_CREATE;
    else if (!c.n) c.kind = CH_DELETE;
    else if (inst_same(c.o->in, c.n->in)) continue;
    else {
      const cJSON *a = id_of(c.o->in), *b = id_of(c.n->in);
      if (a && b && strcmp(a->valuestring, b->valuestring) != 0) c.kind = CH_REPLACE;
    }
    VEC_PUSH(ch, nch, cap, c);
  }
  /* An object that vanished at one address and appeared unchanged at
  ** another of the same type was moved (state mv, a moved block). */
  for (size_t a = 0; a < nch; a++) {
    if (ch[a].kind != CH_DELETE) continue;
    for (size_t c2 = 0; c2 < nch; c2++) {
      if (ch[c2].kind != CH_CREATE) continue;
      const Ent *o = ch[a].o, *n = ch[c2].n;
      if (o->r->mode != n->r->mode || strcmp(o->r->type, n->r->type) != 0 || !inst_same(o->in, n->in)) continue;
      ch[c2].kind = CH_MOVE;
      ch[c2].o = o;
      ch[a].kind = CH_MOVE;
      ch[a].n = NULL; /* dropped below */
      break;
    }
  }
  size_t kept = 0;
  for (size_t a = 0; a < nch; a++) {
    if (ch[a].kind == CH_MOVE && !ch[a].n) continue;
    counts[ch[a].kind]++;
    ch[kept++] = ch[a];
  }
  nch = kept;
  const char *on = opts && opts->old_name ? opts->old_name : "old";
  const char *nname = opts && opts->new_name ? opts->new_name : "new";
  bool md = opts && opts->markdown;
  Buf outs = BUF_INIT;
  size_t nout = 0;
  render_outputs(&outs, old_state, new_state, &nout);
  if (md) {
    buf_printf(out, "### State diff: `%s` (serial %llu) → `%s` (serial %llu)\n", on,
               (unsigned long long)old_state->serial, nname, (unsigned long long)new_state->serial);
  } else {
    buf_printf(out, "State diff: %s (serial %llu) -> %s (serial %llu)\n", on, (unsigned long long)old_state->serial,
               nname, (unsigned long long)new_state->serial);
  }
  if (strcmp(old_state->lineage, new_state->lineage) != 0)
    buf_printf(out, "%sNote: the two states have different lineages (%s and %s), so they are not versions of the same state.%s\n",
               md ? "> " : "", old_state->lineage, new_state->lineage, md ? "\n" : "");
  buf_putc(out, '\n');
  if (!nch && !nout) {
    buf_puts(out, "No changes. Both states hold the same resources and outputs.\n");
  } else if (md) {
    if (nch) {
      buf_puts(out, "| Action | Resource |\n|---|---|\n");
      for (size_t k = 0; k < nch; k++) {
        const Ent *e = ch[k].n ? ch[k].n : ch[k].o;
        if (ch[k].kind == CH_MOVE)
          buf_printf(out, "| moved | `%s` → `%s` |\n", ch[k].o->addr, e->addr);
        else
          buf_printf(out, "| %s | `%s` |\n", kind_word[ch[k].kind], e->addr);
      }
      buf_putc(out, '\n');
    }
    buf_printf(out, "**%zu created, %zu updated, %zu replaced, %zu destroyed", counts[CH_CREATE], counts[CH_UPDATE],
               counts[CH_REPLACE], counts[CH_DELETE]);
    if (counts[CH_MOVE]) buf_printf(out, ", %zu moved", counts[CH_MOVE]);
    if (nout) buf_printf(out, "; %zu output%s changed", nout, nout == 1 ? "" : "s");
    buf_puts(out, ".**\n");
    for (size_t k = 0; k < nch; k++) {
      const Ent *e = ch[k].n ? ch[k].n : ch[k].o;
      if (ch[k].kind == CH_MOVE)
        buf_printf(out, "\n<details><summary><code>%s</code> has moved to <code>%s</code></summary>\n\n```hcl\n",
                   ch[k].o->addr, e->addr);
      else
        buf_printf(out, "\n<details><summary><code>%s</code> %s</summary>\n\n```hcl\n", e->addr,
                   kind_verb[ch[k].kind]);
      render_change(out, ch[k].kind, ch[k].o, ch[k].n);
      buf_puts(out, "```\n\n</details>\n");
    }
    if (nout) {
      buf_printf(out, "\n<details><summary>Outputs</summary>\n\n```hcl\n%s```\n\n</details>\n", outs.s);
    }
  } else {
    for (size_t k = 0; k < nch; k++) {
      render_change(out, ch[k].kind, ch[k].o, ch[k].n);
      buf_putc(out, '\n');
    }
    if (nout) {
      buf_puts(out, outs.s);
      buf_putc(out, '\n');
    }
    buf_printf(out, "Summary: %zu created, %zu updated, %zu replaced, %zu destroyed", counts[CH_CREATE],
               counts[CH_UPDATE], counts[CH_REPLACE], counts[CH_DELETE]);
    if (counts[CH_MOVE]) buf_printf(out, ", %zu moved", counts[CH_MOVE]);
    if (nout) buf_printf(out, "; %zu output%s changed", nout, nout == 1 ? "" : "s");
    buf_puts(out, ".\n");
  }
  buf_free(&outs);
  for (size_t k = 0; k < no; k++) free(eo[k].addr);
  for (size_t k = 0; k < nn; k++) free(en[k].addr);
  free(eo);
  free(en);
  free(ch);
  return nch + nout;
}
