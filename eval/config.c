/*
** eval/config.c — loading a module tree and decoding Terraform's top-level
** blocks into the configuration model (config.h).
**
** Decoding checks what can be checked without evaluating anything: block
** and argument names (with did-you-mean), label counts, duplicates, literal
** meta-arguments (lifecycle settings, module sources), reference lists.
** Everything that needs values is left to eval/modeval.c.
*/
#include "eval/config.h"
#include "base/buf.h"
#include "base/util.h"
#include "eval/eval.h"
#include "eval/jsonschema.h"
#include "eval/override.h"
#include "eval/value_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_MODULE_DEPTH 64

const char *cfg_suggest(const char *given, const char *const *cands, size_t n) {
  return val_suggest(given, cands, n);
}

static char *hstr(HclStr s) { return xstrndup(s.s, s.len); }

static bool name_is(HclStr s, const char *lit) { return hcl_str_eq(s, lit); }

/* "file.tf:3,1-9" as hcl writes a declaration site in messages. */
static char *site(SrcRange r) {
  SrcFile *f = src_get(r.file);
  SrcPos a = src_pos(r.file, r.start), b = src_pos(r.file, r.end);
  if (a.line == b.line) return xasprintf("%s:%d,%d-%d", f ? f->path : "?", a.line, a.column, b.column);
  return xasprintf("%s:%d,%d-%d,%d", f ? f->path : "?", a.line, a.column, b.line, b.column);
}

/* A block header's range: type through the last label. */
static SrcRange header_range(const Block *b) {
  /* in a .tf.json file the type and labels are keys on separate lines, so
  ** a block is declared where its body opens, as hcl says */
  SrcFile *f = src_get(b->type_range.file);
  if (f && b->type_range.start < f->len && f->bytes[b->type_range.start] == '"') return b->open_range;
  SrcRange r = b->type_range;
  if (b->nlabels) r.end = b->label_ranges[b->nlabels - 1].end;
  return r;
}

static SrcRange attr_range(const Attribute *a) {
  SrcRange r = a->name_range;
  r.end = a->expr->range.end;
  return r;
}

/* ---- generic body checking ---- */

static void unsupported_attr(DiagList *d, const Attribute *a, const char *const *allowed, size_t n) {
  char *name = hstr(a->name);
  const char *s = cfg_suggest(name, allowed, n);
  if (s)
    diag_error(d, a->name_range, "Unsupported argument", "An argument named \"%s\" is not expected here. Did you mean \"%s\"?",
               name, s);
  else
    diag_error(d, a->name_range, "Unsupported argument", "An argument named \"%s\" is not expected here.", name);
  free(name);
}

static void unsupported_block(DiagList *d, const Block *b, const char *const *allowed, size_t n) {
  char *name = hstr(b->type);
  const char *s = cfg_suggest(name, allowed, n);
  if (s)
    diag_error(d, b->type_range, "Unsupported block type", "Blocks of type \"%s\" are not expected here. Did you mean \"%s\"?",
               name, s);
  else
    diag_error(d, b->type_range, "Unsupported block type", "Blocks of type \"%s\" are not expected here.", name);
  free(name);
}

static bool in_list(HclStr s, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (name_is(s, list[i])) return true;
  return false;
}

/* Checks label count; reports hcl's messages. */
static bool check_labels(DiagList *d, const Block *b, size_t want, const char *what, const char *names) {
  if (b->nlabels == want) return true;
  char *type = hstr(b->type);
  char *summary;
  if (b->nlabels < want) {
    SrcRange r = b->nlabels ? b->label_ranges[b->nlabels - 1] : b->type_range;
    summary = xasprintf("Missing name for %s", type);
    diag_error(d, r, summary, "All %s blocks must have %zu labels (%s).", what, want, names);
  } else {
    summary = xasprintf("Extraneous label for %s", type);
    diag_error(d, b->label_ranges[want], summary, "Only %zu labels (%s) are expected for %s blocks.", want, names, what);
  }
  free(summary);
  free(type);
  return false;
}

/* A literal string attribute value (no references), or NULL with a diagnostic. */
static char *literal_string(DiagList *d, const Attribute *a, const char *what) {
  DiagList tmp = {0};
  Value *v = ev_eval_const(a->expr, &tmp);
  char *out = NULL;
  if (v && !val_is_null(v) && val_is_known(v)) {
    Value *s = val_convert(v, T_STRING, NULL);
    if (s) {
      out = xstrndup(val_str(s), val_str_len(s));
      val_free(s);
    }
  }
  val_free(v);
  diag_free(&tmp);
  if (!out)
    diag_error(d, a->expr->range, "Invalid value", "The %s must be a literal string, without references or function calls.",
               what);
  return out;
}

