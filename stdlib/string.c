/*
** stdlib/string.c — the string functions (regex ones are in regex.c).
**
** Terraform counts "characters" as Unicode grapheme clusters (length,
** substr, strrev) and changes case per code point (Go's strings.ToUpper and
** friends); utf8proc provides both, so no Unicode table lives here.
*/
#include "stdlib/fn.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/buf.h"
#include "base/util.h"

size_t fn_graphemes(const char *s, size_t n, size_t **starts) {
  size_t cap = n + 1, cnt = 0;
  size_t *st = xmalloc(cap * sizeof *st);
  utf8proc_int32_t prev = -1, state = 0;
  size_t i = 0;
  while (i < n) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0) { cp = 0xFFFD; k = 1; }
    if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state)) st[cnt++] = i;
    prev = cp;
    i += (size_t)k;
  }
  st[cnt] = n;
  *starts = st;
  return cnt;
}

/* Maps every code point through f (upper, lower). */
static Value *map_codepoints(const Value *v, utf8proc_int32_t (*f)(utf8proc_int32_t)) {
  const char *s = val_str(v);
  size_t n = val_str_len(v), i = 0;
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  while (i < n) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0) { buf_putc(&b, s[i]); i++; continue; }
    utf8proc_uint8_t out[4];
    utf8proc_ssize_t m = utf8proc_encode_char(f(cp), out);
    buf_add(&b, (const char *)out, (size_t)m);
    i += (size_t)k;
  }
  Value *r = val_string(b.s, b.len);
  buf_free(&b);
  return r;
}

/* Go's unicode.ToUpper has no mapping for U+00DF (sharp s); utf8proc maps
** it to U+1E9E, so it is kept as is here. */
static utf8proc_int32_t go_toupper(utf8proc_int32_t cp) { return cp == 0xDF ? cp : utf8proc_toupper(cp); }

static Value *f_upper(FnCall *c) { return map_codepoints(c->args[0], go_toupper); }
static Value *f_lower(FnCall *c) { return map_codepoints(c->args[0], utf8proc_tolower); }

/* Go's strings.Title word boundaries: ASCII letters, digits and '_' are
** word characters, other ASCII is a separator, and beyond ASCII letters,
** digits and marks are word characters and spaces separate. */
static bool title_sep(utf8proc_int32_t cp) {
  if (cp < 0x80) {
    if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_')
      return false;
    return true;
  }
  utf8proc_category_t cat = utf8proc_category(cp);
  if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ND) return false; /* L*, M*, Nd */
  if (cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO) return false;
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP ||
         cp == 0x85;
}

static Value *f_title(FnCall *c) {
  const char *s = val_str(c->args[0]);
  size_t n = val_str_len(c->args[0]), i = 0;
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  bool prev_sep = true;
  while (i < n) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0) { buf_putc(&b, s[i]); i++; continue; }
    utf8proc_int32_t o = prev_sep && cp != 0xDF ? utf8proc_totitle(cp) : cp; /* as go_toupper */
    utf8proc_uint8_t out[4];
    utf8proc_ssize_t m = utf8proc_encode_char(o, out);
    buf_add(&b, (const char *)out, (size_t)m);
    prev_sep = title_sep(cp);
    i += (size_t)k;
  }
  Value *r = val_string(b.s, b.len);
  buf_free(&b);
  return r;
}

static Value *f_strrev(FnCall *c) {
  const char *s = val_str(c->args[0]);
  size_t n = val_str_len(c->args[0]);
  size_t *st;
  size_t g = fn_graphemes(s, n, &st);
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  for (size_t k = g; k-- > 0;) buf_add(&b, s + st[k], st[k + 1] - st[k]);
  free(st);
  Value *r = val_string(b.s, b.len);
  buf_free(&b);
  return r;
}

static Value *f_substr(FnCall *c) {
  int64_t off, len;
  if (!fn_int_arg(c, 1, &off, false) || !fn_int_arg(c, 2, &len, false)) return NULL;
  const char *s = val_str(c->args[0]);
  size_t n = val_str_len(c->args[0]);
  size_t *st;
  int64_t g = (int64_t)fn_graphemes(s, n, &st);
  if (off < 0) {
    off += g;
    if (off < 0) off = 0;
    /* go-cty only short-circuits a zero length for a non-negative offset;
    ** with a negative one a zero length takes the rest of the string. */
    if (len == 0) len = -1;
  }
  if (off > g) off = g;
  int64_t end = len < 0 ? g : off + len;
  if (end > g) end = g;
  Value *r = val_string(s + st[off], st[end] - st[off]);
  free(st);
  return r;
}

