/*
** stdlib/encoding.c — jsonencode/jsondecode, csvdecode, base64*, urlencode,
** textencodebase64/textdecodebase64, base64gzip.
**
** jsonencode writes its own text instead of printing a cJSON tree because
** the bytes must be Go's encoding/json output (HTML-safe escapes, exact
** number text, sorted keys); jsondecode parses with cJSON, after wrapping
** each number token in quotes so numbers keep their exact decimal text
** (cJSON would round them to doubles).
*/
#include "stdlib/fn.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <iconv.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "base/buf.h"
#include "base/util.h"

/* ------------------------------------------------------------ JSON out */

static void json_string(Buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  buf_putc(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    switch (ch) {
    case '"': buf_puts(b, "\\\""); continue;
    case '\\': buf_puts(b, "\\\\"); continue;
    case '\n': buf_puts(b, "\\n"); continue;
    case '\r': buf_puts(b, "\\r"); continue;
    case '\t': buf_puts(b, "\\t"); continue;
    case '\b': buf_puts(b, "\\b"); continue;
    case '\f': buf_puts(b, "\\f"); continue;
    }
    if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&') {
      char e[7] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15], 0};
      buf_puts(b, e);
      continue;
    }
    /* U+2028 and U+2029 (E2 80 A8/A9) are escaped by Go too. */
    if (ch == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
      buf_puts(b, (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
      i += 2;
      continue;
    }
    buf_putc(b, (char)ch);
  }
  buf_putc(b, '"');
}

static bool json_value(Buf *b, const Value *v) {
  if (!val_is_known(v)) return false;
  if (val_is_null(v)) {
    buf_puts(b, "null");
    return true;
  }
  const Type *t = val_type(v);
  switch (t->kind) {
  case TY_STRING: json_string(b, val_str(v), val_str_len(v)); return true;
  case TY_BOOL: buf_puts(b, val_get_bool(v) ? "true" : "false"); return true;
  case TY_NUMBER: {
    char *s = val_number_text(v);
    buf_puts(b, s);
    free(s);
    return true;
  }
  case TY_LIST: case TY_SET: case TY_TUPLE: {
    buf_putc(b, '[');
    ValIter it = val_iter(v);
    bool first = true;
    while (val_iter_next(&it)) {
      if (!first) buf_putc(b, ',');
      first = false;
      if (!json_value(b, it.elem)) return false;
    }
    buf_putc(b, ']');
    return true;
  }
  case TY_MAP: case TY_OBJECT: {
    buf_putc(b, '{');
    ValIter it = val_iter(v);
    bool first = true;
    while (val_iter_next(&it)) {
      if (!first) buf_putc(b, ',');
      first = false;
      json_string(b, it.key, strlen(it.key));
      buf_putc(b, ':');
      if (!json_value(b, it.elem)) return false;
    }
    buf_putc(b, '}');
    return true;
  }
  case TY_DYNAMIC: return false;
  }
  return false;
}

char *fn_json_encode(const Value *v) {
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  if (!json_value(&b, v)) {
    buf_free(&b);
    return NULL;
  }
  return buf_take(&b);
}

static Value *f_jsonencode(FnCall *c) {
  char *s = fn_json_encode(c->args[0]);
  if (!s) return val_unknown(T_STRING);
  Value *r = val_cstring(s);
  free(s);
  return r;
}

/* ------------------------------------------------------------ JSON in */

/* Marks a number token moved into a string; U+FDD0 is a Unicode
** noncharacter, and a real string starting with it gets the marker
** doubled so the two cannot be confused. */
#define NUM_MARK "\xEF\xB7\x90"

static char *quote_numbers(const char *s, size_t n, bool *raw_control) {
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  size_t i = 0;
  while (i < n) {
    char ch = s[i];
    if (ch == '"') {
      buf_putc(&b, '"');
      i++;
      if (i + 3 <= n && memcmp(s + i, NUM_MARK, 3) == 0) buf_puts(&b, NUM_MARK);
      while (i < n && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < n) buf_putc(&b, s[i++]);
        /* JSON forbids raw control characters in strings; cJSON allows them */
        if ((unsigned char)s[i] < 0x20) *raw_control = true;
        buf_putc(&b, s[i++]);
      }
      if (i < n) buf_putc(&b, s[i++]);
    } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
      size_t j = i;
      while (j < n && strchr("+-.eE0123456789", s[j])) j++;
      buf_putc(&b, '"');
      buf_puts(&b, NUM_MARK);
      buf_add(&b, s + i, j - i);
      buf_putc(&b, '"');
      i = j;
    } else {
      buf_putc(&b, ch);
      i++;
    }
  }
  return buf_take(&b);
}