static bool literal_bool(DiagList *d, const Attribute *a, bool *out) {
  DiagList tmp = {0};
  Value *v = ev_eval_const(a->expr, &tmp);
  bool ok = false;
  if (v && !val_is_null(v) && val_is_known(v)) {
    Value *b = val_convert(v, T_BOOL, NULL);
    if (b) {
      *out = val_get_bool(b);
      ok = true;
      val_free(b);
    }
  }
  val_free(v);
  diag_free(&tmp);
  if (!ok) {
    char *name = hstr(a->name);
    diag_error(d, a->expr->range, "Invalid expression",
               "A static value is required for \"%s\": it must be true or false, without references.", name);
    free(name);
  }
  return ok;
}

/* A list of references (depends_on, ignore_changes, replace_triggered_by):
** a tuple whose elements are traversals. */
static Expr **ref_list(DiagList *d, const Attribute *a, size_t *n, const char *what) {
  *n = 0;
  const Expr *e = a->expr;
  if (e->kind != EXPR_TUPLE) {
    diag_error(d, e->range, "Invalid expression", "A static list expression is required for %s.", what);
    return NULL;
  }
  Expr **v = xcalloc(e->u.list.n ? e->u.list.n : 1, sizeof *v);
  for (size_t i = 0; i < e->u.list.n; i++) {
    Expr *x = e->u.list.v[i];
    const Expr *root = x;
    while (root->kind == EXPR_GETATTR || root->kind == EXPR_INDEX)
      root = root->kind == EXPR_GETATTR ? root->u.getattr.obj : root->u.index.obj;
    if (root->kind != EXPR_VARIABLE) {
      diag_error(d, x->range, "Invalid reference", "Only references to other objects are allowed in %s.", what);
      continue;
    }
    v[(*n)++] = x;
  }
  return v;
}

static void add_check(DiagList *d, const Block *b, CfgCheck **v, size_t *n, const char *msg_attr) {
  CfgCheck c = {NULL, NULL, header_range(b)};
  static const char *const allowed[] = {"condition", "error_message"};
  for (size_t i = 0; i < b->body->nitems; i++) {
    const Attribute *a = b->body->items[i].attr;
    if (!a) {
      unsupported_block(d, b->body->items[i].block, NULL, 0);
      continue;
    }
    if (name_is(a->name, "condition")) c.condition = a->expr;
    else if (name_is(a->name, msg_attr)) c.error_message = a->expr;
    else unsupported_attr(d, a, allowed, 2);
  }
  if (!c.condition)
    diag_error(d, b->open_range, "Missing required argument", "The argument \"condition\" is required, but no definition was found.");
  if (!c.error_message)
    diag_error(d, b->open_range, "Missing required argument",
               "The argument \"%s\" is required, but no definition was found.", msg_attr);
  *v = xrealloc(*v, (*n + 1) * sizeof **v);
  (*v)[(*n)++] = c;
}

/* ---- terraform ---- */

static void decode_terraform(CfgModule *m, const Block *b, DiagList *d) {
  static const char *const attrs[] = {"required_version", "experiments"};
  static const char *const blocks[] = {"required_providers", "backend", "cloud", "provider_meta"};
  for (size_t i = 0; i < b->body->nitems; i++) {
    const Attribute *a = b->body->items[i].attr;
    const Block *blk = b->body->items[i].block;
    if (a) {
      if (name_is(a->name, "required_version")) {
        m->required_version = a->expr;
        m->required_version_range = a->expr->range;
      } else if (!in_list(a->name, attrs, 2)) {
        unsupported_attr(d, a, attrs, 2);
      }
      continue;
    }
    if (name_is(blk->type, "backend")) {
      if (!check_labels(d, blk, 1, "backend", "type")) continue;
      if (m->backend) {
        diag_error(d, header_range(blk), "Duplicate backend configuration",
                   "A module may have only one backend configuration. The backend was previously configured.");
        continue;
      }
      m->backend = hstr(blk->labels[0]);
      for (size_t j = 0; j < blk->body->nitems; j++) {
        const Attribute *ba = blk->body->items[j].attr;
        if (ba && name_is(ba->name, "path") && strcmp(m->backend, "local") == 0)
          m->backend_path = literal_string(d, ba, "backend path");
      }
    } else if (!in_list(blk->type, blocks, 4)) {
      unsupported_block(d, blk, blocks, 4);
    }
  }
}

