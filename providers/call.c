/*
** providers/call.c — AwsError helpers; see call.h.
*/
#include "providers/call.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void aws_error_set(AwsError *err, int http_status, const char *code, const char *fmt, ...) {
  aws_error_clear(err);
  va_list ap;
  va_start(ap, fmt);
  char *msg = NULL;
  if (vasprintf(&msg, fmt, ap) < 0) msg = NULL;
  va_end(ap);
  err->code = xstrdup(code);
  err->message = msg ? msg : xstrdup(code);
  err->http_status = http_status;
}

void aws_error_clear(AwsError *err) {
  free(err->code);
  free(err->message);
  err->code = err->message = NULL;
  err->http_status = 0;
}