static bool json_number_ok(const char *s) {
  /* JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
  size_t i = 0;
  if (s[i] == '-') i++;
  if (s[i] == '0') i++;
  else if (s[i] >= '1' && s[i] <= '9') while (s[i] >= '0' && s[i] <= '9') i++;
  else return false;
  if (s[i] == '.') {
    i++;
    if (!(s[i] >= '0' && s[i] <= '9')) return false;
    while (s[i] >= '0' && s[i] <= '9') i++;
  }
  if (s[i] == 'e' || s[i] == 'E') {
    i++;
    if (s[i] == '+' || s[i] == '-') i++;
    if (!(s[i] >= '0' && s[i] <= '9')) return false;
    while (s[i] >= '0' && s[i] <= '9') i++;
  }
  return s[i] == 0;
}

static Value *from_cjson(const cJSON *j, const char **why) {
  if (cJSON_IsNull(j)) return val_null(T_DYNAMIC);
  if (cJSON_IsBool(j)) return val_bool(cJSON_IsTrue(j));
  if (cJSON_IsNumber(j)) return val_number_double(j->valuedouble);
  if (cJSON_IsString(j)) {
    const char *s = j->valuestring;
    if (strncmp(s, NUM_MARK, 3) == 0) {
      s += 3;
      if (strncmp(s, NUM_MARK, 3) != 0) {
        if (!json_number_ok(s)) {
          *why = "invalid number literal";
          return NULL;
        }
        /* -0 is 0 */
        if (s[0] == '-' && strspn(s + 1, "0.") == strcspn(s + 1, "eE")) s++;
        Value *r = val_number_parse(s, strlen(s));
        if (!r) *why = "invalid number literal";
        return r;
      }
    }
    return val_cstring(s);
  }
  size_t n = (size_t)cJSON_GetArraySize(j), i = 0;
  Value **el = xmalloc((n ? n : 1) * sizeof *el);
  const char **names = xmalloc((n ? n : 1) * sizeof *names);
  const cJSON *it;
  Value *r = NULL;
  cJSON_ArrayForEach(it, j) {
    names[i] = it->string;
    /* a number turned into a string by quote_numbers cannot be a key */
    if (names[i] && strncmp(names[i], NUM_MARK, 3) == 0 && strncmp(names[i] + 3, NUM_MARK, 3) != 0) {
      *why = "invalid character looking for beginning of object key string";
      goto out;
    }
    if (names[i] && strncmp(names[i], NUM_MARK NUM_MARK, 6) == 0) names[i] += 3;
    if (!(el[i] = from_cjson(it, why))) goto out;
    i++;
  }
  if (cJSON_IsArray(j)) {
    r = val_tuple(el, n);
  } else {
    /* a repeated key keeps the last value, as Go's decoder does */
    size_t m = 0;
    for (size_t a = 0; a < n; a++) {
      bool later = false;
      for (size_t k = a + 1; k < n && !later; k++) later = strcmp(names[a], names[k]) == 0;
      if (later) {
        val_free(el[a]);
        continue;
      }
      names[m] = names[a];
      el[m++] = el[a];
    }
    i = n = m;
    r = val_object(names, el, n);
  }
out:
  for (size_t k = 0; k < i; k++) val_free(el[k]);
  free(el);
  free(names);
  return r;
}

static Value *f_jsondecode(FnCall *c) {
  bool raw_control = false;
  char *q = quote_numbers(val_str(c->args[0]), val_str_len(c->args[0]), &raw_control);
  const char *end = NULL;
  cJSON *j = raw_control ? NULL : cJSON_ParseWithOpts(q, &end, true);
  free(q);
  if (raw_control) return fn_error(c, "invalid control character in string literal");
  if (!j) {
    if (val_str_len(c->args[0]) == 0) return fn_error(c, "EOF");
    return fn_error(c, "invalid JSON syntax");
  }
  const char *why = NULL;
  Value *r = from_cjson(j, &why);
  cJSON_Delete(j);
  if (!r) return fn_error(c, "%s", why ? why : "invalid JSON");
  return r;
}

