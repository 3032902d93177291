/*
** eval/vars.c — root module input variables from every source; see vars.h.
*/
#include "eval/vars.h"
#include "base/util.h"
#include "eval/eval.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

extern char **environ;

typedef struct Raw {
  Value *value;          /* unconverted */
  SrcRange range;        /* where it was set (file sources), else file 0 */
  const char *source;    /* for messages: "file \"x\"", "the command line", "an environment variable" */
} Raw;

typedef struct Collect {
  CfgModule *root;
  Raw *raw;              /* parallel to root->vars */
  DiagList *d;
  size_t undeclared_warnings, undeclared_extra;
  Arena arena;           /* for parsing -var values */
} Collect;

static long var_index(CfgModule *m, const char *name) {
  for (size_t i = 0; i < m->nvars; i++)
    if (strcmp(m->vars[i].name, name) == 0) return (long)i;
  return -1;
}

static void set_raw(Collect *c, size_t i, Value *v, SrcRange r, const char *source) {
  val_free(c->raw[i].value);
  c->raw[i].value = v;
  c->raw[i].range = r;
  c->raw[i].source = source;
}

static void undeclared_in_file(Collect *c, const char *name, const char *file, SrcRange r) {
  /* after two of these, Terraform collapses the rest into one summary */
  if (c->undeclared_warnings >= 2) {
    c->undeclared_extra++;
    return;
  }
  c->undeclared_warnings++;
  diag_add(c->d, DIAG_WARNING, &r, "Value for undeclared variable",
           "The root module does not declare a variable named \"%s\" but a value was found in file \"%s\". If you "
           "meant to use this value, add a \"variable\" block to the configuration.\n\nTo silence these warnings, use "
           "TF_VAR_... environment variables to provide certain \"global\" settings to all configurations in your "
           "organization. To reduce the verbosity of these warnings, use the -compact-warnings option.",
           name, file);
}

/* A tfvars file in HCL: attributes only, constant expressions. */
static void load_tfvars_hcl(Collect *c, const char *path, bool required) {
  size_t len;
  char *bytes = read_file(path, &len);
  if (!bytes) {
    if (required || errno != ENOENT)
      diag_add(c->d, DIAG_ERROR, NULL, "Failed to read variables file", "Given variables file %s does not exist.", path);
    return;
  }
  uint32_t id = src_add(path, bytes, len);
  HclFile *f = hcl_parse(id, c->d);
  for (size_t i = 0; i < f->body->nitems; i++) {
    Attribute *a = f->body->items[i].attr;
    if (!a) {
      Block *b = f->body->items[i].block;
      diag_error(c->d, b->type_range, "Unexpected block",
                 "Blocks are not allowed here: a variables file may only assign values to variables (NAME = VALUE).");
      continue;
    }
    char *name = xstrndup(a->name.s, a->name.len);
    DiagList ed = {0};
    Value *v = ev_eval_const(a->expr, &ed);
    if (!v) {
      /* references in a tfvars file: Terraform says variables are not allowed */
      diag_error(c->d, a->expr->range, "Variables not allowed",
                 "Variables may not be used here: a variables file holds literal values only.");
      diag_free(&ed);
      free(name);
      continue;
    }
    diag_free(&ed);
    long k = var_index(c->root, name);
    SrcRange r = a->name_range;
    r.end = a->expr->range.end;
    if (k < 0) {
      undeclared_in_file(c, name, path, r);
      val_free(v);
    } else {
      set_raw(c, (size_t)k, v, r, "file");
    }
    free(name);
  }
  /* the parsed tree dies here; ranges stay valid through the source registry */
  hcl_file_free(f);
}

