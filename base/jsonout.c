/*
** base/jsonout.c — JSON printing with Node's or Go's conventions; see jsonout.h.
*/
#include "base/jsonout.h"
#include "base/buf.h"
#include "base/util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int key_cmp(const void *a, const void *b) {
  const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
  return strcmp(x->string, y->string);
}

static void print_string(Buf *b, const char *s, int flags) {
  buf_putc(b, '"');
  const unsigned char *p = (const unsigned char *)s, *run = p;
  for (;; p++) {
    unsigned char c = *p;
    /* Go's encoder also escapes U+2028 and U+2029 (E2 80 A8/A9) */
    bool go_sep = (flags & JSON_HTML_ESCAPE) && c == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9);
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0xC0 && !go_sep &&
        !((flags & JSON_HTML_ESCAPE) && (c == '<' || c == '>' || c == '&')))
      continue;
    buf_add(b, (const char *)run, (size_t)(p - run));
    run = p + 1;
    if (!c) break;
    switch (c) {
    case '"': buf_puts(b, "\\\""); break;
    case '\\': buf_puts(b, "\\\\"); break;
    case '\n': buf_puts(b, "\\n"); break;
    case '\r': buf_puts(b, "\\r"); break;
    case '\t': buf_puts(b, "\\t"); break;
    case '\b': buf_puts(b, "\\b"); break;
    case '\f': buf_puts(b, "\\f"); break;
    case 0xE2:
      buf_puts(b, p[2] == 0xA8 ? "\\u2028" : "\\u2029");
      p += 2;
      run = p + 1;
      break;
    case 0xC0:
      if (p[1] == 0x80) {
        buf_puts(b, "\\u0000");
        p++;
        run = p + 1;
      } else {
        buf_putc(b, (char)c);
      }
      break;
    default:
      buf_printf(b, "\\u%04x", c);
      break;
    }
  }
  buf_putc(b, '"');
}

/* Shortest text that reads back as the same double, laid out the way
** JavaScript's Number#toString does (the oracle is printed by Node). */
static void print_number(Buf *b, double d) {
  if (d == 0) {
    buf_putc(b, '0');
    return;
  }
  char tmp[64];
  int prec;
  for (prec = 1; prec <= 17; prec++) {
    snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
    if (strtod(tmp, NULL) == d) break;
  }
  /* tmp is [-]D[.DDD]e[+-]XX: collect the digits and the exponent */
  char digits[32];
  int k = 0;
  const char *p = tmp;
  if (*p == '-') {
    buf_putc(b, '-');
    p++;
  }
  for (; *p && *p != 'e'; p++)
    if (*p != '.') digits[k++] = *p;
  digits[k] = 0;
  int n = atoi(p + 1) + 1; /* value = 0.DIGITS x 10^n */
  if (k <= n && n <= 21) {
    buf_puts(b, digits);
    for (int i = k; i < n; i++) buf_putc(b, '0');
  } else if (0 < n && n <= 21) {
    buf_add(b, digits, (size_t)n);
    buf_putc(b, '.');
    buf_puts(b, digits + n);
  } else if (-6 < n && n <= 0) {
    buf_puts(b, "0.");
    for (int i = 0; i < -n; i++) buf_putc(b, '0');
    buf_puts(b, digits);
  } else {
    buf_putc(b, digits[0]);
    if (k > 1) {
      buf_putc(b, '.');
      buf_puts(b, digits + 1);
    }
    buf_printf(b, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
  }
}

/* Go's float64 formatting in encoding/json: integers in full below 1e21,
** shortest round-trip digits otherwise, exponent form outside [1e-6, 1e21). */
static void print_go_number(Buf *b, double d) {
  double a = d < 0 ? -d : d;
  if (a != 0 && (a < 1e-6 || a >= 1e21)) {
    char tmp[64];
    for (int prec = 1; prec <= 17; prec++) {
      snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
      if (strtod(tmp, NULL) == d) break;
    }
    /* C writes e-07 and e+21; Go writes e-7 and e+21 */
    char *e = strchr(tmp, 'e');
    if (e && e[2] == '0' && e[3]) memmove(e + 2, e + 3, strlen(e + 3) + 1);
    buf_puts(b, tmp);
    return;
  }
  print_number(b, d);
}

static void print_value(Buf *b, const cJSON *v, int indent, int flags) {
  if (cJSON_IsNull(v)) buf_puts(b, "null");
  else if (cJSON_IsTrue(v)) buf_puts(b, "true");
  else if (cJSON_IsFalse(v)) buf_puts(b, "false");
  else if (cJSON_IsNumber(v)) ((flags & JSON_GO_NUMBERS) ? print_go_number : print_number)(b, v->valuedouble);
  else if (cJSON_IsString(v)) print_string(b, v->valuestring, flags);
  else if (cJSON_IsRaw(v)) buf_puts(b, v->valuestring);
  else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
    bool obj = cJSON_IsObject(v);
    size_t n = 0;
    for (const cJSON *c = v->child; c; c = c->next) n++;
    if (n == 0) {
      buf_puts(b, obj ? "{}" : "[]");
      return;
    }
    const cJSON **items = xmalloc(n * sizeof *items);
    n = 0;
    for (const cJSON *c = v->child; c; c = c->next) items[n++] = c;
    if (obj && (flags & JSON_SORT_KEYS)) qsort(items, n, sizeof *items, key_cmp);
    bool compact = (flags & JSON_COMPACT) != 0;
    buf_putc(b, obj ? '{' : '[');
    for (size_t i = 0; i < n; i++) {
      if (!compact) {
        buf_putc(b, '\n');
        for (int k = 0; k < indent + 2; k++) buf_putc(b, ' ');
      }
      if (obj) {
        print_string(b, items[i]->string, flags);
        buf_puts(b, compact ? ":" : ": ");
      }
      print_value(b, items[i], indent + 2, flags);
      if (i + 1 < n) buf_putc(b, ',');
    }
    if (!compact) {
      buf_putc(b, '\n');
      for (int k = 0; k < indent; k++) buf_putc(b, ' ');
    }
    buf_putc(b, obj ? '}' : ']');
    free(items);
  }
}

char *json_print(const cJSON *v, int flags) {
  Buf b = BUF_INIT;
  print_value(&b, v, 0, flags);
  buf_putc(&b, '\n');
  return buf_take(&b);
}