/* Go's unicode.IsSpace. */
static bool go_space(utf8proc_int32_t cp) {
  switch (cp) {
  case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case 0x85: case 0xA0:
    return true;
  }
  if (cp < 0x100) return false;
  utf8proc_category_t cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

/* Decodes the code point before byte offset end. */
static size_t prev_cp(const char *s, size_t end, utf8proc_int32_t *cp) {
  size_t st = end - 1;
  while (st > 0 && ((unsigned char)s[st] & 0xC0) == 0x80 && end - st < 4) st--;
  if (utf8proc_iterate((const utf8proc_uint8_t *)s + st, (utf8proc_ssize_t)(end - st), cp) <= 0) {
    *cp = (unsigned char)s[end - 1];
    return end - 1;
  }
  return st;
}

static bool in_cutset(utf8proc_int32_t cp, const char *cut, size_t cn) {
  size_t i = 0;
  while (i < cn) {
    utf8proc_int32_t x;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)cut + i, (utf8proc_ssize_t)(cn - i), &x);
    if (k <= 0) { k = 1; x = (unsigned char)cut[i]; }
    if (x == cp) return true;
    i += (size_t)k;
  }
  return false;
}

/* Trims leading and trailing code points for which keep() says "remove". */
static Value *trim_by(const Value *v, bool (*rm)(utf8proc_int32_t, const char *, size_t), const char *cut,
                      size_t cn) {
  const char *s = val_str(v);
  size_t n = val_str_len(v), a = 0, z = n;
  while (a < z) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + a, (utf8proc_ssize_t)(z - a), &cp);
    if (k <= 0) break;
    if (!rm(cp, cut, cn)) break;
    a += (size_t)k;
  }
  while (z > a) {
    utf8proc_int32_t cp;
    size_t st = prev_cp(s, z, &cp);
    if (!rm(cp, cut, cn)) break;
    z = st;
  }
  return val_string(s + a, z - a);
}

static bool rm_space(utf8proc_int32_t cp, const char *cut, size_t cn) {
  (void)cut; (void)cn;
  return go_space(cp);
}

static Value *f_trimspace(FnCall *c) { return trim_by(c->args[0], rm_space, NULL, 0); }
static Value *f_trim(FnCall *c) {
  return trim_by(c->args[0], in_cutset, val_str(c->args[1]), val_str_len(c->args[1]));
}

static Value *f_trimprefix(FnCall *c) {
  const char *s = val_str(c->args[0]), *p = val_str(c->args[1]);
  size_t n = val_str_len(c->args[0]), pn = val_str_len(c->args[1]);
  if (pn <= n && memcmp(s, p, pn) == 0) return val_string(s + pn, n - pn);
  return val_ref(c->args[0]);
}

static Value *f_trimsuffix(FnCall *c) {
  const char *s = val_str(c->args[0]), *p = val_str(c->args[1]);
  size_t n = val_str_len(c->args[0]), pn = val_str_len(c->args[1]);
  if (pn <= n && memcmp(s + n - pn, p, pn) == 0) return val_string(s, n - pn);
  return val_ref(c->args[0]);
}

static Value *f_startswith(FnCall *c) {
  size_t n = val_str_len(c->args[0]), pn = val_str_len(c->args[1]);
  return val_bool(pn <= n && memcmp(val_str(c->args[0]), val_str(c->args[1]), pn) == 0);
}

static Value *f_endswith(FnCall *c) {
  size_t n = val_str_len(c->args[0]), pn = val_str_len(c->args[1]);
  return val_bool(pn <= n && memcmp(val_str(c->args[0]) + n - pn, val_str(c->args[1]), pn) == 0);
}

static Value *f_strcontains(FnCall *c) {
  size_t n = val_str_len(c->args[0]), pn = val_str_len(c->args[1]);
  if (pn == 0) return val_bool(true);
  return val_bool(memmem(val_str(c->args[0]), n, val_str(c->args[1]), pn) != NULL);
}

/* chomp removes every trailing "\n", "\r\n" or "\r". */
static Value *f_chomp(FnCall *c) {
  const char *s = val_str(c->args[0]);
  size_t n = val_str_len(c->args[0]);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
  return val_string(s, n);
}