static void load_tfvars_json(Collect *c, const char *path, bool required) {
  size_t len;
  char *bytes = read_file(path, &len);
  if (!bytes) {
    if (required || errno != ENOENT)
      diag_add(c->d, DIAG_ERROR, NULL, "Failed to read variables file", "Given variables file %s does not exist.", path);
    return;
  }
  cJSON *j = cJSON_ParseWithLength(bytes, len);
  uint32_t id = src_add(path, bytes, len);
  SrcRange whole = src_range(id, 0, (uint32_t)len);
  if (!j || !cJSON_IsObject(j)) {
    diag_error(c->d, whole, "Invalid variables file",
               "A JSON variables file must contain a single object whose properties are variable names.");
    cJSON_Delete(j);
    return;
  }
  for (cJSON *it = j->child; it; it = it->next) {
    char *err = NULL;
    Value *v = val_from_json(it, T_DYNAMIC, &err);
    if (!v) {
      diag_error(c->d, whole, "Invalid variables file", "The value of \"%s\" could not be read: %s.", it->string,
                 err ? err : "invalid JSON value");
      free(err);
      continue;
    }
    long k = var_index(c->root, it->string);
    if (k < 0) {
      undeclared_in_file(c, it->string, path, whole);
      val_free(v);
    } else {
      set_raw(c, (size_t)k, v, whole, "file");
    }
  }
  cJSON_Delete(j);
}

static bool has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), k = strlen(suf);
  return n >= k && strcmp(s + n - k, suf) == 0;
}

static void load_var_file(Collect *c, const char *path, bool required) {
  if (has_suffix(path, ".json")) load_tfvars_json(c, path, required);
  else load_tfvars_hcl(c, path, required);
}

/* -var and TF_VAR_ values are text: taken literally for primitive (or
** untyped) variables, parsed as an HCL expression for complex types. */
static Value *parse_text_value(Collect *c, const CfgVariable *v, const char *text, const char *origin) {
  const Type *t = v->type;
  if (t == T_DYNAMIC || type_is_primitive(t)) return val_cstring(text);
  char *name = xasprintf("<value for var.%s>", v->name);
  uint32_t id = src_add(name, xstrdup(text), strlen(text));
  free(name);
  DiagList ed = {0};
  Expr *e = hcl_parse_expr(id, &c->arena, &ed);
  Value *val = e && !diag_has_errors(&ed) ? ev_eval_const(e, &ed) : NULL;
  if (!val) {
    diag_add(c->d, DIAG_ERROR, NULL, "Invalid value for input variable",
             "The value given for var.%s %s is not a valid expression for its type %s.", v->name, origin,
             type_expr_string(t));
  }
  diag_free(&ed);
  return val;
}

static void load_env(Collect *c) {
  for (char **e = environ; *e; e++) {
    if (strncmp(*e, "TF_VAR_", 7) != 0) continue;
    const char *eq = strchr(*e, '=');
    if (!eq) continue;
    char *name = xstrndup(*e + 7, (size_t)(eq - *e - 7));
    long k = var_index(c->root, name);
    if (k >= 0) {
      Value *v = parse_text_value(c, &c->root->vars[k], eq + 1, "in an environment variable");
      if (v) set_raw(c, (size_t)k, v, src_range(0, 0, 0), "env");
    }
    free(name);
  }
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void load_auto_files(Collect *c, const char *dir) {
  DIR *dp = opendir(dir);
  if (!dp) return;
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(dp)) != NULL)
    if (has_suffix(e->d_name, ".auto.tfvars") || has_suffix(e->d_name, ".auto.tfvars.json"))
      VEC_PUSH(names, n, cap, xstrdup(e->d_name));
  closedir(dp);
  if (n) qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n; i++) {
    char *p = strcmp(dir, ".") == 0 ? xstrdup(names[i]) : xasprintf("%s/%s", dir, names[i]);
    load_var_file(c, p, true);
    free(p);
    free(names[i]);
  }
  free(names);
}

static char *in_dir(const char *dir, const char *name) {
  return strcmp(dir, ".") == 0 ? xstrdup(name) : xasprintf("%s/%s", dir, name);
}