/* ---- provider ---- */

static void decode_provider(CfgModule *m, Block *b, DiagList *d) {
  if (!check_labels(d, b, 1, "provider", "name")) return;
  CfgProvider p;
  memset(&p, 0, sizeof p);
  p.name = hstr(b->labels[0]);
  p.decl_range = header_range(b);
  p.body = b->body;
  for (size_t i = 0; i < b->body->nitems; i++) {
    const Attribute *a = b->body->items[i].attr;
    if (a && name_is(a->name, "alias")) p.alias = literal_string(d, a, "provider alias");
  }
  for (size_t i = 0; i < m->nproviders; i++) {
    CfgProvider *o = &m->providers[i];
    if (strcmp(o->name, p.name) == 0 && ((!o->alias && !p.alias) || (o->alias && p.alias && strcmp(o->alias, p.alias) == 0))) {
      char *at = site(o->decl_range);
      if (p.alias)
        diag_error(d, p.decl_range, "Duplicate provider configuration",
                   "A provider configuration for \"%s\" with alias \"%s\" was already given at %s. Each configuration "
                   "for the same provider must have a distinct alias.", p.name, p.alias, at);
      else
        diag_error(d, p.decl_range, "Duplicate provider configuration",
                   "A default (non-aliased) provider configuration for \"%s\" was already given at %s. If multiple "
                   "configurations are required, set the \"alias\" argument for alternative configurations.", p.name, at);
      free(at);
      free(p.name);
      free(p.alias);
      return;
    }
  }
  m->providers = xrealloc(m->providers, (m->nproviders + 1) * sizeof *m->providers);
  m->providers[m->nproviders++] = p;
}

/* ---- variable ---- */

static void decode_variable(CfgModule *m, Block *b, DiagList *d) {
  if (!check_labels(d, b, 1, "variable", "name")) return;
  static const char *const attrs[] = {"type", "default", "description", "sensitive", "nullable", "ephemeral",
                                      "deprecated", "const"};
  static const char *const blocks[] = {"validation"};
  CfgVariable v;
  memset(&v, 0, sizeof v);
  v.name = hstr(b->labels[0]);
  v.decl_range = header_range(b);
  v.type = T_DYNAMIC;
  v.nullable = true;
  for (size_t i = 0; i < m->nvars; i++) {
    if (strcmp(m->vars[i].name, v.name) == 0) {
      char *at = site(m->vars[i].decl_range);
      diag_error(d, v.decl_range, "Duplicate variable declaration",
                 "A variable named \"%s\" was already declared at %s. Variable names must be unique within a module.",
                 v.name, at);
      free(at);
      free(v.name);
      return;
    }
  }
  for (size_t i = 0; i < b->body->nitems; i++) {
    const Attribute *a = b->body->items[i].attr;
    Block *blk = b->body->items[i].block;
    if (blk) {
      if (name_is(blk->type, "validation")) add_check(d, blk, &v.validations, &v.nvalidations, "error_message");
      else unsupported_block(d, blk, blocks, 1);
      continue;
    }
    if (name_is(a->name, "type")) {
      const Type *t = type_from_expr(a->expr, &v.defaults, d);
      if (t) v.type = t;
    } else if (name_is(a->name, "default")) {
      v.default_expr = a->expr;
    } else if (name_is(a->name, "description")) {
      v.description = literal_string(d, a, "description");
    } else if (name_is(a->name, "sensitive")) {
      literal_bool(d, a, &v.sensitive);
    } else if (name_is(a->name, "nullable")) {
      literal_bool(d, a, &v.nullable);
    } else if (!in_list(a->name, attrs, sizeof attrs / sizeof attrs[0])) {
      unsupported_attr(d, a, attrs, sizeof attrs / sizeof attrs[0]);
    }
  }
  if (v.default_expr) {
    DiagList tmp = {0};
    Value *dv = ev_eval_const(v.default_expr, &tmp);
    if (!dv) {
      diag_move(d, &tmp);
    } else {
      diag_free(&tmp);
      Value *withdef = v.defaults ? val_apply_defaults(dv, v.defaults) : val_ref(dv);
      ValConvErr ce = {0};
      v.default_value = val_convert(withdef, v.type, &ce);
      if (!v.default_value) {
        char *msg = val_conv_err_text(&ce);
        diag_error(d, v.default_expr->range, "Invalid default value for variable",
                   "This default value is not compatible with the variable's type constraint: %s.", msg);
        free(msg);
        val_conv_err_free(&ce);
      }
      val_free(withdef);
      val_free(dv);
    }
  }
  m->vars = xrealloc(m->vars, (m->nvars + 1) * sizeof *m->vars);
  m->vars[m->nvars++] = v;
}

