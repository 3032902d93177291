/*
** providers/https/wire.h — the services' wire formats, with no I/O.
**
** The call interface speaks JSON shaped like each operation's input and
** output (providers/call.h). The Query-protocol services (IAM, STS, SNS,
** CloudWatch) want a form-encoded body and answer in XML; this file turns
** the one into the other. XML carries no types, so a small table per
** operation says which members are lists, maps, numbers and booleans (see
** wire.c). Error bodies of every protocol map onto AwsError here too.
*/
#ifndef TFC_WIRE_H
#define TFC_WIRE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "providers/call.h"

/* "Action=OP&Version=VERSION&..." with the request's members flattened the
** Query way (Tags.member.1.Key=..., Attributes.entry.1.key=...). malloc'd. */
char *wire_query_encode(const char *service, const char *op, const char *version, const cJSON *req);

/* Parses a Query-protocol response body. 0: *out is the operation's output
** object (the contents of <OpResult>, {} when there is none). -1: err is set
** (an <ErrorResponse>/<Error> body gives its Code and Message; malformed XML
** gives the code "MalformedResponse"). http_status goes into err. */
int wire_query_decode(const char *service, const char *op, const char *body, size_t len, int http_status,
                      cJSON **out, AwsError *err);

/* Fills err from an error response of any protocol: a JSON body with
** "__type"/"code" and "message"/"Message", an XML body with <Error><Code>,
** or, failing those, the x-amzn-ErrorType header (error_type, may be NULL)
** or the HTTP status. Codes are cleaned the way the SDKs do
** ("com.amazon.coral#ValidationException" -> "ValidationException",
** "Foo:http://..." -> "Foo"). */
void wire_error(const char *body, size_t len, int http_status, const char *error_type, AwsError *err);

/* For JSON-protocol responses: numbers in members that are timestamps
** (CreationTime, LastModifiedTime, ...; epoch seconds on the wire) become
** ISO 8601 strings, the form the simulator and the Query protocol use. */
void wire_json_timestamps(cJSON *resp);

#endif
