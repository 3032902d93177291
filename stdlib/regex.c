/*
** stdlib/regex.c — regex, regexall and replace.
**
** Terraform's patterns are Go RE2 syntax; PCRE2 is used with the options
** that make it behave like RE2 where the two overlap: UTF-8 mode, `$` only
** at the very end (DOLLAR_ENDONLY), ASCII-only \d \w \s (no UCP). Known
** gaps: PCRE2 also accepts constructs RE2 rejects (backreferences,
** lookaround, possessive quantifiers) and does not guarantee RE2's linear
** time; RE2's \C and \pN one-letter class forms without braces behave the same.
** Error texts for bad patterns come from PCRE2, not Go.
*/
#define PCRE2_CODE_UNIT_WIDTH 8
#include "stdlib/fn.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"

typedef struct Re {
  pcre2_code *code;
  uint32_t ncap;       /* capture groups */
  uint32_t nnamed;     /* named groups */
  char **names;        /* names by group number (1-based), NULL for unnamed */
} Re;

static void re_free(Re *re) {
  if (re->names) {
    for (uint32_t i = 0; i <= re->ncap; i++) free(re->names[i]);
    free(re->names);
  }
  pcre2_code_free(re->code);
}

/* Rejects what RE2 (Go's regexp) rejects but PCRE2 would accept, with
** go-cty's wording ("invalid escape sequence in \\1"): backreferences and
** unknown escapes, Perl group syntax other than (?flags), (?:, (?P<name>
** and (?<name>, nested repetition operators and repeat counts above 1000.
** Returns NULL or a malloc'd message. */
static char *re2_check(const char *p, size_t n) {
  bool after_repeat = false, lazy_taken = false;
  for (size_t i = 0; i < n; i++) {
    char ch = p[i];
    if (ch == '\\' && i + 1 < n) {
      char e = p[i + 1];
      if (e == 'Q') { /* literal text up to \E */
        const char *end = NULL;
        for (size_t k = i + 2; k + 1 < n; k++)
          if (p[k] == '\\' && p[k + 1] == 'E') { end = p + k; break; }
        i = end ? (size_t)(end - p) + 1 : n;
        after_repeat = false;
        continue;
      }
      bool alnum = (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9');
      if (alnum && !strchr("afnrtvxAbBzdDsSwWpP01234567", e)) return xasprintf("invalid escape sequence in \\%c", e);
      if (e >= '1' && e <= '7' && !(i + 2 < n && p[i + 2] >= '0' && p[i + 2] <= '7'))
        return xasprintf("invalid escape sequence in \\%c", e);
      i++;
      after_repeat = false;
      continue;
    }
    if (ch == '[') { /* skip the class, honouring escapes and a leading ] */
      size_t k = i + 1;
      if (k < n && p[k] == '^') k++;
      if (k < n && p[k] == ']') k++;
      while (k < n && p[k] != ']') {
        if (p[k] == '\\') k++;
        else if (p[k] == '[' && k + 1 < n && p[k + 1] == ':') {
          const char *close = strstr(p + k + 2, ":]");
          if (close && (size_t)(close - p) < n) k = (size_t)(close - p) + 1;
        }
        k++;
      }
      i = k;
      after_repeat = false;
      continue;
    }
    if (ch == '(' && i + 1 < n && p[i + 1] == '?') {
      size_t k = i + 2;
      if (k < n && (p[k] == 'P' || p[k] == '<')) {
        size_t s = k + (p[k] == 'P');
        if (s >= n || p[s] != '<') return xasprintf("invalid or unsupported Perl syntax in (?%c", p[k]);
        if (s + 1 < n && (p[s + 1] == '=' || p[s + 1] == '!')) return xstrdup("invalid or unsupported Perl syntax in (?<");
      } else {
        while (k < n && strchr("imsU-", p[k])) k++;
        if (k >= n || (p[k] != ':' && p[k] != ')')) {
          size_t len = k < n ? k - i + 1 : n - i;
          return xasprintf("invalid or unsupported Perl syntax in %.*s", (int)len, p + i);
        }
      }
      after_repeat = false;
      continue;
    }
    if (ch == '*' || ch == '+' || ch == '?' || ch == '{') {
      size_t len = 1;
      if (ch == '{') {
        size_t k = i + 1;
        long lo = -1, hi = -1;
        bool comma = false;
        /* counts are capped well above RE2's 1000 so they cannot overflow */
        while (k < n && p[k] >= '0' && p[k] <= '9') {
          lo = (lo < 0 ? 0 : lo);
          if (lo < 100000) lo = lo * 10 + (p[k] - '0');
          k++;
        }
        if (k < n && p[k] == ',') {
          comma = true;
          k++;
          while (k < n && p[k] >= '0' && p[k] <= '9') {
            hi = (hi < 0 ? 0 : hi);
            if (hi < 100000) hi = hi * 10 + (p[k] - '0');
            k++;
          }
        }
        if (lo < 0 || k >= n || p[k] != '}') {
          /* not a repetition: a literal brace */
          after_repeat = false;
          continue;
        }
        len = k - i + 1;
        if (lo > 1000 || hi > 1000 || (comma && hi >= 0 && hi < lo))
          return xasprintf("invalid repeat count in %.*s", (int)len, p + i);
      }
      if (ch == '?' && after_repeat && !lazy_taken) {
        lazy_taken = true;
        continue;
      }
      if (after_repeat) {
        /* Go names the previous operator and this one */
        size_t st = i;
        while (st > 0 && strchr("*+?}", p[st - 1]) && st > i - 2) st--;
        return xasprintf("invalid nested repetition operator in %.*s", (int)(i - st + len), p + st);
      }
      after_repeat = true;
      lazy_taken = false;
      i += len - 1;
      continue;
    }
    after_repeat = false;
  }
  return NULL;
}

/* A PCRE2 compile error in go-cty's words where the two agree on the
** cause; otherwise PCRE2's own message with its offset. */
static char *pcre_error_text(int err, PCRE2_SIZE off, const char *pat, size_t n) {
  switch (err) {
  case PCRE2_ERROR_MISSING_SQUARE_BRACKET: {
    size_t st = off < n ? off : n;
    while (st > 0 && pat[st - 1] != '[') st--;
    if (st > 0) st--;
    return xasprintf("missing closing ] in %.*s", (int)(n - st), pat + st);
  }
  case PCRE2_ERROR_MISSING_CLOSING_PARENTHESIS: return xasprintf("missing closing ) in %.*s", (int)n, pat);
  case PCRE2_ERROR_UNMATCHED_CLOSING_PARENTHESIS: return xasprintf("unexpected ) in %.*s", (int)n, pat);
  case PCRE2_ERROR_QUANTIFIER_INVALID:
    if (off < n && strchr("*+?{", pat[off])) return xasprintf("missing argument to repetition operator in %c", pat[off]);
    if (off > 0 && off <= n) return xasprintf("missing argument to repetition operator in %c", pat[off - 1]);
    break;
  }
  PCRE2_UCHAR msg[256];
  pcre2_get_error_message(err, msg, sizeof msg);
  return xasprintf("%s at offset %zu", (char *)msg, (size_t)off);
}

/* Compiles pattern argument 0 with cty's rules (no mixing of named and
** unnamed groups); reports an argument error on param 0. */
static bool re_compile(FnCall *c, const Value *pat, Re *re, size_t argi) {
  memset(re, 0, sizeof *re);
  char *bad = re2_check(val_str(pat), val_str_len(pat));
  if (bad) {
    fn_arg_error(c, argi, "invalid regexp pattern: %s", bad);
    free(bad);
    return false;
  }
  int err;
  PCRE2_SIZE off;
  re->code = pcre2_compile((PCRE2_SPTR)val_str(pat), val_str_len(pat),
                           PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, &err, &off, NULL);
  if (!re->code) {
    char *m = pcre_error_text(err, off, val_str(pat), val_str_len(pat));
    fn_arg_error(c, argi, "invalid regexp pattern: %s", m);
    free(m);
    return false;
  }
  pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &re->ncap);
  pcre2_pattern_info(re->code, PCRE2_INFO_NAMECOUNT, &re->nnamed);
  if (re->nnamed) {
    uint32_t esz;
    PCRE2_SPTR tab;
    pcre2_pattern_info(re->code, PCRE2_INFO_NAMEENTRYSIZE, &esz);
    pcre2_pattern_info(re->code, PCRE2_INFO_NAMETABLE, &tab);
    re->names = xcalloc(re->ncap + 1, sizeof *re->names);
    for (uint32_t i = 0; i < re->nnamed; i++) {
      const unsigned char *e = tab + i * esz;
      uint32_t g = ((uint32_t)e[0] << 8) | e[1];
      if (g <= re->ncap && !re->names[g]) re->names[g] = xstrdup((const char *)e + 2);
    }
    if (re->nnamed != re->ncap) {
      re_free(re);
      fn_arg_error(c, argi, "invalid regexp pattern: cannot mix both named and unnamed capture groups");
      return false;
    }
  }
  return true;
}

