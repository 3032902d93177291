/*
** eval/decode.c — schema-driven decoding of resource bodies; see decode.h.
*/
#include "eval/decode.h"
#include "base/buf.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const META_ATTRS[] = {"count", "for_each", "depends_on", "provider"};
static const char *const META_BLOCKS[] = {"lifecycle", "provisioner", "connection"};

static bool is_in(HclStr s, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (hcl_str_eq(s, list[i])) return true;
  return false;
}

static void rm_add(RangeMap *rm, const char *path, SrcRange r) {
  if (!rm) return;
  RangeEntry e = {xstrdup(path), r};
  VEC_PUSH(rm->v, rm->n, rm->cap, e);
}

static char *join(const char *prefix, const char *name) {
  return prefix[0] ? xasprintf("%s.%s", prefix, name) : xstrdup(name);
}

static Value *decode_body(ModEval *me, const Body *b, SrcRange open, const Schema *s, const char *path, bool top,
                          RangeMap *rm, DiagList *d);

static char **attr_names(const Schema *s, size_t *n) {
  char **v = xcalloc(s->nattrs + s->nblocks + 1, sizeof *v);
  *n = 0;
  for (size_t i = 0; i < s->nattrs; i++)
    if (s->attrs[i].flags & (SA_REQUIRED | SA_OPTIONAL)) v[(*n)++] = (char *)s->attrs[i].name;
  return v;
}

static char **block_names(const Schema *s, size_t *n) {
  char **v = xcalloc(s->nblocks + 1, sizeof *v);
  *n = 0;
  for (size_t i = 0; i < s->nblocks; i++) v[(*n)++] = (char *)s->blocks[i].name;
  return v;
}

/* One block's content: a plain block, or one iteration of a dynamic block's
** content with the iterator bound. */
typedef struct BlockItems {
  Value **v;
  size_t n, cap;
  bool unknown;          /* a dynamic block's for_each was unknown */
  SrcRange first;
} BlockItems;

static void decode_nested(ModEval *me, const Block *blk, const SchemaBlock *sb, const char *path, BlockItems *items,
                          RangeMap *rm, DiagList *d) {
  if (blk->nlabels) {
    char *t = xstrndup(blk->type.s, blk->type.len);
    char *summary = xasprintf("Extraneous label for %s", t);
    diag_error(d, blk->label_ranges[0], summary, "No labels are expected for %s blocks.", t);
    free(summary);
    free(t);
  }
  char *p = xasprintf("%s[%zu]", path, items->n);
  rm_add(rm, p, blk->type_range);
  Value *v = decode_body(me, blk->body, blk->open_range, sb->schema, p, false, rm, d);
  free(p);
  if (!items->n) items->first = blk->type_range;
  if (v) VEC_PUSH(items->v, items->n, items->cap, v);
}

/* dynamic "name" { for_each = ..., iterator = ..., labels = ..., content { ... } } */
static void decode_dynamic(ModEval *me, const Block *dyn, const SchemaBlock *sb, const char *path, BlockItems *items,
                           RangeMap *rm, DiagList *d) {
  const Expr *for_each = NULL;
  const Block *content = NULL;
  HclStr iter = dyn->labels[0];
  for (size_t i = 0; i < dyn->body->nitems; i++) {
    const Attribute *a = dyn->body->items[i].attr;
    const Block *b = dyn->body->items[i].block;
    if (a && hcl_str_eq(a->name, "for_each")) for_each = a->expr;
    else if (a && hcl_str_eq(a->name, "iterator") && a->expr->kind == EXPR_VARIABLE) iter = a->expr->u.name;
    else if (b && hcl_str_eq(b->type, "content")) content = b;
  }
  if (!for_each || !content) {
    diag_error(d, dyn->open_range, "Missing required argument",
               "A dynamic block requires a for_each argument and a content block.");
    return;
  }
  Value *coll = modeval_expr(me, for_each, d);
  if (!coll) return;
  if (!val_is_known(coll)) {
    items->unknown = true;
    val_free(coll);
    return;
  }
  if (val_is_null(coll)) {
    diag_error(d, for_each->range, "Invalid dynamic for_each value", "Cannot use a null value in for_each.");
    val_free(coll);
    return;
  }
  /* the iterator is a symbol of the content: NAME.key and NAME.value */
  ValIter it = val_iter(coll);
  char *iname = xstrndup(iter.s, iter.len);
  while (val_iter_next(&it)) {
    Value *key = it.key ? val_cstring(it.key) : val_number_i64((int64_t)it.i);
    const char *names[2] = {"key", "value"};
    Value *vals[2] = {key, (Value *)it.elem};
    Value *obj = val_object(names, vals, 2);
    val_free(key);
    modeval_push_symbol(me, iname, obj);
    decode_nested(me, content, sb, path, items, rm, d);
    modeval_pop_symbol(me);
    val_free(obj);
  }
  free(iname);
  val_free(coll);
}

