/*
** eval/override.c — Terraform's override files (override.tf, *_override.tf
** and their .tf.json forms), merged into the primary files' blocks before
** anything is decoded, so every later stage sees one configuration.
**
** The rules are Terraform's: each top-level block of an override file
** merges into the primary block with the same header; its arguments
** replace the original's of the same name, its nested blocks replace every
** original block of the same type; a resource's lifecycle block merges
** argument by argument; locals merge value by value wherever they are
** defined; in the terraform block required_providers merges entry by entry
** and a backend or cloud block replaces both. Override files apply in
** lexical order, each to the result of the ones before.
*/
#include "eval/override.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static bool has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), k = strlen(suf);
  return n >= k && strcmp(s + n - k, suf) == 0;
}

bool cfg_is_override_file(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  return strcmp(base, "override.tf") == 0 || strcmp(base, "override.tf.json") == 0 ||
         has_suffix(base, "_override.tf") || has_suffix(base, "_override.tf.json");
}

typedef struct Items {
  BodyItem *v;
  size_t n, cap;
} Items;

static bool same(HclStr a, HclStr b) { return a.len == b.len && memcmp(a.s, b.s, a.len) == 0; }

static const Attribute *find_attr(const Body *b, HclStr name) {
  for (size_t i = 0; i < b->nitems; i++)
    if (b->items[i].attr && same(b->items[i].attr->name, name)) return b->items[i].attr;
  return NULL;
}

static bool has_block_type(const Body *b, HclStr type) {
  for (size_t i = 0; i < b->nitems; i++)
    if (b->items[i].block && same(b->items[i].block->type, type)) return true;
  return false;
}

static bool is_type(const Block *b, const char *t) { return hcl_str_eq(b->type, t); }

/* Whether the nested block type t of kind `top` merges specially instead of
** being replaced: resource lifecycle, terraform required_providers. */
static bool merges_inside(const Block *top, const Block *nested) {
  return ((is_type(top, "resource") || is_type(top, "data")) && is_type(nested, "lifecycle")) ||
         (is_type(top, "terraform") && is_type(nested, "required_providers"));
}

/* base's items with over's arguments replacing theirs in place and over's
** block types replacing theirs, then the rest of over. */
static Body *merge_body(Arena *a, const Block *top, const Body *base, const Body *over, bool nested) {
  Items out = {0};
  for (size_t i = 0; i < base->nitems; i++) {
    BodyItem it = base->items[i];
    if (it.attr) {
      const Attribute *o = find_attr(over, it.attr->name);
      if (o) it.attr = (Attribute *)o;
    } else {
      const Block *bb = it.block;
      bool replaced = has_block_type(over, bb->type);
      /* backend and cloud are one setting: either in the override replaces both */
      if (!nested && is_type(top, "terraform") && (is_type(bb, "backend") || is_type(bb, "cloud")))
        replaced = has_block_type(over, (HclStr){"backend", 7}) || has_block_type(over, (HclStr){"cloud", 5});
      if (replaced && !nested && merges_inside(top, bb)) {
        /* merge with the override's first block of this type; it is not added again below */
        for (size_t k = 0; k < over->nitems; k++) {
          const Block *ob = over->items[k].block;
          if (!ob || !same(ob->type, bb->type)) continue;
          Block *nb = arena_alloc(a, sizeof *nb);
          *nb = *bb;
          nb->body = merge_body(a, top, bb->body, ob->body, true);
          it.block = nb;
          break;
        }
        replaced = false;
      }
      if (replaced) continue;
    }
    VEC_PUSH(out.v, out.n, out.cap, it);
  }
  for (size_t i = 0; i < over->nitems; i++) {
    BodyItem it = over->items[i];
    if (it.attr && find_attr(base, it.attr->name)) continue;
    if (it.block && !nested && merges_inside(top, it.block) && has_block_type(base, it.block->type)) {
      /* merged above with the first; later ones of the same type are duplicates as in any file */
      bool first = true;
      for (size_t k = 0; k < i; k++)
        if (over->items[k].block && same(over->items[k].block->type, it.block->type)) first = false;
      if (first) continue;
    }
    VEC_PUSH(out.v, out.n, out.cap, it);
  }
  Body *b = arena_alloc(a, sizeof *b);
  *b = *base;
  b->nitems = out.n;
  b->items = arena_alloc(a, (out.n ? out.n : 1) * sizeof *out.v);
  if (out.n) memcpy(b->items, out.v, out.n * sizeof *out.v);
  free(out.v);
  return b;
}