/* ---- locals ---- */

static void decode_locals(CfgModule *m, Block *b, DiagList *d) {
  if (!check_labels(d, b, 0, "locals", "")) return;
  for (size_t i = 0; i < b->body->nitems; i++) {
    const Attribute *a = b->body->items[i].attr;
    if (!a) {
      diag_error(d, b->body->items[i].block->type_range, "Unsupported block type",
                 "Blocks are not allowed in a locals block: each local value is an argument.");
      continue;
    }
    char *name = hstr(a->name);
    CfgLocal *dup = cfg_local(m, name);
    if (dup) {
      char *at = site(dup->range);
      diag_error(d, a->name_range, "Duplicate local value definition",
                 "A local value named \"%s\" was already defined at %s. Local value names must be unique within a "
                 "module.", name, at);
      free(at);
      free(name);
      continue;
    }
    m->locals = xrealloc(m->locals, (m->nlocals + 1) * sizeof *m->locals);
    CfgLocal *l = &m->locals[m->nlocals++];
    l->name = name;
    l->expr = a->expr;
    l->range = a->name_range;
  }
}

/* ---- output ---- */

static void decode_output(CfgModule *m, Block *b, DiagList *d) {
  if (!check_labels(d, b, 1, "output", "name")) return;
  static const char *const attrs[] = {"value", "description", "sensitive", "depends_on", "ephemeral"};
  static const char *const blocks[] = {"precondition"};
  CfgOutput o;
  memset(&o, 0, sizeof o);
  o.name = hstr(b->labels[0]);
  o.decl_range = header_range(b);
  if (cfg_output(m, o.name)) {
    char *at = site(cfg_output(m, o.name)->decl_range);
    diag_error(d, o.decl_range, "Duplicate output definition",
               "An output named \"%s\" was already defined at %s. Output names must be unique within a module.", o.name,
               at);
    free(at);
    free(o.name);
    return;
  }
  for (size_t i = 0; i < b->body->nitems; i++) {
    const Attribute *a = b->body->items[i].attr;
    Block *blk = b->body->items[i].block;
    if (blk) {
      if (name_is(blk->type, "precondition")) add_check(d, blk, &o.pre, &o.npre, "error_message");
      else unsupported_block(d, blk, blocks, 1);
      continue;
    }
    if (name_is(a->name, "value")) o.value = a->expr;
    else if (name_is(a->name, "description")) o.description = literal_string(d, a, "description");
    else if (name_is(a->name, "sensitive")) literal_bool(d, a, &o.sensitive);
    else if (name_is(a->name, "depends_on")) o.depends_on = ref_list(d, a, &o.ndepends, "depends_on");
    else if (!in_list(a->name, attrs, sizeof attrs / sizeof attrs[0]))
      unsupported_attr(d, a, attrs, sizeof attrs / sizeof attrs[0]);
  }
  if (!o.value)
    diag_error(d, b->open_range, "Missing required argument", "The argument \"value\" is required, but no definition was found.");
  m->outputs = xrealloc(m->outputs, (m->noutputs + 1) * sizeof *m->outputs);
  m->outputs[m->noutputs++] = o;
}

/* ---- resource and data ---- */

