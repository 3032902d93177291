/*
** stdlib/time.c — formatdate, timeadd, timecmp, timestamp, plantimestamp.
**
** Timestamps are RFC 3339 as Go's time.Parse(time.RFC3339) reads them
** (optional fractional seconds, "Z" or ±hh:mm), with go-cty's error texts
** that name the part that is wrong. Results keep the input's UTC offset.
*/
#include "stdlib/fn.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/util.h"

typedef struct Ts {
  int64_t secs;   /* seconds since the epoch (UTC) */
  int32_t nanos;
  int32_t off;    /* UTC offset in seconds */
  bool utc;       /* written as "Z" */
} Ts;

static const char *const month_names[] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};
static const char *const day_names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

static bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
static int mdays(int64_t y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static bool digits(const char *s, size_t n, int k, int *out) {
  if (n < (size_t)k) return false;
  int v = 0;
  for (int i = 0; i < k; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

/* Parses as Go's time.Parse(time.RFC3339, s) does, and on failure writes
** go-cty's rewording of Go's error into err. Go reports the rest of the
** input at the point of failure: unchanged when a field could not be read,
** already past the field when its value was out of range. */
static bool ts_parse(const char *s, Ts *t, char *err, size_t errn) {
  const char *v = s; /* the rest of the input */
  int y, mo, d, h, mi, se;
#define REST_AS(rest, what)                                                                                 \
  do {                                                                                                      \
    if (!*(rest)) snprintf(err, errn, "not a valid RFC3339 timestamp: end of string before %s", what);      \
    else snprintf(err, errn, "not a valid RFC3339 timestamp: cannot use \"%s\" as %s", rest, what);         \
    return false;                                                                                           \
  } while (0)
#define SEP(ch)                                                                                             \
  do {                                                                                                      \
    if (!*v) {                                                                                              \
      snprintf(err, errn, "not a valid RFC3339 timestamp: end of string where \"%c\" is expected", ch);     \
      return false;                                                                                         \
    }                                                                                                       \
    if (*v != ch) {                                                                                         \
      snprintf(err, errn, "not a valid RFC3339 timestamp: found \"%s\" where \"%c\" is expected", v, ch);   \
      return false;                                                                                         \
    }                                                                                                       \
    v++;                                                                                                    \
  } while (0)
  /* year: four characters are taken (if the first is a digit) before they
  ** are checked */
  if (strlen(v) < 4 || !(v[0] >= '0' && v[0] <= '9')) REST_AS(v, "year");
  if (!digits(v, 4, 4, &y)) REST_AS(v + 4, "year");
  v += 4;
  SEP('-');
  if (!digits(v, strlen(v), 2, &mo)) REST_AS(v, "month");
  v += 2;
  if (mo < 1 || mo > 12) REST_AS(v, "month");
  SEP('-');
  if (!digits(v, strlen(v), 2, &d)) REST_AS(v, "day of month");
  v += 2;
  if (*v != 'T') {
    snprintf(err, errn, "not a valid RFC3339 timestamp: missing required time introducer 'T'");
    return false;
  }
  v++;
  /* the hour may have one or two digits */
  if (!(*v >= '0' && *v <= '9')) REST_AS(v, "hour");
  h = *v++ - '0';
  if (*v >= '0' && *v <= '9') h = h * 10 + (*v++ - '0');
  if (h > 23) REST_AS(v, "hour");
  SEP(':');
  if (!digits(v, strlen(v), 2, &mi)) REST_AS(v, "minute");
  v += 2;
  if (mi > 59) REST_AS(v, "minute");
  SEP(':');
  if (!digits(v, strlen(v), 2, &se)) REST_AS(v, "second");
  v += 2;
  if (se > 59) REST_AS(v, "second");
  int32_t nanos = 0;
  if ((*v == '.' || *v == ',') && v[1] >= '0' && v[1] <= '9') {
    v++;
    int k = 0;
    while (*v >= '0' && *v <= '9') {
      if (k < 9) nanos = nanos * 10 + (*v - '0');
      k++;
      v++;
    }
    for (; k < 9; k++) nanos *= 10;
  }
  int32_t off = 0;
  bool utc = false;
  if (*v == 'Z') {
    utc = true;
    v++;
  } else {
    int oh, om;
    if (strlen(v) < 6 || v[3] != ':') REST_AS(v, "UTC offset");
    const char *z = v;
    v += 6;
    if ((z[0] != '+' && z[0] != '-') || !digits(z + 1, 2, 2, &oh) || !digits(z + 4, 2, 2, &om))
      REST_AS(v, "UTC offset");
    off = (oh * 3600 + om * 60) * (z[0] == '-' ? -1 : 1);
  }
  if (*v) REST_AS(v, "timestamp segment");
  if (d < 1 || d > mdays(y, mo)) {
    snprintf(err, errn, "not a valid RFC3339 timestamp: day out of range");
    return false;
  }
#undef REST_AS
#undef SEP
  t->secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
  t->nanos = nanos;
  t->off = off;
  t->utc = utc;
  return true;
}

/* Local calendar fields of t in its own offset. */
typedef struct Cal {
  int64_t year;
  int month, day, hour, min, sec, wday;
} Cal;

static Cal ts_cal(const Ts *t) {
  int64_t local = t->secs + t->off;
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  int64_t rem = local - days * 86400;
  Cal c;
  civil_from_days(days, &c.year, &c.month, &c.day);
  c.hour = (int)(rem / 3600);
  c.min = (int)(rem % 3600 / 60);
  c.sec = (int)(rem % 60);
  c.wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
  return c;
}

static void put_offset(Buf *b, const Ts *t, bool colon) {
  int32_t o = t->off < 0 ? -t->off : t->off;
  buf_printf(b, "%c%02d%s%02d", t->off < 0 ? '-' : '+', o / 3600, colon ? ":" : "", o % 3600 / 60);
}

static char *ts_rfc3339(const Ts *t) {
  Cal c = ts_cal(t);
  Buf b = BUF_INIT;
  buf_printf(&b, "%04lld-%02d-%02dT%02d:%02d:%02d", (long long)c.year, c.month, c.day, c.hour, c.min, c.sec);
  if (t->off == 0) buf_putc(&b, 'Z');
  else put_offset(&b, t, true);
  return buf_take(&b);
}

static bool parse_arg(FnCall *c, size_t i, Ts *t, bool arg_error) {
  char err[512];
  if (ts_parse(val_str(c->args[i]), t, err, sizeof err)) return true;
  if (arg_error) fn_arg_error(c, i, "%s", err);
  else fn_error(c, "%s", err);
  return false;
}

static Value *f_formatdate(FnCall *c) {
  const char *f = val_str(c->args[0]);
  size_t n = val_str_len(c->args[0]);
  Ts t;
  if (!parse_arg(c, 1, &t, true)) return NULL;
  Cal cal = ts_cal(&t);
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  for (size_t i = 0; i < n;) {
    char ch = f[i];
    if (ch == '\'') {
      /* quoted literal; '' inside (or on its own) is one quote */
      i++;
      if (i < n && f[i] == '\'') {
        buf_putc(&b, '\'');
        i++;
        continue;
      }
      bool closed = false;
      while (i < n) {
        if (f[i] == '\'') {
          if (i + 1 < n && f[i + 1] == '\'') {
            buf_putc(&b, '\'');
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        buf_putc(&b, f[i++]);
      }
      if (!closed) {
        buf_free(&b);
        return fn_arg_error(c, 0, "unterminated literal '");
      }
      continue;
    }
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))) {
      buf_putc(&b, ch);
      i++;
      continue;
    }
    size_t k = 1;
    while (i + k < n && f[i + k] == ch) k++;
    const char *bad = NULL;
    switch (ch) {
    case 'Y':
      if (k == 4) buf_printf(&b, "%04lld", (long long)cal.year);
      else if (k == 2) buf_printf(&b, "%02lld", (long long)(cal.year % 100));
      else bad = "year must either be \"YY\" or \"YYYY\"";
      break;
    case 'M':
      if (k == 1) buf_printf(&b, "%d", cal.month);
      else if (k == 2) buf_printf(&b, "%02d", cal.month);
      else if (k == 3) buf_printf(&b, "%.3s", month_names[cal.month - 1]);
      else if (k == 4) buf_puts(&b, month_names[cal.month - 1]);
      else bad = "month must be \"M\", \"MM\", \"MMM\", or \"MMMM\"";
      break;
    case 'D':
      if (k == 1) buf_printf(&b, "%d", cal.day);
      else if (k == 2) buf_printf(&b, "%02d", cal.day);
      else bad = "day of month must either be \"D\" or \"DD\"";
      break;
    case 'E':
      if (k == 3) buf_printf(&b, "%.3s", day_names[cal.wday]);
      else if (k == 4) buf_puts(&b, day_names[cal.wday]);
      else bad = "day of week must either be \"EEE\" or \"EEEE\"";
      break;
    case 'h':
      if (k == 1) buf_printf(&b, "%d", cal.hour);
      else if (k == 2) buf_printf(&b, "%02d", cal.hour);
      else bad = "24-hour must either be \"h\" or \"hh\"";
      break;
    case 'H': {
      int h12 = cal.hour % 12 == 0 ? 12 : cal.hour % 12;
      if (k == 1) buf_printf(&b, "%d", h12);
      else if (k == 2) buf_printf(&b, "%02d", h12);
      else bad = "12-hour must either be \"H\" or \"HH\"";
      break;
    }
    case 'A': case 'a':
      if (k == 2) buf_puts(&b, cal.hour < 12 ? (ch == 'A' ? "AM" : "am") : (ch == 'A' ? "PM" : "pm"));
      else bad = ch == 'A' ? "must be \"AA\"" : "must be \"aa\"";
      break;
    case 'm':
      if (k == 1) buf_printf(&b, "%d", cal.min);
      else if (k == 2) buf_printf(&b, "%02d", cal.min);
      else bad = "minute must either be \"m\" or \"mm\"";
      break;
    case 's':
      if (k == 1) buf_printf(&b, "%d", cal.sec);
      else if (k == 2) buf_printf(&b, "%02d", cal.sec);
      else bad = "second must either be \"s\" or \"ss\"";
      break;
    case 'Z':
      if (k == 1) {
        if (t.off == 0) buf_putc(&b, 'Z');
        else put_offset(&b, &t, true);
      } else if (k == 3) {
        /* Go names a zero offset "UTC" (on a machine whose local zone is UTC) */
        if (t.off == 0) buf_puts(&b, "UTC");
        else put_offset(&b, &t, false);
      } else if (k == 4) {
        put_offset(&b, &t, false);
      } else if (k == 5) {
        put_offset(&b, &t, true);
      } else {
        bad = "timezone must be Z, ZZZZ, or ZZZZZ";
      }
      break;
    default: bad = ""; break;
    }
    if (bad) {
      buf_free(&b);
      if (!*bad) return fn_arg_error(c, 0, "invalid date format verb \"%.*s\"", (int)k, f + i);
      return fn_arg_error(c, 0, "invalid date format verb \"%.*s\": %s", (int)k, f + i, bad);
    }
    i += k;
  }
  Value *r = val_string(b.s, b.len);
  buf_free(&b);
  return r;
}

/* Go's time.ParseDuration, to nanoseconds. */
static bool parse_duration(const char *s, long double *ns, char *err, size_t errn) {
  const char *orig = s;
  bool neg = false;
  if (*s == '-' || *s == '+') neg = *s++ == '-';
  if (!strcmp(s, "0")) {
    *ns = 0;
    return true;
  }
  if (!*s) {
    snprintf(err, errn, "time: invalid duration \"%s\"", orig);
    return false;
  }
  long double total = 0;
  while (*s) {
    if (!((*s >= '0' && *s <= '9') || *s == '.')) {
      snprintf(err, errn, "time: invalid duration \"%s\"", orig);
      return false;
    }
    char *end;
    long double v = strtold(s, &end);
    if (end == s) {
      snprintf(err, errn, "time: invalid duration \"%s\"", orig);
      return false;
    }
    s = end;
    const char *u = s;
    while (*s && !((*s >= '0' && *s <= '9') || *s == '.')) s++;
    size_t ul = (size_t)(s - u);
    long double mult;
    if (ul == 0) {
      snprintf(err, errn, "time: missing unit in duration \"%s\"", orig);
      return false;
    }
    if (ul == 2 && !strncmp(u, "ns", 2)) mult = 1;
    else if (ul == 2 && !strncmp(u, "us", 2)) mult = 1e3L;
    else if (ul == 3 && !strncmp(u, "\xc2\xb5s", 3)) mult = 1e3L;
    else if (ul == 3 && !strncmp(u, "\xce\xbcs", 3)) mult = 1e3L;
    else if (ul == 2 && !strncmp(u, "ms", 2)) mult = 1e6L;
    else if (ul == 1 && *u == 's') mult = 1e9L;
    else if (ul == 1 && *u == 'm') mult = 60e9L;
    else if (ul == 1 && *u == 'h') mult = 3600e9L;
    else {
      snprintf(err, errn, "time: unknown unit \"%.*s\" in duration \"%s\"", (int)ul, u, orig);
      return false;
    }
    total += v * mult;
    /* Go keeps durations in int64 nanoseconds */
    if (total > 9223372036854775807.0L) {
      snprintf(err, errn, "time: invalid duration \"%s\"", orig);
      return false;
    }
  }
  *ns = neg ? -total : total;
  return true;
}

static Value *f_timeadd(FnCall *c) {
  Ts t;
  if (!parse_arg(c, 0, &t, false)) return NULL;
  long double ns;
  char err[256];
  if (!parse_duration(val_str(c->args[1]), &ns, err, sizeof err)) return fn_error(c, "%s", err);
  long double total = (long double)t.nanos + ns;
  int64_t whole = (int64_t)(total / 1e9L);
  if (total < 0 && (long double)whole * 1e9L != total) whole--;
  t.secs += whole;
  t.nanos = (int32_t)(total - (long double)whole * 1e9L);
  char *s = ts_rfc3339(&t);
  Value *r = val_cstring(s);
  free(s);
  return r;
}

static Value *f_timecmp(FnCall *c) {
  Ts a, b;
  if (!parse_arg(c, 0, &a, true) || !parse_arg(c, 1, &b, true)) return NULL;
  int r = a.secs < b.secs ? -1 : a.secs > b.secs ? 1 : a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
  return val_number_i64(r);
}

static Value *now_value(time_t when) {
  Ts t = {(int64_t)when, 0, 0, true};
  char *s = ts_rfc3339(&t);
  Value *r = val_cstring(s);
  free(s);
  return r;
}

static Value *f_timestamp(FnCall *c) {
  if (c->ctx->plan_time) return val_unknown(T_STRING);
  return now_value(time(NULL));
}

/* The plan's timestamp: one instant per run, so every call agrees. */
static time_t plan_start;
static pthread_once_t plan_once = PTHREAD_ONCE_INIT;
static void plan_init(void) { plan_start = time(NULL); }

static Value *f_plantimestamp(FnCall *c) {
  (void)c;
  pthread_once(&plan_once, plan_init);
  return now_value(plan_start);
}

const FnDef fn_defs_time[] = {
    {"formatdate", {{"format", FT_STRING, 0}, {"time", FT_STRING, 0}}, 2, {0}, FT_STRING, NULL, f_formatdate},
    {"timeadd", {{"timestamp", FT_STRING, 0}, {"duration", FT_STRING, 0}}, 2, {0}, FT_STRING, NULL, f_timeadd},
    {"timecmp", {{"timestamp_a", FT_STRING, 0}, {"timestamp_b", FT_STRING, 0}}, 2, {0}, FT_NUMBER, NULL,
     f_timecmp},
    {"timestamp", {{0}}, 0, {0}, FT_STRING, NULL, f_timestamp},
    {"plantimestamp", {{0}}, 0, {0}, FT_STRING, NULL, f_plantimestamp},
    {NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL},
};