static Value *decode_body(ModEval *me, const Body *b, SrcRange open, const Schema *s, const char *path, bool top,
                          RangeMap *rm, DiagList *d) {
  const Type *ty = schema_type(s);
  size_t nattr = s->nattrs, nblk = s->nblocks;
  Value **vals = xcalloc(nattr + nblk + 1, sizeof *vals);
  BlockItems *items = xcalloc(nblk + 1, sizeof *items);
  bool failed = false;
  for (size_t i = 0; i < b->nitems; i++) {
    const Attribute *a = b->items[i].attr;
    const Block *blk = b->items[i].block;
    if (a) {
      if (top && is_in(a->name, META_ATTRS, 4)) continue;
      char *name = xstrndup(a->name.s, a->name.len);
      size_t k = 0;
      while (k < nattr && strcmp(s->attrs[k].name, name) != 0) k++;
      if (k == nattr) {
        if (schema_block(s, name)) {
          diag_error(d, a->name_range, "Unsupported argument",
                     "An argument named \"%s\" is not expected here. Did you mean to define a block of type \"%s\"?",
                     name, name);
        } else {
          size_t nn;
          char **names = attr_names(s, &nn);
          const char *sug = cfg_suggest(name, (const char *const *)names, nn);
          if (sug)
            diag_error(d, a->name_range, "Unsupported argument",
                       "An argument named \"%s\" is not expected here. Did you mean \"%s\"?", name, sug);
          else
            diag_error(d, a->name_range, "Unsupported argument", "An argument named \"%s\" is not expected here.", name);
          free(names);
        }
        free(name);
        failed = true;
        continue;
      }
      const SchemaAttr *sa = &s->attrs[k];
      if (!(sa->flags & (SA_REQUIRED | SA_OPTIONAL))) {
        diag_error(d, a->name_range, "Value for unconfigurable attribute",
                   "Can't configure a value for \"%s\": its value will be decided automatically based on the result of "
                   "applying this configuration.", name);
        free(name);
        failed = true;
        continue;
      }
      char *p = join(path, name);
      rm_add(rm, p, a->expr->range);
      free(p);
      Value *v = modeval_expr(me, a->expr, d);
      if (!v) {
        /* the argument is there, its value is in error: not also "missing" */
        val_free(vals[k]);
        vals[k] = val_unknown(ty->elems[type_attr_index(ty, name)]);
        free(name);
        failed = true;
        continue;
      }
      ValConvErr ce = {0};
      Value *cv = val_convert(v, ty->elems[type_attr_index(ty, name)], &ce);
      val_free(v);
      if (!cv) {
        char *msg = val_conv_err_text(&ce);
        diag_error(d, a->expr->range, "Incorrect attribute value type", "Inappropriate value for attribute \"%s\": %s.",
                   name, msg);
        free(msg);
        val_conv_err_free(&ce);
        val_free(vals[k]);
        vals[k] = val_unknown(ty->elems[type_attr_index(ty, name)]);
        free(name);
        failed = true;
        continue;
      }
      val_free(vals[k]);
      vals[k] = cv;
      free(name);
      continue;
    }
    if (top && is_in(blk->type, META_BLOCKS, 3)) continue;
    bool dynamic = hcl_str_eq(blk->type, "dynamic");
    HclStr bname = blk->type;
    if (dynamic) {
      if (blk->nlabels != 1) {
        diag_error(d, blk->type_range, "Invalid dynamic block", "A dynamic block must have exactly one label: the type of "
                   "block to generate.");
        continue;
      }
      bname = blk->labels[0];
    }
    char *name = xstrndup(bname.s, bname.len);
    size_t k = 0;
    while (k < nblk && strcmp(s->blocks[k].name, name) != 0) k++;
    if (k == nblk) {
      SrcRange r = dynamic ? blk->label_ranges[0] : blk->type_range;
      if (schema_attr(s, name)) {
        diag_error(d, r, "Unsupported block type",
                   "Blocks of type \"%s\" are not expected here. Did you mean to define argument \"%s\"? If so, use the "
                   "equals sign to assign it a value.", name, name);
      } else {
        size_t nn;
        char **names = block_names(s, &nn);
        const char *sug = cfg_suggest(name, (const char *const *)names, nn);
        if (sug)
          diag_error(d, r, "Unsupported block type", "Blocks of type \"%s\" are not expected here. Did you mean \"%s\"?",
                     name, sug);
        else
          diag_error(d, r, "Unsupported block type", "Blocks of type \"%s\" are not expected here.", name);
        free(names);
      }
      free(name);
      failed = true;
      continue;
    }
    char *p = join(path, name);
    if (dynamic) decode_dynamic(me, blk, &s->blocks[k], p, &items[k], rm, d);
    else decode_nested(me, blk, &s->blocks[k], p, &items[k], rm, d);
    free(p);
    free(name);
  }
  /* required arguments, block counts */
  for (size_t k = 0; k < nattr; k++) {
    const SchemaAttr *sa = &s->attrs[k];
    if ((sa->flags & SA_REQUIRED) && !vals[k]) {
      diag_error(d, open, "Missing required argument", "The argument \"%s\" is required, but no definition was found.",
                 sa->name);
      failed = true;
    }
    if (!vals[k]) vals[k] = val_null(ty->elems[type_attr_index(ty, sa->name)]);
  }
  for (size_t k = 0; k < nblk; k++) {
    const SchemaBlock *sb = &s->blocks[k];
    BlockItems *bi = &items[k];
    const Type *lt = ty->elems[type_attr_index(ty, sb->name)];
    if (bi->unknown) {
      vals[nattr + k] = val_unknown(lt);
    } else {
      if (sb->max_items && (int)bi->n > sb->max_items) {
        char *summary = xasprintf("Too many %s blocks", sb->name);
        diag_error(d, bi->first, summary, "No more than %d \"%s\" blocks are allowed", sb->max_items, sb->name);
        free(summary);
        failed = true;
      }
      if ((int)bi->n < sb->min_items) {
        char *summary = xasprintf("Insufficient %s blocks", sb->name);
        diag_error(d, open, summary, "At least %d \"%s\" blocks are required.", sb->min_items, sb->name);
        free(summary);
        failed = true;
      }
      vals[nattr + k] = sb->nesting == NEST_SET ? val_set(lt->elem, bi->v, bi->n) : val_list(lt->elem, bi->v, bi->n);
    }
    for (size_t j = 0; j < bi->n; j++) val_free(bi->v[j]);
    free(bi->v);
  }
  free(items);
  /* assemble in the object type's (sorted) attribute order, which lets
  ** val_object skip sorting */
  Value **tv = xcalloc(ty->n + 1, sizeof *tv);
  for (size_t k = 0; k < nattr; k++) tv[type_attr_index(ty, s->attrs[k].name)] = vals[k];
  for (size_t k = 0; k < nblk; k++) tv[type_attr_index(ty, s->blocks[k].name)] = vals[nattr + k];
  Value *obj = val_object((const char *const *)ty->names, tv, ty->n);
  for (size_t k = 0; k < nattr + nblk; k++) val_free(vals[k]);
  free(vals);
  free(tv);
  (void)failed;
  return obj;
}