static bool valid_name(const char *s) {
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return false;
  for (s++; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
      return false;
  return true;
}

static void decode_lifecycle(CfgResource *r, Block *b, DiagList *d) {
  static const char *const attrs[] = {"create_before_destroy", "prevent_destroy", "ignore_changes", "replace_triggered_by"};
  static const char *const blocks[] = {"precondition", "postcondition"};
  CfgLifecycle *lc = &r->lc;
  for (size_t i = 0; i < b->body->nitems; i++) {
    const Attribute *a = b->body->items[i].attr;
    Block *blk = b->body->items[i].block;
    if (blk) {
      if (name_is(blk->type, "precondition")) add_check(d, blk, &lc->pre, &lc->npre, "error_message");
      else if (name_is(blk->type, "postcondition")) add_check(d, blk, &lc->post, &lc->npost, "error_message");
      else unsupported_block(d, blk, blocks, 2);
      continue;
    }
    if (name_is(a->name, "create_before_destroy")) {
      if (literal_bool(d, a, &lc->create_before_destroy)) {
        lc->cbd_set = true;
        lc->cbd_range = attr_range(a);
      }
    } else if (name_is(a->name, "prevent_destroy")) {
      literal_bool(d, a, &lc->prevent_destroy);
    } else if (name_is(a->name, "ignore_changes")) {
      if (a->expr->kind == EXPR_VARIABLE && name_is(a->expr->u.name, "all")) lc->ignore_all = true;
      else lc->ignore_changes = ref_list(d, a, &lc->nignore, "ignore_changes");
    } else if (name_is(a->name, "replace_triggered_by")) {
      lc->replace_triggered_by = ref_list(d, a, &lc->nreplace, "replace_triggered_by");
    } else {
      unsupported_attr(d, a, attrs, 4);
    }
  }
}

static void index_resource(CfgModule *m);

static void decode_resource(CfgModule *m, Block *b, CfgMode mode, DiagList *d) {
  const char *kw = mode == CFG_MANAGED ? "resource" : "data";
  if (!check_labels(d, b, 2, kw, "type, name")) return;
  CfgResource r;
  memset(&r, 0, sizeof r);
  r.mode = mode;
  r.type = hstr(b->labels[0]);
  r.name = hstr(b->labels[1]);
  r.decl_range = header_range(b);
  r.block = b;
  r.body = b->body;
  r.module = m;
  if (!valid_name(r.name)) {
    diag_error(d, b->label_ranges[1], mode == CFG_MANAGED ? "Invalid resource name" : "Invalid data resource name",
               "A name must start with a letter or underscore and may contain only letters, digits, underscores, and "
               "dashes.");
  }
  CfgResource *dup = cfg_resource(m, mode, r.type, r.name);
  if (dup) {
    char *at = site(dup->decl_range);
    char *summary = xasprintf(mode == CFG_MANAGED ? "Duplicate resource \"%s\" configuration"
                                                  : "Duplicate data \"%s\" configuration", r.type);
    if (mode == CFG_MANAGED)
      diag_error(d, r.decl_range, summary,
                 "A %s resource named \"%s\" was already declared at %s. Resource names must be unique per type in each "
                 "module.", r.type, r.name, at);
    else
      diag_error(d, r.decl_range, summary,
                 "A %s data resource named \"%s\" was already declared at %s. Resource names must be unique per type "
                 "in each module.", r.type, r.name, at);
    free(summary);
    free(at);
    free(r.type);
    free(r.name);
    return;
  }
  const char *us = strchr(r.type, '_');
  r.provider = us ? xstrndup(r.type, (size_t)(us - r.type)) : xstrdup(r.type);
  for (size_t i = 0; i < b->body->nitems; i++) {
    const Attribute *a = b->body->items[i].attr;
    Block *blk = b->body->items[i].block;
    if (blk) {
      if (name_is(blk->type, "lifecycle")) {
        if (mode == CFG_DATA) {
          diag_error(d, blk->type_range, "Unsupported lifecycle block",
                     "Data resources do not have lifecycle settings, so a lifecycle block is not allowed.");
        } else {
          decode_lifecycle(&r, blk, d);
        }
      }
      continue;
    }
    if (name_is(a->name, "count")) r.count = a->expr;
    else if (name_is(a->name, "for_each")) r.for_each = a->expr;
    else if (name_is(a->name, "depends_on")) r.depends_on = ref_list(d, a, &r.ndepends, "depends_on");
    else if (name_is(a->name, "provider")) {
      const Expr *e = a->expr;
      if (e->kind == EXPR_GETATTR && e->u.getattr.obj->kind == EXPR_VARIABLE) {
        free(r.provider);
        r.provider = hstr(e->u.getattr.obj->u.name);
        r.provider_alias = hstr(e->u.getattr.name);
      } else if (e->kind == EXPR_VARIABLE) {
        free(r.provider);
        r.provider = hstr(e->u.name);
      } else {
        diag_error(d, e->range, "Invalid provider reference",
                   "A provider configuration reference must not be given in quotes: write it as PROVIDER or "
                   "PROVIDER.ALIAS.");
      }
    }
  }
  if (r.count && r.for_each) {
    diag_error(d, r.for_each->range, "Invalid combination of \"count\" and \"for_each\"",
               "The \"count\" and \"for_each\" meta-arguments are mutually-exclusive, only one should be used to be "
               "explicit about the number of resources to be created.");
  }
  m->resources = xrealloc(m->resources, (m->nresources + 1) * sizeof *m->resources);
  m->resources[m->nresources++] = r;
  index_resource(m);
}

/* ---- module calls ---- */

static void decode_module_call(CfgModule *m, Block *b, DiagList *d) {
  if (!check_labels(d, b, 1, "module", "name")) return;
  CfgModuleCall c;
  memset(&c, 0, sizeof c);
  c.name = hstr(b->labels[0]);
  c.decl_range = header_range(b);
  c.body = b->body;
  if (cfg_call(m, c.name)) {
    char *at = site(cfg_call(m, c.name)->decl_range);
    diag_error(d, c.decl_range, "Duplicate module call",
               "A module call named \"%s\" was already defined at %s. Module calls must have unique names within a "
               "module.", c.name, at);
    free(at);
    free(c.name);
    return;
  }
  for (size_t i = 0; i < b->body->nitems; i++) {
    const Attribute *a = b->body->items[i].attr;
    if (!a) continue;
    if (name_is(a->name, "source")) {
      c.source = literal_string(d, a, "module source");
      c.source_range = a->expr->range;
    } else if (name_is(a->name, "count")) {
      c.count = a->expr;
    } else if (name_is(a->name, "for_each")) {
      c.for_each = a->expr;
    } else if (name_is(a->name, "depends_on")) {
      c.depends_on = ref_list(d, a, &c.ndepends, "depends_on");
    }
  }
  if (!c.source && !c.source_range.file)
    diag_error(d, b->open_range, "Missing required argument", "The argument \"source\" is required, but no definition was found.");
  m->calls = xrealloc(m->calls, (m->ncalls + 1) * sizeof *m->calls);
  m->calls[m->ncalls++] = c;
}

/* ---- files ---- */

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), k = strlen(suf);
  return n >= k && strcmp(s + n - k, suf) == 0;
}