static Value *f_indent(FnCall *c) {
  int64_t sp;
  if (!fn_int_arg(c, 0, &sp, true)) return NULL;
  /* Go's strings.Repeat panics and go-cty reports the panic. */
  if (sp < 0) return fn_error(c, "panic in function implementation: strings: negative Repeat count");
  const char *s = val_str(c->args[1]);
  size_t n = val_str_len(c->args[1]);
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  for (size_t i = 0; i < n; i++) {
    buf_putc(&b, s[i]);
    if (s[i] == '\n')
      for (int64_t k = 0; k < sp; k++) buf_putc(&b, ' ');
  }
  Value *r = val_string(b.s, b.len);
  buf_free(&b);
  return r;
}

static Value *f_split(FnCall *c) {
  const char *sep = val_str(c->args[0]), *s = val_str(c->args[1]);
  size_t sn = val_str_len(c->args[0]), n = val_str_len(c->args[1]);
  Value **parts = NULL;
  size_t np = 0, cap = 0;
  if (sn == 0) {
    /* Go splits into UTF-8 sequences. */
    size_t i = 0;
    while (i < n) {
      utf8proc_int32_t cp;
      utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
      if (k <= 0) k = 1;
      VEC_PUSH(parts, np, cap, val_string(s + i, (size_t)k));
      i += (size_t)k;
    }
  } else {
    size_t i = 0;
    for (;;) {
      const char *hit = n - i >= sn ? memmem(s + i, n - i, sep, sn) : NULL;
      size_t end = hit ? (size_t)(hit - s) : n;
      VEC_PUSH(parts, np, cap, val_string(s + i, end - i));
      if (!hit) break;
      i = end + sn;
    }
  }
  Value *r = val_list(T_STRING, parts, np);
  for (size_t i = 0; i < np; i++) val_free(parts[i]);
  free(parts);
  return r;
}

static Value *f_join(FnCall *c) {
  if (c->nargs < 2) return fn_error(c, "at least one list is required");
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  size_t k = 0;
  for (size_t a = 1; a < c->nargs; a++) {
    ValIter it = val_iter(c->args[a]);
    while (val_iter_next(&it)) {
      if (val_is_null(it.elem)) {
        buf_free(&b);
        return fn_arg_error(c, a, "element %zu is null; cannot concatenate null values", k);
      }
      if (k++) buf_add(&b, val_str(c->args[0]), val_str_len(c->args[0]));
      buf_add(&b, val_str(it.elem), val_str_len(it.elem));
    }
  }
  Value *r = val_string(b.s, b.len);
  buf_free(&b);
  return r;
}

const FnDef fn_defs_string[] = {
    {"upper", {{"str", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_upper},
    {"lower", {{"str", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_lower},
    {"title", {{"str", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_title},
    {"strrev", {{"str", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_strrev},
    {"substr", {{"str", FT_STRING, 0}, {"offset", FT_NUMBER, 0}, {"length", FT_NUMBER, 0}}, 3, {0},
     FT_STRING, NULL, f_substr},
    {"trimspace", {{"str", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_trimspace},
    {"trim", {{"str", FT_STRING, 0}, {"cutset", FT_STRING, 0}}, 2, {0}, FT_STRING, NULL, f_trim},
    {"trimprefix", {{"str", FT_STRING, 0}, {"prefix", FT_STRING, 0}}, 2, {0}, FT_STRING, NULL,
     f_trimprefix},
    {"trimsuffix", {{"str", FT_STRING, 0}, {"suffix", FT_STRING, 0}}, 2, {0}, FT_STRING, NULL,
     f_trimsuffix},
    {"startswith", {{"str", FT_STRING, 0}, {"prefix", FT_STRING, 0}}, 2, {0}, FT_BOOL, NULL,
     f_startswith},
    {"endswith", {{"str", FT_STRING, 0}, {"suffix", FT_STRING, 0}}, 2, {0}, FT_BOOL, NULL, f_endswith},
    {"strcontains", {{"str", FT_STRING, 0}, {"substr", FT_STRING, 0}}, 2, {0}, FT_BOOL, NULL,
     f_strcontains},
    {"chomp", {{"str", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_chomp},
    {"indent", {{"spaces", FT_NUMBER, 0}, {"str", FT_STRING, 0}}, 2, {0}, FT_STRING, NULL, f_indent},
    {"split", {{"separator", FT_STRING, 0}, {"str", FT_STRING, 0}}, 2, {0}, FT_LIST_STRING, NULL,
     f_split},
    {"join", {{"separator", FT_STRING, 0}}, 1, {"lists", FT_LIST_STRING, 0}, FT_STRING, NULL, f_join},
    {NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL},
};
