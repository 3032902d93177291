/*
** cli/console.c — `tfc console`.
**
** Reads one expression per line from standard input, evaluates it and prints
** the value exactly as `terraform console` does (eval/value.h's val_format).
** As in Terraform, piped input stops at the first error with exit status 1;
** on a terminal an error is shown and the prompt comes back. `exit` ends the
** session.
**
** There is no configuration loader yet, so references resolve as in an empty
** root module: path.*, terraform.workspace are known, everything else is
** reported the way Terraform reports an undeclared object.
*/
#include "cli/console.h"
#include "base/util.h"
#include "eval/modtree.h"
#include "eval/vars.h"
#include "providers/provider.h"
#include "state/state.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/util.h"
#include "cli/cli.h"
#include "eval/eval.h"
#include "parser/ast.h"
#include "stdlib/stdlib.h"

static bool step_attr(const EvTraversal *t, size_t i, char **out) {
  if (i >= t->nsteps || t->steps[i].kind != EV_STEP_ATTR) return false;
  *out = xstrndup(t->steps[i].name.s, t->steps[i].name.len);
  return true;
}

static Value *console_resolve(void *ud, const EvTraversal *t, size_t *consumed, DiagList *diags) {
  (void)ud;
  *consumed = 0;
  char *root = xstrndup(t->root.s, t->root.len);
  char *a = NULL, *b = NULL;
  Value *v = NULL;
  SrcRange r = t->range;
  if (!strcmp(root, "var")) {
    if (step_attr(t, 0, &a))
      diag_error(diags, r, "Reference to undeclared input variable",
                 "An input variable with the name \"%s\" has not been declared. This variable can be declared with "
                 "a variable \"%s\" {} block.",
                 a, a);
    else diag_error(diags, r, "Invalid reference", "The \"var\" object does not support this operation.");
  } else if (!strcmp(root, "local")) {
    if (step_attr(t, 0, &a))
      diag_error(diags, r, "Reference to undeclared local value", "A local value with the name \"%s\" has not been declared.", a);
    else diag_error(diags, r, "Invalid reference", "The \"local\" object does not support this operation.");
  } else if (!strcmp(root, "module")) {
    if (step_attr(t, 0, &a))
      diag_error(diags, r, "Reference to undeclared module", "No module call named \"%s\" is declared in the root module.", a);
    else diag_error(diags, r, "Invalid reference", "The \"module\" object cannot be accessed directly. Instead, access one of its attributes.");
  } else if (!strcmp(root, "path")) {
    if (step_attr(t, 0, &a) && (!strcmp(a, "module") || !strcmp(a, "root") || !strcmp(a, "cwd"))) {
      if (!strcmp(a, "cwd")) {
        char cwd[4096];
        v = val_cstring(getcwd(cwd, sizeof cwd) ? cwd : ".");
      } else {
        v = val_cstring(".");
      }
      *consumed = 1;
    } else if (a) {
      diag_error(diags, r, "Invalid \"path\" attribute",
                 "The \"path\" object does not have an attribute named \"%s\". The supported attributes are "
                 "path.cwd, path.module, and path.root.",
                 a);
    } else {
      diag_error(diags, r, "Invalid reference", "The \"path\" object cannot be accessed directly. Instead, access one of its attributes.");
    }
  } else if (!strcmp(root, "terraform")) {
    if (step_attr(t, 0, &a) && !strcmp(a, "workspace")) {
      const char *ws = getenv("TF_WORKSPACE");
      v = val_cstring(ws && *ws ? ws : "default");
      *consumed = 1;
    } else {
      diag_error(diags, r, "Invalid \"terraform\" attribute",
                 "The \"terraform\" object does not have an attribute named \"%s\". The only supported attribute "
                 "is terraform.workspace, the name of the currently-selected workspace.",
                 a ? a : "");
    }
  } else if (!strcmp(root, "count")) {
    diag_error(diags, r, "Reference to \"count\" in non-counted context",
               "The \"count\" object can only be used in \"module\", \"resource\", and \"data\" blocks, and only "
               "when the \"count\" argument is set.");
  } else if (!strcmp(root, "each")) {
    diag_error(diags, r, "Reference to \"each\" in context without for_each",
               "The \"each\" object can be used only in \"module\" or \"resource\" blocks, and only when the "
               "\"for_each\" argument is set.");
  } else if (!strcmp(root, "self")) {
    diag_error(diags, r, "Invalid \"self\" reference",
               "The \"self\" object is not available in this context. This object can be used only in resource "
               "provisioner, connection, and postcondition blocks.");
  } else if (!strcmp(root, "data")) {
    if (step_attr(t, 0, &a) && step_attr(t, 1, &b))
      diag_error(diags, r, "Reference to undeclared resource",
                 "A data resource \"%s\" \"%s\" has not been declared in the root module.", a, b);
    else diag_error(diags, r, "Invalid reference", "The \"data\" object must be followed by two attribute names: the data source type and the resource name.");
  } else {
    if (step_attr(t, 0, &a))
      diag_error(diags, r, "Reference to undeclared resource",
                 "A managed resource \"%s\" \"%s\" has not been declared in the root module.", root, a);
    else
      diag_error(diags, r, "Invalid reference",
                 "A reference to a resource type must be followed by at least one attribute access, specifying "
                 "the resource name.");
  }
  free(root);
  free(a);
  free(b);
  return v;
}

