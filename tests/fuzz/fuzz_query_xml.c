/*
** tests/fuzz/fuzz_query_xml.c — libFuzzer target for the Query-protocol XML
** decoder and the error-body mapper (providers/https/wire.c): any bytes
** from a server must end in an output object or an AwsError, never a
** crash, hang or leak. The first byte picks the operation (so the shape
** table's lists, maps and numbers are exercised) and the HTTP status.
** Its corpus (tests/fuzz/corpus/query_xml) is replayed by `make test` and
** `make check` through tests/fuzz/replay.c.
*/
#include "base/util.h"
#include "providers/https/wire.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const OPS[][2] = {
    {"iam", "GetRole"},           {"iam", "ListRolePolicies"},   {"iam", "ListInstanceProfilesForRole"},
    {"sts", "GetCallerIdentity"}, {"sns", "GetTopicAttributes"}, {"sns", "ListTopics"},
    {"monitoring", "DescribeAlarms"}, {"iam", "UnknownOperation"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  unsigned sel = data[0];
  const char *const *op = OPS[sel % (sizeof OPS / sizeof OPS[0])];
  int status = (sel & 0x80) ? 400 : 200;
  const char *body = (const char *)data + 1;
  size_t len = size - 1;
  cJSON *out = NULL;
  AwsError err = {0};
  if (wire_query_decode(op[0], op[1], body, len, status, &out, &err) == 0) {
    char *s = cJSON_PrintUnformatted(out);
    free(s);
    cJSON_Delete(out);
  }
  aws_error_clear(&err);
  wire_error(body, len, 500, (sel & 0x40) ? "Code:extra" : NULL, &err);
  aws_error_clear(&err);
  return 0;
}