static char *join_path(const char *dir, const char *name) {
  if (strcmp(dir, ".") == 0) return xstrdup(name);
  size_t n = strlen(dir);
  return xasprintf("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

static void decode_file(CfgModule *m, HclFile *f, DiagList *d) {
  static const char *const blocks[] = {"terraform", "provider", "variable", "locals", "output", "resource",
                                       "data", "module", "moved", "import", "removed", "check"};
  Body *body = f->body;
  for (size_t i = 0; i < body->nitems; i++) {
    Block *b = body->items[i].block;
    if (!b) {
      unsupported_attr(d, body->items[i].attr, NULL, 0);
      continue;
    }
    if (name_is(b->type, "terraform")) decode_terraform(m, b, d);
    else if (name_is(b->type, "provider")) decode_provider(m, b, d);
    else if (name_is(b->type, "variable")) decode_variable(m, b, d);
    else if (name_is(b->type, "locals")) decode_locals(m, b, d);
    else if (name_is(b->type, "output")) decode_output(m, b, d);
    else if (name_is(b->type, "resource")) decode_resource(m, b, CFG_MANAGED, d);
    else if (name_is(b->type, "data")) decode_resource(m, b, CFG_DATA, d);
    else if (name_is(b->type, "module")) decode_module_call(m, b, d);
    else if (name_is(b->type, "moved") || name_is(b->type, "import") || name_is(b->type, "removed") ||
             name_is(b->type, "check")) {
      /* accepted; planned by plan/ where supported */
    } else {
      unsupported_block(d, b, blocks, sizeof blocks / sizeof blocks[0]);
    }
  }
}

static void load_files(CfgModule *m, DiagList *d) {
  DIR *dir = opendir(m->dir);
  if (!dir) {
    diag_add(d, DIAG_ERROR, m->call ? &m->call->source_range : NULL, "Failed to read module directory",
             "Module directory %s does not exist or cannot be read: %s.", m->dir, strerror(errno));
    return;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (e->d_name[0] == '.') continue;
    if (has_suffix(e->d_name, ".tf") || has_suffix(e->d_name, ".tf.json")) VEC_PUSH(names, n, cap, xstrdup(e->d_name));
  }
  closedir(dir);
  if (n) qsort(names, n, sizeof *names, cmp_names);
  for (size_t i = 0; i < n; i++) {
    char *path = join_path(m->dir, names[i]);
    size_t len;
    char *bytes = read_file(path, &len);
    if (!bytes) {
      diag_add(d, DIAG_ERROR, NULL, "Failed to read file", "The configuration file %s could not be read: %s.", path,
               strerror(errno));
      free(path);
      free(names[i]);
      continue;
    }
    uint32_t id = src_add(path, bytes, len);
    HclFile *f = has_suffix(names[i], ".tf.json") ? cfg_parse_json(id, d) : hcl_parse(id, d);
    m->files = xrealloc(m->files, (m->nfiles + 1) * sizeof *m->files);
    m->files[m->nfiles++] = f;
    free(path);
    free(names[i]);
  }
  free(names);
  cfg_apply_overrides(m->files, m->nfiles, d);
  for (size_t i = 0; i < m->nfiles; i++)
    if (!cfg_is_override_file(src_get(m->files[i]->file)->path)) decode_file(m, m->files[i], d);
}

static bool is_local_source(const char *s) { return strncmp(s, "./", 2) == 0 || strncmp(s, "../", 3) == 0; }

/* Joins a module directory and a relative source, normalising "." and ".."
** segments so messages show "inference/endpoint.tf", not "./inference/./". */
static char *child_dir(const char *parent, const char *source) {
  char *joined = strcmp(parent, ".") == 0 ? xstrdup(source) : xasprintf("%s/%s", parent, source);
  char **seg = NULL;
  size_t n = 0, cap = 0, ups = 0;
  char *save = NULL;
  for (char *t = strtok_r(joined, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
    if (strcmp(t, ".") == 0) continue;
    if (strcmp(t, "..") == 0) {
      if (n > 0) n--;
      else ups++;
      continue;
    }
    VEC_PUSH(seg, n, cap, t);
  }
  Buf b = BUF_INIT;
  if (joined[0] == '/') buf_putc(&b, '/');
  for (size_t i = 0; i < ups; i++) buf_puts(&b, "../");
  for (size_t i = 0; i < n; i++) {
    if (i) buf_putc(&b, '/');
    buf_puts(&b, seg[i]);
  }
  if (!b.len) buf_putc(&b, '.');
  free(seg);
  free(joined);
  return buf_take(&b);
}

static CfgModule *load_module(const char *dir, CfgModule *parent, CfgModuleCall *call, int depth, DiagList *d) {
  CfgModule *m = xcalloc(1, sizeof *m);
  m->dir = xstrdup(dir);
  m->parent = parent;
  m->call = call;
  m->addr = parent ? (parent->addr[0] ? xasprintf("%s.module.%s", parent->addr, call->name)
                                      : xasprintf("module.%s", call->name))
                   : xstrdup("");
  load_files(m, d);
  for (size_t i = 0; i < m->ncalls; i++) {
    CfgModuleCall *c = &m->calls[i];
    if (!c->source) continue;
    if (!is_local_source(c->source)) {
      diag_error(d, c->source_range, "Module not installed",
                 "tfc loads modules from local paths only (\"./...\" or \"../...\"); \"%s\" would have to be "
                 "downloaded. Vendor the module into this repository and use its local path.", c->source);
      continue;
    }
    if (depth >= MAX_MODULE_DEPTH) {
      diag_error(d, c->source_range, "Module nesting too deep",
                 "Modules call each other more than %d levels deep; a module probably calls itself.", MAX_MODULE_DEPTH);
      continue;
    }
    char *cd = child_dir(m->dir, c->source);
    struct stat st;
    if (stat(cd, &st) != 0 || !S_ISDIR(st.st_mode)) {
      diag_error(d, c->source_range, "Unreadable module directory",
                 "The directory %s does not exist or cannot be read.", cd);
      free(cd);
      continue;
    }
    c->child = load_module(cd, m, c, depth + 1, d);
    free(cd);
  }
  return m;
}

static void number_resources(CfgModule *m, void *ud) {
  size_t *next = ud;
  for (size_t i = 0; i < m->nresources; i++) m->resources[i].seq = (*next)++;
}

CfgModule *cfg_load(const char *dir, DiagList *diags) {
  CfgModule *root = load_module(dir, NULL, NULL, 0, diags);
  size_t next = 0;
  cfg_walk(root, number_resources, &next);
  return root;
}

static void free_checks(CfgCheck *c) { free(c); }

void cfg_free(CfgModule *m) {
  if (!m) return;
  for (size_t i = 0; i < m->ncalls; i++) {
    cfg_free(m->calls[i].child);
    free(m->calls[i].name);
    free(m->calls[i].source);
    free(m->calls[i].depends_on);
  }
  free(m->calls);
  for (size_t i = 0; i < m->nvars; i++) {
    CfgVariable *v = &m->vars[i];
    free(v->name);
    free(v->description);
    type_defaults_free(v->defaults);
    val_free(v->default_value);
    free_checks(v->validations);
  }
  free(m->vars);
  for (size_t i = 0; i < m->nlocals; i++) free(m->locals[i].name);
  free(m->locals);
  for (size_t i = 0; i < m->noutputs; i++) {
    free(m->outputs[i].name);
    free(m->outputs[i].description);
    free(m->outputs[i].depends_on);
    free_checks(m->outputs[i].pre);
  }
  free(m->outputs);
  for (size_t i = 0; i < m->nresources; i++) {
    CfgResource *r = &m->resources[i];
    free(r->type);
    free(r->name);
    free(r->depends_on);
    free(r->provider);
    free(r->provider_alias);
    free(r->lc.ignore_changes);
    free(r->lc.replace_triggered_by);
    free_checks(r->lc.pre);
    free_checks(r->lc.post);
  }
  free(m->resources);
  free(m->rslot);
  for (size_t i = 0; i < m->nproviders; i++) {
    free(m->providers[i].name);
    free(m->providers[i].alias);
  }
  free(m->providers);
  for (size_t i = 0; i < m->nfiles; i++) hcl_file_free(m->files[i]);
  free(m->files);
  free(m->backend);
  free(m->backend_path);
  free(m->dir);
  free(m->addr);
  free(m);
}

CfgVariable *cfg_variable(const CfgModule *m, const char *name) {
  for (size_t i = 0; i < m->nvars; i++)
    if (strcmp(m->vars[i].name, name) == 0) return &m->vars[i];
  return NULL;
}

CfgLocal *cfg_local(const CfgModule *m, const char *name) {
  for (size_t i = 0; i < m->nlocals; i++)
    if (strcmp(m->locals[i].name, name) == 0) return &m->locals[i];
  return NULL;
}

CfgOutput *cfg_output(const CfgModule *m, const char *name) {
  for (size_t i = 0; i < m->noutputs; i++)
    if (strcmp(m->outputs[i].name, name) == 0) return &m->outputs[i];
  return NULL;
}

static size_t resource_hash(CfgMode mode, const char *type, const char *name) {
  size_t h = 14695981039346656037ULL ^ (size_t)mode; /* FNV-1a over type, '.', name */
  for (const char *s = type; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  h = (h ^ '.') * 1099511628211ULL;
  for (const char *s = name; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

/* The slot where (mode, type, name) is, or the empty one where it would go. */
static size_t resource_slot(const CfgModule *m, CfgMode mode, const char *type, const char *name) {
  size_t i = resource_hash(mode, type, name) & (m->rcap - 1);
  for (; m->rslot[i]; i = (i + 1) & (m->rcap - 1)) {
    const CfgResource *r = &m->resources[m->rslot[i] - 1];
    if (r->mode == mode && strcmp(r->type, type) == 0 && strcmp(r->name, name) == 0) break;
  }
  return i;
}

/* Adds the last resource to the index; references are resolved by name for
** every expression, so a module of n resources must not be searched in n. */
static void index_resource(CfgModule *m) {
  if (2 * m->nresources >= m->rcap) {
    free(m->rslot);
    m->rcap = m->rcap ? 2 * m->rcap : 16;
    m->rslot = xcalloc(m->rcap, sizeof *m->rslot);
    for (size_t i = 0; i + 1 < m->nresources; i++) {
      const CfgResource *r = &m->resources[i];
      m->rslot[resource_slot(m, r->mode, r->type, r->name)] = i + 1;
    }
  }
  const CfgResource *r = &m->resources[m->nresources - 1];
  size_t i = resource_slot(m, r->mode, r->type, r->name);
  if (!m->rslot[i]) m->rslot[i] = m->nresources; /* a duplicate keeps the first */
}

CfgResource *cfg_resource(const CfgModule *m, CfgMode mode, const char *type, const char *name) {
  if (!m->rcap) return NULL;
  size_t i = resource_slot(m, mode, type, name);
  return m->rslot[i] ? &m->resources[m->rslot[i] - 1] : NULL;
}

CfgModuleCall *cfg_call(const CfgModule *m, const char *name) {
  for (size_t i = 0; i < m->ncalls; i++)
    if (strcmp(m->calls[i].name, name) == 0) return &m->calls[i];
  return NULL;
}

char *cfg_resource_addr(const CfgResource *r) {
  const char *mod = r->module->addr;
  return xasprintf("%s%s%s%s.%s", mod, mod[0] ? "." : "", r->mode == CFG_DATA ? "data." : "", r->type, r->name);
}

const char *cfg_module_phrase(const CfgModule *m) {
  (void)m;
  return m->parent ? m->addr : "the root module";
}

void cfg_walk(CfgModule *m, void (*fn)(CfgModule *m, void *ud), void *ud) {
  fn(m, ud);
  for (size_t i = 0; i < m->ncalls; i++)
    if (m->calls[i].child) cfg_walk(m->calls[i].child, fn, ud);
}