/* Whether text ends inside an open bracket, quoted string, interpolation or
** heredoc, so that the console should read another line (as Terraform's
** console does for multi-line input). Malformed text counts as complete:
** the parser then reports it. */
static bool incomplete(const char *s, size_t n) {
  char stack[256];
  size_t depth = 0;
  size_t i = 0;
  while (i < n) {
    char c = s[i];
    bool in_str = depth && stack[depth - 1] == '"';
    if (in_str) {
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '\n') return false;
      if (c == '"') depth--;
      else if ((c == '$' || c == '%') && i + 1 < n && s[i + 1] == '{') {
        if (i + 2 < n && s[i + 2] == c) {
          i += 3;
          continue;
        }
        if (depth == sizeof stack) return false;
        stack[depth++] = '{';
        i++;
      }
      i++;
      continue;
    }
    if (c == '#' || (c == '/' && i + 1 < n && s[i + 1] == '/')) {
      while (i < n && s[i] != '\n') i++;
      continue;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      const char *e = memmem(s + i + 2, n - i - 2, "*/", 2);
      if (!e) return true;
      i = (size_t)(e - s) + 2;
      continue;
    }
    if (c == '<' && i + 1 < n && s[i + 1] == '<') {
      size_t j = i + 2;
      if (j < n && s[j] == '-') j++;
      size_t ms = j;
      while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '-')) j++;
      if (j > ms && j == n) return true;
      if (j > ms && s[j] == '\n') {
        /* a heredoc: complete only once a line holds just the marker */
        size_t ml = j - ms;
        size_t k = j + 1;
        for (;;) {
          if (k >= n) return true;
          const char *nl = memchr(s + k, '\n', n - k);
          size_t le = nl ? (size_t)(nl - s) : n;
          size_t a = k, z = le;
          while (a < z && (s[a] == ' ' || s[a] == '\t')) a++;
          while (z > a && (s[z - 1] == ' ' || s[z - 1] == '\t' || s[z - 1] == '\r')) z--;
          if (z - a == ml && !memcmp(s + a, s + ms, ml)) {
            i = le;
            break;
          }
          if (!nl) return true;
          k = le + 1;
        }
        continue;
      }
    }
    if (c == '"' || c == '(' || c == '[' || c == '{') {
      if (depth == sizeof stack) return false;
      stack[depth++] = c;
    } else if (c == ')' || c == ']' || c == '}') {
      char want = c == ')' ? '(' : c == ']' ? '[' : '{';
      if (!depth || stack[depth - 1] != want) return false;
      depth--;
    }
    i++;
  }
  return depth > 0;
}

/* One line of input without its newline (malloc'd), or NULL at the end.
** On a terminal, libedit gives line editing and history. */
static char *read_line(bool tty, const char *prompt) {
  if (tty) return readline(prompt);
  char *line = NULL;
  size_t cap = 0;
  if (getline(&line, &cap, stdin) < 0) {
    free(line);
    return NULL;
  }
  return line;
}

static void trim(char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = 0;
}

/* Evaluates one line; prints the value or the diagnostics. */
static void type_text(Buf *b, const Type *t, int indent);

static bool console_line(const char *line, EvScope *scope, bool color) {
  /* a closing heredoc marker needs the newline after it */
  char *text = xasprintf("%s%s", line, strstr(line, "<<") ? "\n" : "");
  size_t len = strlen(text);
  uint32_t file = src_add("<console-input>", text, len);
  Arena arena;
  arena_init(&arena);
  DiagList diags = {0};
  Expr *e = hcl_parse_expr(file, &arena, &diags);
  Value *v = NULL;
  /* type(x) exists only in the console: it shows x's type, not a value */
  bool show_type = e && e->kind == EXPR_CALL && e->u.call.nargs == 1 &&
                   (hcl_str_eq(e->u.call.name, "type") || hcl_str_eq(e->u.call.name, "core::type"));
  if (e && !diag_has_errors(&diags)) v = ev_eval(show_type ? e->u.call.args[0] : e, scope, &diags);
  diag_print_all(&diags, stdout, stderr, color);
  bool ok = v != NULL && !diag_has_errors(&diags);
  if (ok && show_type) {
    Buf tb = BUF_INIT;
    type_text(&tb, val_type(v), 0);
    printf("%s\n", tb.s);
    buf_free(&tb);
  } else if (ok) {
    char *s = val_format(v);
    printf("%s\n", s);
    free(s);
  }
  fflush(stdout);
  val_free(v);
  diag_free(&diags);
  arena_free(&arena);
  return ok;
}