/* A provider block's alias, when written as a literal string. */
static bool alias_of(const Block *b, HclStr *out) {
  const Attribute *a = find_attr(b->body, (HclStr){"alias", 5});
  out->s = NULL;
  out->len = 0;
  if (!a) return false;
  const Expr *e = a->expr;
  if (e->kind == EXPR_TEMPLATE && e->u.tpl.literal) {
    *out = e->u.tpl.lit;
    return true;
  }
  return false;
}

static bool same_header(const Block *x, const Block *y) {
  if (!same(x->type, y->type) || x->nlabels != y->nlabels) return false;
  for (size_t i = 0; i < x->nlabels; i++)
    if (!same(x->labels[i], y->labels[i])) return false;
  if (is_type(x, "provider")) {
    HclStr ax, ay;
    bool hx = alias_of(x, &ax), hy = alias_of(y, &ay);
    return hx == hy && (!hx || same(ax, ay));
  }
  return true;
}

static void missing(DiagList *d, const Block *o) {
  char *l0 = o->nlabels > 0 ? xstrndup(o->labels[0].s, o->labels[0].len) : xstrdup("");
  char *l1 = o->nlabels > 1 ? xstrndup(o->labels[1].s, o->labels[1].len) : xstrdup("");
  SrcRange r = o->type_range;
  if (o->nlabels) r.end = o->label_ranges[o->nlabels - 1].end;
  if (is_type(o, "resource"))
    diag_error(d, r, "Missing resource to override",
               "There is no %s resource named \"%s\". An override file can only override a resource block defined in "
               "a primary configuration file.", l0, l1);
  else if (is_type(o, "data"))
    diag_error(d, r, "Missing data resource to override",
               "There is no %s data resource named \"%s\". An override file can only override a data block defined "
               "in a primary configuration file.", l0, l1);
  else if (is_type(o, "variable"))
    diag_error(d, r, "Missing base variable declaration to override",
               "There is no variable named \"%s\". An override file can only override a variable that was already "
               "declared in a primary configuration file.", l0);
  else if (is_type(o, "output"))
    diag_error(d, r, "Missing base output definition to override",
               "There is no output named \"%s\". An override file can only override an output value that was "
               "already defined in a primary configuration file.", l0);
  else if (is_type(o, "module"))
    diag_error(d, r, "Missing module call to override",
               "There is no module call named \"%s\". An override file can only override a module call that was "
               "defined in a primary configuration file.", l0);
  else if (is_type(o, "provider")) {
    HclStr al;
    if (alias_of(o, &al))
      diag_error(d, r, "Missing base provider configuration for override",
                 "There is no %s provider configuration with the alias \"%.*s\". An override file can only override "
                 "an aliased provider configuration that was already defined in a primary configuration file.",
                 l0, (int)al.len, al.s);
    else
      diag_error(d, r, "Missing base provider configuration for override",
                 "There is no %s provider configuration. An override file can only override a provider "
                 "configuration that was already defined in a primary configuration file.", l0);
  }
  free(l0);
  free(l1);
}

/* The primary file holding top-level block b, for its arena. */
typedef struct Found {
  HclFile *file;
  Block *block;
  size_t item;
} Found;

static bool find_block(HclFile **files, size_t n, const Block *o, Found *f) {
  for (size_t i = 0; i < n; i++) {
    if (cfg_is_override_file(src_get(files[i]->file)->path)) continue;
    Body *b = files[i]->body;
    for (size_t k = 0; k < b->nitems; k++) {
      Block *bb = b->items[k].block;
      if (bb && same_header(bb, o)) {
        f->file = files[i];
        f->block = bb;
        f->item = k;
        return true;
      }
    }
  }
  return false;
}