Value *decode_resource_body(ModEval *me, const Block *block, const Schema *s, RangeMap *rm, DiagList *d) {
  if (rm) {
    rm->whole = block->type_range;
    if (block->nlabels) rm->whole.end = block->label_ranges[block->nlabels - 1].end;
  }
  return decode_body(me, block->body, block->open_range, s, "", true, rm, d);
}

SrcRange rangemap_find(const RangeMap *rm, const char *path) {
  if (!path || !*path) return rm->whole;
  size_t best = (size_t)-1, bestlen = 0;
  for (size_t i = 0; i < rm->n; i++) {
    size_t n = strlen(rm->v[i].path);
    if (strncmp(path, rm->v[i].path, n) == 0 && (path[n] == 0 || path[n] == '.' || path[n] == '[') && n >= bestlen) {
      best = i;
      bestlen = n;
    }
  }
  return best == (size_t)-1 ? rm->whole : rm->v[best].range;
}

void rangemap_free(RangeMap *rm) {
  for (size_t i = 0; i < rm->n; i++) free(rm->v[i].path);
  free(rm->v);
  memset(rm, 0, sizeof *rm);
}

void decode_prov_diags(const ProvDiags *pd, const RangeMap *rm, const char *address, DiagList *d) {
  for (size_t i = 0; i < pd->n; i++) {
    const ProvDiag *p = &pd->v[i];
    SrcRange r = rangemap_find(rm, p->path);
    /* no detail: the SDK's one-line validation errors render without one */
    Diag *dg = p->detail ? diag_add(d, p->severity, &r, p->summary, "%s", p->detail)
                         : diag_add(d, p->severity, &r, p->summary, NULL);
    if (address) dg->address = xstrdup(address);
  }
}