/* How Terraform's console shows a type: object and tuple members one per
** line, four spaces deeper, with trailing commas. */
static void type_text(Buf *b, const Type *t, int indent) {
  switch (t->kind) {
  case TY_DYNAMIC: buf_puts(b, "dynamic"); return;
  case TY_STRING: buf_puts(b, "string"); return;
  case TY_NUMBER: buf_puts(b, "number"); return;
  case TY_BOOL: buf_puts(b, "bool"); return;
  case TY_LIST:
  case TY_SET:
  case TY_MAP:
    buf_puts(b, t->kind == TY_LIST ? "list(" : t->kind == TY_SET ? "set(" : "map(");
    type_text(b, t->elem, indent);
    buf_putc(b, ')');
    return;
  case TY_OBJECT:
  case TY_TUPLE:
    buf_puts(b, t->kind == TY_OBJECT ? "object({" : "tuple([");
    if (t->n) buf_putc(b, '\n');
    for (size_t i = 0; i < t->n; i++) {
      buf_printf(b, "%*s", indent + 4, "");
      if (t->kind == TY_OBJECT) buf_printf(b, "%s: ", t->names[i]);
      type_text(b, t->elems[i], indent + 4);
      buf_puts(b, ",\n");
    }
    if (t->n) buf_printf(b, "%*s", indent, "");
    buf_puts(b, t->kind == TY_OBJECT ? "})" : "])");
    return;
  }
}

/* ---- the configuration and state of the current directory ---- */

typedef struct ConsoleCfg {
  CfgModule *root;
  ModTree *tree;
  StMgr *sm;
} ConsoleCfg;

/* A resource as the state has it: one object, a tuple (count) or an object
** keyed by for_each key; unknown when it is not in the state. */
static Value *console_resource(void *ud, ModEvalRef me, const CfgResource *r, SrcRange rng, DiagList *d) {
  (void)rng;
  (void)d;
  ConsoleCfg *c = ud;
  const ModTree *inst = me->owner;
  const Provider *p = provider_lookup(r->provider);
  const Schema *sch = NULL;
  if (p && r->mode == CFG_MANAGED && provider_resource(p, r->type)) sch = provider_resource(p, r->type)->schema;
  if (p && r->mode == CFG_DATA && provider_data_source(p, r->type)) sch = provider_data_source(p, r->type)->schema;
  const Type *ty = sch ? schema_type(sch) : T_DYNAMIC;
  State *st = c->sm ? st_mgr_state(c->sm) : NULL;
  StResource *sr = st ? st_find_resource(st, inst->path, r->mode == CFG_DATA ? ST_DATA : ST_MANAGED, r->type,
                                         r->name)
                      : NULL;
  if (!sr || !sr->ninst) return (r->count || r->for_each) ? val_unknown(T_DYNAMIC) : val_unknown(ty);
  Value **vals = xcalloc(sr->ninst + 1, sizeof *vals);
  const char **keys = xcalloc(sr->ninst + 1, sizeof *keys);
  size_t n = 0;
  for (size_t i = 0; i < sr->ninst; i++) {
    if (sr->inst[i].deposed) continue;
    char *err = NULL;
    vals[n] = val_from_json(sr->inst[i].attributes, ty, &err);
    free(err);
    if (!vals[n]) vals[n] = val_unknown(ty);
    keys[n] = sr->inst[i].key.s;
    n++;
  }
  Value *out;
  if (r->count) out = val_tuple(vals, n);
  else if (r->for_each) out = val_object(keys, vals, n);
  else out = n ? val_ref(vals[0]) : val_unknown(ty);
  for (size_t i = 0; i < n; i++) val_free(vals[i]);
  free(vals);
  free(keys);
  return out;
}