/* ------------------------------------------------------------ CSV */

/* RFC 4180 as Go's encoding/csv reads it (which is what Terraform uses):
** quoted fields may hold commas, newlines and doubled quotes; CRLF ends a
** record like LF; every record must have the header's field count. No
** library is used because the error texts must be Go's. */
typedef struct CsvRec {
  char **f;
  size_t n, cap;
} CsvRec;

static void rec_free(CsvRec *r) {
  for (size_t i = 0; i < r->n; i++) free(r->f[i]);
  free(r->f);
  memset(r, 0, sizeof *r);
}

/* Reads one record from s at *pos; returns false at end of input. On a
** syntax error sets *err (static text). */
static bool csv_record(const char *s, size_t n, size_t *pos, CsvRec *rec, const char **err, int *line) {
  size_t i = *pos;
  memset(rec, 0, sizeof *rec);
  /* Go skips empty lines. */
  while (i < n && (s[i] == '\n' || (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))) {
    i += s[i] == '\r' ? 2 : 1;
    (*line)++;
  }
  if (i >= n) return false;
  for (;;) {
    Buf f = BUF_INIT;
    buf_add(&f, "", 0);
    if (i < n && s[i] == '"') {
      i++;
      for (;;) {
        if (i >= n) {
          buf_free(&f);
          rec_free(rec);
          *err = "extraneous or missing \" in quoted-field";
          return false;
        }
        if (s[i] == '"') {
          if (i + 1 < n && s[i + 1] == '"') {
            buf_putc(&f, '"');
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (s[i] == '\n') (*line)++;
        if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') i++; /* Go reads CRLF in a field as LF */
        buf_putc(&f, s[i++]);
      }
      if (i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
        buf_free(&f);
        rec_free(rec);
        *err = "extraneous or missing \" in quoted-field";
        return false;
      }
    } else {
      while (i < n && s[i] != ',' && s[i] != '\n' && !(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')) {
        if (s[i] == '"') {
          buf_free(&f);
          rec_free(rec);
          *err = "bare \" in non-quoted-field";
          return false;
        }
        buf_putc(&f, s[i++]);
      }
    }
    VEC_PUSH(rec->f, rec->n, rec->cap, buf_take(&f));
    if (i < n && s[i] == ',') {
      i++;
      continue;
    }
    if (i < n && s[i] == '\r') i++;
    if (i < n && s[i] == '\n') i++;
    break;
  }
  (*line)++;
  *pos = i;
  return true;
}

static Value *f_csvdecode(FnCall *c) {
  const char *s = val_str(c->args[0]);
  size_t n = val_str_len(c->args[0]), pos = 0;
  const char *err = NULL;
  int line = 1;
  CsvRec hdr;
  if (!csv_record(s, n, &pos, &hdr, &err, &line)) {
    if (err) return fn_error(c, "CSV parse error on line %d: %s", line, err);
    return fn_error(c, "missing header line");
  }
  const Type **ts = xmalloc((hdr.n ? hdr.n : 1) * sizeof *ts);
  for (size_t i = 0; i < hdr.n; i++) ts[i] = T_STRING;
  const Type *ot = type_object((const char *const *)hdr.f, ts, hdr.n);
  free(ts);
  Value **rows = NULL;
  size_t nrows = 0, cap = 0;
  Value *result = NULL;
  for (;;) {
    CsvRec rec;
    int recline = line;
    if (!csv_record(s, n, &pos, &rec, &err, &line)) {
      if (err) fn_error(c, "CSV parse error on line %d: %s", recline, err);
      break;
    }
    if (rec.n != hdr.n) {
      rec_free(&rec);
      fn_error(c, "CSV parse error on line %d: wrong number of fields", recline);
      break;
    }
    Value **vs = xmalloc(rec.n * sizeof *vs);
    for (size_t i = 0; i < rec.n; i++) vs[i] = val_cstring(rec.f[i]);
    VEC_PUSH(rows, nrows, cap, val_object((const char *const *)hdr.f, vs, rec.n));
    for (size_t i = 0; i < rec.n; i++) val_free(vs[i]);
    free(vs);
    rec_free(&rec);
  }
  if (!c->failed) result = val_list(ot, rows, nrows);
  for (size_t i = 0; i < nrows; i++) val_free(rows[i]);
  free(rows);
  rec_free(&hdr);
  return result;
}

/* ------------------------------------------------------------ base64 */

static char *b64_encode(const unsigned char *p, size_t n) {
  char *out = xmalloc(4 * ((n + 2) / 3) + 1);
  EVP_EncodeBlock((unsigned char *)out, p, (int)n);
  out[4 * ((n + 2) / 3)] = 0;
  return out;
}

char *fn_base64(const unsigned char *p, size_t n) { return b64_encode(p, n); }

/* Strict standard base64 with padding, as Go's StdEncoding (which skips
** CR and LF). Returns malloc'd bytes or NULL. */
static unsigned char *b64_decode(const char *s, size_t n, size_t *outn) {
  char *clean = xmalloc(n + 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (ch == '\r' || ch == '\n') continue;
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' ||
              ch == '/' || ch == '=';
    if (!ok) {
      free(clean);
      return NULL;
    }
    clean[k++] = ch;
  }
  clean[k] = 0;
  if (k % 4 != 0) {
    free(clean);
    return NULL;
  }
  size_t pad = 0;
  if (k && clean[k - 1] == '=') pad++;
  if (k > 1 && clean[k - 2] == '=') pad++;
  for (size_t i = 0; i + pad < k; i++)
    if (clean[i] == '=') {
      free(clean);
      return NULL;
    }
  unsigned char *out = xmalloc(k / 4 * 3 + 1);
  int m = k ? EVP_DecodeBlock(out, (const unsigned char *)clean, (int)k) : 0;
  free(clean);
  if (m < 0) {
    free(out);
    return NULL;
  }
  *outn = (size_t)m - pad;
  return out;
}

unsigned char *fn_base64_decode(const char *s, size_t n, size_t *outn) { return b64_decode(s, n, outn); }

static Value *f_base64encode(FnCall *c) {
  char *s = b64_encode((const unsigned char *)val_str(c->args[0]), val_str_len(c->args[0]));
  Value *r = val_cstring(s);
  free(s);
  return r;
}

static Value *f_base64decode(FnCall *c) {
  size_t n;
  unsigned char *d = b64_decode(val_str(c->args[0]), val_str_len(c->args[0]), &n);
  if (!d) {
    char *q = val_quote(val_str(c->args[0]), val_str_len(c->args[0]));
    fn_arg_error(c, 0, "failed to decode base64 data %s", fn_show(c, 0, q));
    free(q);
    return NULL;
  }
  if (!fn_utf8_valid((const char *)d, n)) {
    free(d);
    return fn_arg_error(c, 0, "the result of decoding the provided string is not valid UTF-8");
  }
  Value *r = val_string((const char *)d, n);
  free(d);
  return r;
}

/* gzip laid out as Terraform's Go code writes it: Go's header bytes (no
** name, mtime 0, OS "unknown"), the data compressed and sync-flushed, then
** an empty final stored block (Go flushes before closing). zlib's deflate
** may still choose different bits than Go's for the same data, so the
** output decompresses identically but is not always byte-identical. */
static Value *f_base64gzip(FnCall *c) {
  const char *s = val_str(c->args[0]);
  size_t n = val_str_len(c->args[0]);
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return fn_error(c, "failed to compress");
  size_t cap = deflateBound(&z, n) + 64;
  unsigned char *out = xmalloc(cap + 32);
  static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
  static const unsigned char final_block[5] = {0x01, 0x00, 0x00, 0xff, 0xff};
  memcpy(out, hdr, 10);
  z.next_in = (unsigned char *)s;
  z.avail_in = (uInt)n;
  z.next_out = out + 10;
  z.avail_out = (uInt)cap;
  deflate(&z, Z_SYNC_FLUSH);
  size_t len = 10 + z.total_out;
  deflateEnd(&z);
  memcpy(out + len, final_block, sizeof final_block);
  len += sizeof final_block;
  uLong crc = crc32(0, (const unsigned char *)s, (uInt)n);
  for (int i = 0; i < 4; i++) out[len++] = (unsigned char)(crc >> (8 * i));
  for (int i = 0; i < 4; i++) out[len++] = (unsigned char)((uint32_t)n >> (8 * i));
  char *b = b64_encode(out, len);
  free(out);
  Value *r = val_cstring(b);
  free(b);
  return r;
}

/* Go's url.QueryEscape. */
static Value *f_urlencode(FnCall *c) {
  const char *s = val_str(c->args[0]);
  size_t n = val_str_len(c->args[0]);
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
        ch == '_' || ch == '.' || ch == '~')
      buf_putc(&b, (char)ch);
    else if (ch == ' ')
      buf_putc(&b, '+');
    else
      buf_printf(&b, "%%%02X", ch);
  }
  Value *r = val_string(b.s, b.len);
  buf_free(&b);
  return r;
}

/* ------------------------------------------------------------ text encodings */

/* Converts between UTF-8 and an IANA-named encoding with iconv. Returns
** malloc'd bytes, or NULL with *bad_name set when the name is unknown. */
static char *iconv_conv(const char *to, const char *from, const char *s, size_t n, size_t *outn, bool *bad_name) {
  *bad_name = false;
  iconv_t cd = iconv_open(to, from);
  if (cd == (iconv_t)-1) {
    *bad_name = true;
    return NULL;
  }
  size_t cap = n * 4 + 16;
  char *out = xmalloc(cap);
  char *in = (char *)s, *op = out;
  size_t inl = n, outl = cap;
  size_t rc = iconv(cd, &in, &inl, &op, &outl);
  if (rc != (size_t)-1) rc = iconv(cd, NULL, NULL, &op, &outl);
  iconv_close(cd);
  if (rc == (size_t)-1) {
    free(out);
    return NULL;
  }
  *outn = cap - outl;
  return out;
}

/* glibc's iconv knows most IANA names; UTF-16 with an explicit order must
** not emit a BOM, which the LE/BE names guarantee. */
static bool encoding_ok(const char *name) {
  iconv_t cd = iconv_open("UTF-8", name);
  if (cd == (iconv_t)-1) return false;
  iconv_close(cd);
  return true;
}

static Value *f_textencodebase64(FnCall *c) {
  const char *enc = val_str(c->args[1]);
  if (!encoding_ok(enc))
    return fn_arg_error(c, 1, "\"%s\" is not a supported IANA encoding name or alias in this Terraform version", enc);
  size_t n;
  bool bad;
  char *o = iconv_conv(enc, "UTF-8", val_str(c->args[0]), val_str_len(c->args[0]), &n, &bad);
  if (!o) return fn_arg_error(c, 0, "the given string contains characters that cannot be represented in %s", enc);
  char *b = b64_encode((unsigned char *)o, n);
  free(o);
  Value *r = val_cstring(b);
  free(b);
  return r;
}

static Value *f_textdecodebase64(FnCall *c) {
  const char *enc = val_str(c->args[1]);
  if (!encoding_ok(enc))
    return fn_arg_error(c, 1, "\"%s\" is not a supported IANA encoding name or alias in this Terraform version", enc);
  size_t dn;
  unsigned char *d = b64_decode(val_str(c->args[0]), val_str_len(c->args[0]), &dn);
  if (!d) return fn_arg_error(c, 0, "the given value is has an invalid base64 symbol");
  size_t n;
  bool bad;
  char *o = iconv_conv("UTF-8", enc, (const char *)d, dn, &n, &bad);
  free(d);
  if (!o) return fn_arg_error(c, 0, "the given string contains symbols that are not defined for %s", enc);
  Value *r = val_string(o, n);
  free(o);
  return r;
}

const FnDef fn_defs_encoding[] = {
    {"jsonencode", {{"val", FT_ANY, FP_NULL | FP_UNKNOWN}}, 1, {0}, FT_STRING, NULL, f_jsonencode},
    {"jsondecode", {{"str", FT_STRING, 0}}, 1, {0}, FT_ANY, NULL, f_jsondecode},
    {"csvdecode", {{"str", FT_STRING, 0}}, 1, {0}, FT_ANY, NULL, f_csvdecode},
    {"base64encode", {{"str", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_base64encode},
    {"base64decode", {{"str", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_base64decode},
    {"base64gzip", {{"str", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_base64gzip},
    {"urlencode", {{"str", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_urlencode},
    {"textencodebase64", {{"string", FT_STRING, 0}, {"encoding", FT_STRING, 0}}, 2, {0}, FT_STRING, NULL,
     f_textencodebase64},
    {"textdecodebase64", {{"source", FT_STRING, 0}, {"encoding", FT_STRING, 0}}, 2, {0}, FT_STRING, NULL,
     f_textdecodebase64},
    {NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL},
};