/* locals merge by name, wherever in the primary files the value is defined */
static void override_locals(HclFile **files, size_t n, const Block *o, DiagList *d) {
  for (size_t k = 0; k < o->body->nitems; k++) {
    const Attribute *oa = o->body->items[k].attr;
    if (!oa) continue;
    bool found = false;
    for (size_t i = 0; i < n && !found; i++) {
      if (cfg_is_override_file(src_get(files[i]->file)->path)) continue;
      Body *b = files[i]->body;
      for (size_t j = 0; j < b->nitems && !found; j++) {
        Block *lb = b->items[j].block;
        if (!lb || !is_type(lb, "locals")) continue;
        for (size_t m = 0; m < lb->body->nitems; m++) {
          if (lb->body->items[m].attr && same(lb->body->items[m].attr->name, oa->name)) {
            lb->body->items[m].attr = (Attribute *)oa;
            found = true;
            break;
          }
        }
      }
    }
    if (!found)
      diag_error(d, oa->name_range, "Missing base local value definition to override",
                 "There is no local value named \"%.*s\". An override file can only override a local value that was "
                 "already defined in a primary configuration file.", (int)oa->name.len, oa->name.s);
  }
}

void cfg_apply_overrides(HclFile **files, size_t n, DiagList *d) {
  for (size_t i = 0; i < n; i++) {
    if (!cfg_is_override_file(src_get(files[i]->file)->path)) continue;
    Body *ob = files[i]->body;
    for (size_t k = 0; k < ob->nitems; k++) {
      const Block *o = ob->items[k].block;
      if (!o) {
        const Attribute *a = ob->items[k].attr;
        diag_error(d, a->name_range, "Unsupported argument", "An argument named \"%.*s\" is not expected here.",
                   (int)a->name.len, a->name.s);
        continue;
      }
      if (is_type(o, "locals")) {
        override_locals(files, n, o, d);
        continue;
      }
      if (is_type(o, "moved") || is_type(o, "import") || is_type(o, "removed") || is_type(o, "check")) {
        char *t = xstrndup(o->type.s, o->type.len);
        char *summary = xasprintf("Cannot override '%s' blocks", t);
        diag_error(d, o->type_range, summary, "'%s' blocks can appear only in normal files, not in override files.", t);
        free(summary);
        free(t);
        continue;
      }
      Found f;
      if (!find_block(files, n, o, &f)) {
        if (is_type(o, "terraform")) {
          /* nothing to merge into: the override's settings stand alone */
          f.file = NULL;
          for (size_t p = 0; p < n && !f.file; p++)
            if (!cfg_is_override_file(src_get(files[p]->file)->path)) f.file = files[p];
          if (f.file) {
            Body *pb = f.file->body;
            BodyItem *items = arena_alloc(&f.file->arena, (pb->nitems + 1) * sizeof *items);
            if (pb->nitems) memcpy(items, pb->items, pb->nitems * sizeof *items);
            items[pb->nitems].attr = NULL;
            items[pb->nitems].block = (Block *)o;
            pb->items = items;
            pb->nitems++;
          }
        } else if (is_type(o, "resource") || is_type(o, "data") || is_type(o, "variable") ||
                   is_type(o, "output") || is_type(o, "module") || is_type(o, "provider")) {
          missing(d, o);
        } else {
          diag_error(d, o->type_range, "Unsupported block type", "Blocks of type \"%.*s\" are not expected here.",
                     (int)o->type.len, o->type.s);
        }
        continue;
      }
      Block *nb = arena_alloc(&f.file->arena, sizeof *nb);
      *nb = *f.block;
      nb->body = merge_body(&f.file->arena, f.block, f.block->body, o->body, false);
      f.file->body->items[f.item].block = nb;
    }
  }
}