/* Loads the configuration in the current directory, if it has one, so
** var., local., module. and resource references resolve. */
static bool console_load(ConsoleCfg *c, const VarArg *vars, size_t nvars, DiagList *d) {
  memset(c, 0, sizeof *c);
  c->root = cfg_load(".", d);
  if (!c->root->nfiles || diag_has_errors(d)) return false;
  VarOptions vo = {".", vars, nvars, true};
  Value **vals = vars_collect(c->root, &vo, d);
  char *ws = st_ws_current();
  char *path = st_ws_state_path(ws);
  StOpenOpts so;
  memset(&so, 0, sizeof so);
  so.readonly = true;
  DiagList sd = {0};
  c->sm = st_mgr_open(path, &so, &sd);
  diag_free(&sd);
  ModEvalHooks hooks = {console_resource, modtree_hook_module, NULL, c};
  /* expanded, so module.NAME[KEY] reads that instance's resources */
  c->tree = modtree_new(c->root, vals, ws, false, true, &hooks);
  modtree_bind_inputs(c->tree, d);
  free(path);
  free(ws);
  return true;
}

static void console_unload(ConsoleCfg *c) {
  modtree_free(c->tree);
  if (c->sm) st_mgr_abandon(c->sm);
  cfg_free(c->root);
}

int cmd_console(int argc, char **argv) {
  bool no_color = false;
  VarArg *vars = NULL;
  size_t nvars = 0, capvars = 0;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if (cli_flag(argv[i], "no-color")) no_color = true;
    else if ((v = cli_flag_value(argv[i], "var")) || (cli_flag(argv[i], "var") && i + 1 < argc && (v = argv[++i]))) {
      VarArg va = {false, v};
      VEC_PUSH(vars, nvars, capvars, va);
    } else if ((v = cli_flag_value(argv[i], "var-file")) ||
               (cli_flag(argv[i], "var-file") && i + 1 < argc && (v = argv[++i]))) {
      VarArg va = {true, v};
      VEC_PUSH(vars, nvars, capvars, va);
    } else if (cli_flag(argv[i], "help") || cli_flag(argv[i], "h")) {
      printf("Usage: tfc [global options] console [options]\n\n"
             "  Starts an interactive console for experimenting with Terraform\n"
             "  interpolations.\n\n"
             "  This will open an interactive console that you can use to type\n"
             "  interpolations into and inspect their values. This command loads the\n"
             "  current state. This lets you explore and test interpolations before\n"
             "  using them in future configurations.\n\n"
             "  This command will never modify your state.\n");
      return 0;
    }
  }
  bool tty = isatty(0);
  bool color = diag_color_enabled(stderr, no_color);
  FnCtx fctx = {".", true, ev_render_template, NULL};
  /* STDLIB-MERGE: NULL becomes &ev_stdlib_funcs once the stdlib is merged;
  ** until then a function call reports "Function calls not allowed". */
  EvScope scope = {console_resolve, NULL, &ev_stdlib_funcs, &fctx};
  fctx.ev = &scope;
  ConsoleCfg cc;
  DiagList ld = {0};
  bool have_cfg = console_load(&cc, vars, nvars, &ld);
  if (diag_has_errors(&ld)) {
    diag_print_all(&ld, stdout, stderr, color);
    diag_free(&ld);
    console_unload(&cc);
    free(vars);
    return 1;
  }
  diag_free(&ld);
  if (have_cfg) scope = cc.tree->me->scope;
  char *line = NULL;
  int rc = 0;
  for (;;) {
    line = read_line(tty, "> ");
    if (!line) break;
    trim(line);
    /* keep reading while brackets, strings or a heredoc are still open */
    Buf acc = BUF_INIT;
    buf_puts(&acc, line);
    free(line);
    while (incomplete(acc.s, acc.len)) {
      char *more = read_line(tty, ">> ");
      if (!more) break;
      trim(more);
      buf_putc(&acc, '\n');
      buf_puts(&acc, more);
      free(more);
    }
    line = buf_take(&acc);
    if (tty && *line) add_history(line);
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) {
      free(line);
      continue;
    }
    if (!strcmp(p, "exit")) break;
    if (!strcmp(p, "help")) {
      printf("The Terraform console allows you to experiment with Terraform interpolations.\n"
             "You may access resources in the state (if you have one) just as you would\n"
             "from a configuration. For example: \"aws_instance.foo.id\" would evaluate\n"
             "to the ID of \"aws_instance.foo\" if it exists in your state.\n\n"
             "Type in the interpolation to test and hit <enter> to see the result.\n\n"
             "To exit the console, type \"exit\" and hit <enter>, or use Control-C or\n"
             "Control-D.\n");
      free(line);
      continue;
    }
    if (!console_line(p, &scope, color)) {
      rc = 1;
      if (!tty) break;
    }
    free(line);
    line = NULL;
  }
  if (tty) putchar('\n');
  free(line);
  console_unload(&cc);
  free(vars);
  return rc;
}