/* The type of one match: string (no groups), object of strings (named
** groups) or tuple of strings. */
static const Type *match_type(const Re *re) {
  if (re->ncap == 0) return T_STRING;
  const Type **ts = xmalloc(re->ncap * sizeof *ts);
  for (uint32_t i = 0; i < re->ncap; i++) ts[i] = T_STRING;
  const Type *t;
  if (re->nnamed) t = type_object((const char *const *)re->names + 1, ts, re->ncap);
  else t = type_tuple(ts, re->ncap);
  free(ts);
  return t;
}

static Value *match_value(const Re *re, const char *s, PCRE2_SIZE *ov) {
  if (re->ncap == 0) return val_string(s + ov[0], ov[1] - ov[0]);
  Value **vs = xmalloc(re->ncap * sizeof *vs);
  for (uint32_t g = 1; g <= re->ncap; g++) {
    if (ov[2 * g] == PCRE2_UNSET) vs[g - 1] = val_null(T_STRING);
    else vs[g - 1] = val_string(s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
  }
  Value *r = re->nnamed ? val_object((const char *const *)re->names + 1, vs, re->ncap)
                        : val_tuple(vs, re->ncap);
  for (uint32_t i = 0; i < re->ncap; i++) val_free(vs[i]);
  free(vs);
  return r;
}

/* Iterates the non-overlapping matches the way Go's FindAll does: an empty
** match right after the previous match is skipped. cb returns false to stop.
** Returns 0, or PCRE2's error code when matching failed (e.g. its
** backtracking limit, which RE2 would not have). */
typedef bool (*MatchCb)(void *ud, const char *s, PCRE2_SIZE *ov);
static int re_each(const Re *re, const char *s, size_t n, MatchCb cb, void *ud) {
  int status = 0;
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(re->code, NULL);
  size_t pos = 0;
  long prev_end = -1;
  while (pos <= n) {
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, pos, 0, md, NULL);
    if (rc < 0) {
      if (rc != PCRE2_ERROR_NOMATCH) status = rc;
      break;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    bool accept = !(ov[1] == ov[0] && (long)ov[0] == prev_end);
    if (accept && !cb(ud, s, ov)) break;
    if (ov[1] > ov[0]) {
      pos = ov[1];
    } else {
      /* advance one code point past an empty match */
      pos = ov[0] + 1;
      while (pos < n && ((unsigned char)s[pos] & 0xC0) == 0x80) pos++;
    }
    if (accept) prev_end = (long)ov[1];
  }
  pcre2_match_data_free(md);
  return status;
}

static Value *match_failed(FnCall *c, int rc) {
  PCRE2_UCHAR msg[256];
  pcre2_get_error_message(rc, msg, sizeof msg);
  return fn_error(c, "matching the regular expression failed: %s", (char *)msg);
}

typedef struct Collect {
  const Re *re;
  Value **v;
  size_t n, cap;
  bool first_only;
} Collect;

static bool collect_cb(void *ud, const char *s, PCRE2_SIZE *ov) {
  Collect *cl = ud;
  VEC_PUSH(cl->v, cl->n, cl->cap, match_value(cl->re, s, ov));
  return !cl->first_only;
}

static const Type *regex_type(FnCall *c) {
  if (!val_is_known(c->args[0])) return T_DYNAMIC;
  Re re;
  if (!re_compile(c, c->args[0], &re, 0)) return NULL;
  const Type *t = match_type(&re);
  re_free(&re);
  return t;
}

static const Type *regexall_type(FnCall *c) {
  const Type *t = regex_type(c);
  return t ? type_list(t) : NULL;
}

static Value *run_regex(FnCall *c, bool all) {
  Re re;
  if (!re_compile(c, c->args[0], &re, 0)) return NULL;
  Collect cl = {&re, NULL, 0, 0, !all};
  int rc = re_each(&re, val_str(c->args[1]), val_str_len(c->args[1]), collect_cb, &cl);
  Value *r;
  if (rc) {
    r = match_failed(c, rc);
  } else if (all) {
    r = val_list(match_type(&re), cl.v, cl.n);
  } else if (cl.n == 0) {
    r = fn_error(c, "pattern did not match any part of the given string");
  } else {
    r = val_ref(cl.v[0]);
  }
  for (size_t i = 0; i < cl.n; i++) val_free(cl.v[i]);
  free(cl.v);
  re_free(&re);
  return r;
}

static Value *f_regex(FnCall *c) { return run_regex(c, false); }
static Value *f_regexall(FnCall *c) { return run_regex(c, true); }

/* Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; an unknown group
** expands to nothing, a malformed reference is copied as is. */
static void expand(Buf *b, const Re *re, const char *tpl, size_t tn, const char *s, PCRE2_SIZE *ov) {
  for (size_t i = 0; i < tn; i++) {
    if (tpl[i] != '$' || i + 1 >= tn) {
      buf_putc(b, tpl[i]);
      continue;
    }
    if (tpl[i + 1] == '$') {
      buf_putc(b, '$');
      i++;
      continue;
    }
    size_t ns, ne, after;
    if (tpl[i + 1] == '{') {
      ns = i + 2;
      ne = ns;
      while (ne < tn && tpl[ne] != '}') ne++;
      if (ne >= tn || ne == ns) { buf_putc(b, '$'); continue; }
      after = ne + 1;
    } else {
      ns = i + 1;
      ne = ns;
      while (ne < tn && (tpl[ne] == '_' || (tpl[ne] >= '0' && tpl[ne] <= '9') ||
                         (tpl[ne] >= 'a' && tpl[ne] <= 'z') || (tpl[ne] >= 'A' && tpl[ne] <= 'Z')))
        ne++;
      if (ne == ns) { buf_putc(b, '$'); continue; }
      after = ne;
    }
    bool numeric = true;
    long g = 0;
    for (size_t k = ns; k < ne; k++) {
      if (tpl[k] < '0' || tpl[k] > '9' || g > 100000) { numeric = false; break; }
      g = g * 10 + (tpl[k] - '0');
    }
    if (!numeric) {
      g = -1;
      for (uint32_t k = 1; re->names && k <= re->ncap; k++)
        if (re->names[k] && strlen(re->names[k]) == ne - ns && memcmp(re->names[k], tpl + ns, ne - ns) == 0) {
          g = (long)k;
          break;
        }
    }
    if (g >= 0 && (uint32_t)g <= re->ncap && ov[2 * g] != PCRE2_UNSET)
      buf_add(b, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
    i = after - 1;
  }
}

typedef struct ReplaceState {
  const Re *re;
  Buf *out;
  size_t last;
  const char *tpl;
  size_t tn;
} ReplaceState;

static bool replace_cb(void *ud, const char *s, PCRE2_SIZE *ov) {
  ReplaceState *st = ud;
  buf_add(st->out, s + st->last, ov[0] - st->last);
  expand(st->out, st->re, st->tpl, st->tn, s, ov);
  st->last = ov[1];
  return true;
}

/* replace: a substring wrapped in slashes is a regular expression. */
static Value *f_replace(FnCall *c) {
  const char *s = val_str(c->args[0]), *sub = val_str(c->args[1]), *rep = val_str(c->args[2]);
  size_t n = val_str_len(c->args[0]), sn = val_str_len(c->args[1]), rn = val_str_len(c->args[2]);
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  if (sn > 1 && sub[0] == '/' && sub[sn - 1] == '/') {
    Value *pat = val_string(sub + 1, sn - 2);
    char *bad = re2_check(val_str(pat), val_str_len(pat));
    if (bad) {
      val_free(pat);
      buf_free(&b);
      fn_error(c, "error parsing regexp: %s", bad);
      free(bad);
      return NULL;
    }
    Re re;
    memset(&re, 0, sizeof re);
    int err;
    PCRE2_SIZE off;
    re.code = pcre2_compile((PCRE2_SPTR)val_str(pat), val_str_len(pat), PCRE2_UTF | PCRE2_DOLLAR_ENDONLY,
                            &err, &off, NULL);
    val_free(pat);
    if (!re.code) {
      char *m = pcre_error_text(err, off, sub + 1, sn - 2);
      buf_free(&b);
      fn_error(c, "error parsing regexp: %s", m);
      free(m);
      return NULL;
    }
    pcre2_pattern_info(re.code, PCRE2_INFO_CAPTURECOUNT, &re.ncap);
    pcre2_pattern_info(re.code, PCRE2_INFO_NAMECOUNT, &re.nnamed);
    if (re.nnamed) {
      uint32_t esz;
      PCRE2_SPTR tab;
      pcre2_pattern_info(re.code, PCRE2_INFO_NAMEENTRYSIZE, &esz);
      pcre2_pattern_info(re.code, PCRE2_INFO_NAMETABLE, &tab);
      re.names = xcalloc(re.ncap + 1, sizeof *re.names);
      for (uint32_t i = 0; i < re.nnamed; i++) {
        const unsigned char *e = tab + i * esz;
        uint32_t g = ((uint32_t)e[0] << 8) | e[1];
        if (g <= re.ncap && !re.names[g]) re.names[g] = xstrdup((const char *)e + 2);
      }
    }
    ReplaceState st = {&re, &b, 0, rep, rn};
    int rc = re_each(&re, s, n, replace_cb, &st);
    buf_add(&b, s + st.last, n - st.last);
    re_free(&re);
    if (rc) {
      buf_free(&b);
      return match_failed(c, rc);
    }
  } else if (sn == 0) {
    /* Go's strings.Replace with an empty old string inserts at every
    ** code point boundary. */
    buf_add(&b, rep, rn);
    for (size_t i = 0; i < n;) {
      size_t j = i + 1;
      while (j < n && ((unsigned char)s[j] & 0xC0) == 0x80) j++;
      buf_add(&b, s + i, j - i);
      buf_add(&b, rep, rn);
      i = j;
    }
  } else {
    size_t i = 0;
    for (;;) {
      const char *hit = n - i >= sn ? memmem(s + i, n - i, sub, sn) : NULL;
      if (!hit) break;
      buf_add(&b, s + i, (size_t)(hit - s) - i);
      buf_add(&b, rep, rn);
      i = (size_t)(hit - s) + sn;
    }
    buf_add(&b, s + i, n - i);
  }
  Value *r = val_string(b.s, b.len);
  buf_free(&b);
  return r;
}

const FnDef fn_defs_regex[] = {
    {"regex", {{"pattern", FT_STRING, 0}, {"string", FT_STRING, 0}}, 2, {0}, FT_ANY, regex_type, f_regex},
    {"regexall", {{"pattern", FT_STRING, 0}, {"string", FT_STRING, 0}}, 2, {0}, FT_ANY, regexall_type,
     f_regexall},
    {"replace", {{"str", FT_STRING, 0}, {"substr", FT_STRING, 0}, {"replace", FT_STRING, 0}}, 3, {0},
     FT_STRING, NULL, f_replace},
    {NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL},
};
