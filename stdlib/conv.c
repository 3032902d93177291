/*
** stdlib/conv.c — type conversion and sensitivity functions: tostring,
** tonumber, tobool, tolist, toset, tomap, sensitive, nonsensitive,
** issensitive, ephemeralasnull.
**
** The to* functions take marks and unknowns as they are (conversion keeps
** both), and word their errors as Terraform's wrappers do.
*/
#include "stdlib/fn.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* cty's FriendlyNameForConstraint: "list of any single type". */
static char *constraint_name(const Type *t) {
  char *s = type_friendly_name_constraint(t);
  char *any = strstr(s, " of any type");
  if (any) {
    char *r = xasprintf("%.*s of any single type%s", (int)(any - s), s, any + strlen(" of any type"));
    free(s);
    return r;
  }
  return s;
}

static Value *to_type(FnCall *c, const Type *want) {
  const Value *v = c->args[0];
  ValConvErr e = {0};
  Value *r = val_convert(v, want, &e);
  if (r) return r;
  val_conv_err_free(&e);
  Value *plain = val_unmark_deep(v);
  if (val_kind(plain) == TY_STRING && val_is_known(plain) && !val_is_null(plain) &&
      (want == T_NUMBER || want == T_BOOL)) {
    char *q = val_quote(val_str(plain), val_str_len(plain));
    const char *shown = fn_show(c, 0, q);
    if (want == T_NUMBER)
      fn_arg_error(c, 0, "cannot convert %s to number; given string must be a decimal representation of a number",
                   shown);
    else
      fn_arg_error(c, 0, "cannot convert %s to bool; only the strings \"true\" or \"false\" are allowed", shown);
    free(q);
  } else {
    char *from = type_friendly_name(val_type(plain)), *to = constraint_name(want);
    fn_arg_error(c, 0, "cannot convert %s to %s", from, to);
    free(from);
    free(to);
  }
  val_free(plain);
  return NULL;
}

static Value *f_tostring(FnCall *c) { return to_type(c, T_STRING); }
static Value *f_tonumber(FnCall *c) { return to_type(c, T_NUMBER); }
static Value *f_tobool(FnCall *c) { return to_type(c, T_BOOL); }
static Value *f_tolist(FnCall *c) { return to_type(c, type_list(T_DYNAMIC)); }
static Value *f_toset(FnCall *c) { return to_type(c, type_set(T_DYNAMIC)); }
static Value *f_tomap(FnCall *c) { return to_type(c, type_map(T_DYNAMIC)); }

static Value *f_sensitive(FnCall *c) { return val_mark_sensitive(c->args[0]); }

/* Terraform no longer rejects a value that was not sensitive. */
static Value *f_nonsensitive(FnCall *c) { return val_unmark(c->args[0]); }

static Value *f_issensitive(FnCall *c) { return val_bool(val_is_sensitive(c->args[0])); }

/* tfc has no ephemeral values, so every value passes through unchanged. */
static Value *f_ephemeralasnull(FnCall *c) { return val_ref(c->args[0]); }

#define ALL (FP_NULL | FP_UNKNOWN | FP_MARKED)

const FnDef fn_defs_conv[] = {
    {"tostring", {{"v", FT_ANY, ALL}}, 1, {0}, FT_STRING, NULL, f_tostring},
    {"tonumber", {{"v", FT_ANY, ALL}}, 1, {0}, FT_NUMBER, NULL, f_tonumber},
    {"tobool", {{"v", FT_ANY, ALL}}, 1, {0}, FT_BOOL, NULL, f_tobool},
    {"tolist", {{"v", FT_ANY, ALL}}, 1, {0}, FT_ANY, NULL, f_tolist},
    {"toset", {{"v", FT_ANY, ALL}}, 1, {0}, FT_ANY, NULL, f_toset},
    {"tomap", {{"v", FT_ANY, ALL}}, 1, {0}, FT_ANY, NULL, f_tomap},
    {"sensitive", {{"value", FT_ANY, ALL}}, 1, {0}, FT_ANY, NULL, f_sensitive},
    {"nonsensitive", {{"value", FT_ANY, ALL}}, 1, {0}, FT_ANY, NULL, f_nonsensitive},
    {"issensitive", {{"value", FT_ANY, ALL}}, 1, {0}, FT_BOOL, NULL, f_issensitive},
    {"ephemeralasnull", {{"value", FT_ANY, ALL}}, 1, {0}, FT_ANY, NULL, f_ephemeralasnull},
    {NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL},
};