Value **vars_collect(CfgModule *root, const VarOptions *o, DiagList *d) {
  Collect c;
  memset(&c, 0, sizeof c);
  c.root = root;
  c.d = d;
  c.raw = xcalloc(root->nvars + 1, sizeof *c.raw);
  arena_init(&c.arena);
  const char *dir = o->dir ? o->dir : ".";
  load_env(&c);
  char *p = in_dir(dir, "terraform.tfvars");
  load_var_file(&c, p, false);
  free(p);
  p = in_dir(dir, "terraform.tfvars.json");
  load_var_file(&c, p, false);
  free(p);
  load_auto_files(&c, dir);
  for (size_t i = 0; i < o->nargs; i++) {
    const VarArg *a = &o->args[i];
    if (a->is_file) {
      load_var_file(&c, a->text, true);
      continue;
    }
    const char *eq = strchr(a->text, '=');
    if (!eq || eq == a->text) {
      diag_add(d, DIAG_ERROR, NULL, "Invalid -var option",
               "The given -var option \"%s\" is not correctly specified. It must be a variable name and value separated "
               "by an equals sign, like -var=\"key=value\".", a->text);
      continue;
    }
    char *name = xstrndup(a->text, (size_t)(eq - a->text));
    long k = var_index(root, name);
    if (k < 0) {
      diag_add(d, DIAG_ERROR, NULL, "Value for undeclared variable",
               "A variable named \"%s\" was assigned on the command line, but the root module does not declare a "
               "variable of that name. To use this value, add a \"variable\" block to the configuration.", name);
    } else {
      Value *v = parse_text_value(&c, &root->vars[k], eq + 1, "on the command line");
      if (v) set_raw(&c, (size_t)k, v, src_range(0, 0, 0), "cli");
    }
    free(name);
  }
  if (c.undeclared_extra)
    diag_add(d, DIAG_WARNING, NULL, "Values for undeclared variables",
             "In addition to the other similar warnings shown, %zu other variable(s) defined without being declared.",
             c.undeclared_extra);

  Value **out = xcalloc(root->nvars + 1, sizeof *out);
  for (size_t i = 0; i < root->nvars; i++) {
    CfgVariable *v = &root->vars[i];
    Raw *r = &c.raw[i];
    if (!r->value) {
      if (v->default_value) out[i] = val_ref(v->default_value);
      else if (v->default_expr) out[i] = NULL; /* invalid default, reported at load */
      else if (!o->allow_unset)
        diag_error(d, v->decl_range, "No value for required variable",
                   "The root module input variable \"%s\" is not set, and has no default value. Use a -var or -var-file "
                   "command line argument to provide a value for this variable.", v->name);
      continue;
    }
    Value *given = r->value;
    if (val_is_null(given) && !v->nullable) {
      if (v->default_value) {
        out[i] = val_ref(v->default_value);
        continue;
      }
      diag_add(d, DIAG_ERROR, r->range.file ? &r->range : &v->decl_range, "Required variable not set",
               "Unsuitable value for var.%s set from outside of the configuration: required variable may not be set to "
               "null.", v->name);
      continue;
    }
    Value *withdef = v->defaults ? val_apply_defaults(given, v->defaults) : val_ref(given);
    ValConvErr ce = {0};
    Value *conv = val_convert(withdef, v->type, &ce);
    val_free(withdef);
    if (!conv) {
      char *msg = val_conv_err_text(&ce);
      SrcPos p0 = src_pos(v->decl_range.file, v->decl_range.start);
      SrcPos p1 = src_pos(v->decl_range.file, v->decl_range.end);
      SrcFile *f = src_get(v->decl_range.file);
      diag_add(d, DIAG_ERROR, r->range.file ? &r->range : NULL, "Invalid value for input variable",
               "The given value is not suitable for var.%s declared at %s:%d,%d-%d: %s.", v->name, f ? f->path : "?",
               p0.line, p0.column, p1.column, msg);
      free(msg);
      val_conv_err_free(&ce);
      continue;
    }
    if (v->sensitive) {
      Value *s = val_mark_sensitive(conv);
      val_free(conv);
      conv = s;
    }
    out[i] = conv;
  }
  for (size_t i = 0; i < root->nvars; i++) val_free(c.raw[i].value);
  free(c.raw);
  arena_free(&c.arena);
  return out;
}

void vars_free(Value **vals, size_t n) {
  if (!vals) return;
  for (size_t i = 0; i < n; i++) val_free(vals[i]);
  free(vals);
}
