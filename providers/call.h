/*
** providers/call.h — the one call interface between AWS resource code and
** whatever answers AWS API operations (the simulator, or AWS over HTTPS).
**
** A request is the operation's input as a JSON object shaped like the AWS
** API's own input (the same member names boto3 takes, e.g. {"EndpointName":
** "x"}); a response is the output shape. Query-protocol services (IAM, STS,
** SNS, CloudWatch) use the same JSON shapes here; the HTTPS transport maps
** them to and from their wire format. Errors come back AWS-shaped.
*/
#ifndef TFC_CALL_H
#define TFC_CALL_H

#include <cjson/cJSON.h>

typedef struct AwsError {
  char *code;        /* e.g. "ValidationException", "NoSuchEntity" (malloc'd) */
  char *message;     /* AWS's message text (malloc'd) */
  int http_status;   /* e.g. 400 */
} AwsError;

typedef struct AwsTransport AwsTransport;
struct AwsTransport {
  /* service: "sagemaker", "iam", "sts", "sns", "monitoring" (CloudWatch),
  ** "application-autoscaling". op: the API operation name, e.g.
  ** "CreateEndpoint". On success returns 0 and sets *resp (caller frees with
  ** cJSON_Delete). On failure returns -1 and fills *err (free with
  ** aws_error_clear). req is not consumed. */
  int (*call)(AwsTransport *t, const char *service, const char *op, const cJSON *req,
              cJSON **resp, AwsError *err);
  void (*close)(AwsTransport *t);
  void *ctx;
};

void aws_error_set(AwsError *err, int http_status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void aws_error_clear(AwsError *err);

#endif
