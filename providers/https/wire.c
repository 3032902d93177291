/*
** providers/https/wire.c — Query-protocol encoding, XML decoding and error
** mapping; see wire.h.
**
** XML is read with expat into a small element tree (names, text, children),
** which is then converted to JSON guided by the shape table below. Response
** documents never carry a DTD, so one that does is refused outright (no
** entity expansion can happen), and nesting deeper than MAX_DEPTH is refused
** so the recursive conversion has a bounded stack.
*/
#include "providers/https/wire.h"

#include "base/buf.h"
#include "base/util.h"
#include "providers/https/sigv4.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_DEPTH 64

/* ------------------------------------------------------------------ shapes */

/* What XML cannot say about an operation's output: which members are lists
** (an empty <Tags/> must become [] not ""), maps (<entry><key/><value/>),
** structures (an empty <RoleLastUsed/> is {}), integers/doubles and
** booleans. Member names are looked up by element name anywhere in the
** output; within each row's operations no name means two things. Members
** not listed are strings, or objects when they have child elements; an
** element whose children are all <member> is a list even when not listed,
** so an operation missing here still decodes sensibly. */
typedef struct Shape {
  const char *service;
  const char *ops;     /* space-separated operations the row covers */
  const char *lists;
  const char *maps;
  const char *structs;
  const char *ints;
  const char *doubles;
  const char *bools;
} Shape;

#define ROLE_LISTS "Tags"
#define ROLE_STRUCTS "RoleLastUsed PermissionsBoundary"
#define ALARM_LISTS "MetricAlarms CompositeAlarms OKActions AlarmActions InsufficientDataActions Dimensions Metrics"
#define ALARM_STRUCTS "MetricStat Metric"
#define ALARM_INTS "Period EvaluationPeriods DatapointsToAlarm"

static const Shape SHAPES[] = {
    {"iam", "CreateRole GetRole UpdateRole", ROLE_LISTS, "", ROLE_STRUCTS, "MaxSessionDuration", "", ""},
    {"iam", "ListRoles", "Roles " ROLE_LISTS, "", ROLE_STRUCTS, "MaxSessionDuration", "", "IsTruncated"},
    {"iam", "ListRoleTags", "Tags", "", "", "", "", "IsTruncated"},
    {"iam", "ListRolePolicies", "PolicyNames", "", "", "", "", "IsTruncated"},
    {"iam", "ListAttachedRolePolicies", "AttachedPolicies", "", "", "", "", "IsTruncated"},
    {"iam", "ListInstanceProfilesForRole", "InstanceProfiles Roles Tags", "", ROLE_STRUCTS, "MaxSessionDuration",
     "", "IsTruncated"},
    {"iam", "GetRolePolicy", "", "", "", "", "", ""},
    {"sts", "GetCallerIdentity", "", "", "", "", "", ""},
    {"sts", "AssumeRole", "", "", "Credentials AssumedRoleUser", "PackedPolicySize", "", ""},
    {"sns", "GetTopicAttributes", "", "Attributes", "", "", "", ""},
    {"sns", "ListTopics", "Topics", "", "", "", "", ""},
    {"sns", "ListTagsForResource", "Tags", "", "", "", "", ""},
    {"sns", "ListSubscriptionsByTopic", "Subscriptions", "", "", "", "", ""},
    {"monitoring", "DescribeAlarms DescribeAlarmsForMetric", ALARM_LISTS, "", ALARM_STRUCTS, ALARM_INTS,
     "Threshold", "ActionsEnabled ReturnData"},
    {"monitoring", "ListTagsForResource", "Tags", "", "", "", "", ""},
};

/* Whether word occurs in the space-separated list. */
static int in_words(const char *list, const char *word) {
  size_t n = strlen(word);
  for (const char *p = list; p && *p;) {
    while (*p == ' ') p++;
    size_t l = strcspn(p, " ");
    if (l == n && l && strncmp(p, word, n) == 0) return 1;
    p += l;
  }
  return 0;
}

static const Shape *shape_of(const char *service, const char *op) {
  for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++)
    if (strcmp(SHAPES[i].service, service) == 0 && in_words(SHAPES[i].ops, op)) return &SHAPES[i];
  return NULL;
}

/* Members that are maps in requests (flattened as Name.entry.N.key/value). */
static int request_map(const char *service, const char *member) {
  return strcmp(service, "sns") == 0 && (strcmp(member, "Attributes") == 0);
}

/* ------------------------------------------------------------ query encode */

static void put_num(Buf *b, double d) {
  if (d == floor(d) && fabs(d) < 9e15) {
    buf_printf(b, "%.0f", d);
    return;
  }
  /* shortest text that reads back as the same double */
  char tmp[40];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(tmp, sizeof tmp, "%.*g", prec, d);
    if (strtod(tmp, NULL) == d) break;
  }
  buf_puts(b, tmp);
}

static void add_pair(Buf *out, const char *key, const char *val, size_t vlen) {
  char *k = sigv4_uri_encode(key, strlen(key), 0);
  char *v = sigv4_uri_encode(val, vlen, 0);
  buf_printf(out, "&%s=%s", k, v);
  free(k);
  free(v);
}

static void flatten(Buf *out, const char *service, const char *prefix, const char *member, const cJSON *v) {
  if (cJSON_IsObject(v)) {
    const cJSON *c;
    int i = 0;
    int map = member && request_map(service, member);
    cJSON_ArrayForEach(c, v) {
      if (map) {
        i++;
        char *kp = xasprintf("%s.entry.%d.key", prefix, i);
        char *vp = xasprintf("%s.entry.%d.value", prefix, i);
        add_pair(out, kp, c->string, strlen(c->string));
        flatten(out, service, vp, NULL, c);
        free(kp);
        free(vp);
      } else {
        char *p = *prefix ? xasprintf("%s.%s", prefix, c->string) : xstrdup(c->string);
        flatten(out, service, p, c->string, c);
        free(p);
      }
    }
  } else if (cJSON_IsArray(v)) {
    int n = cJSON_GetArraySize(v);
    if (n == 0) {
      /* an empty list is sent as the bare name, which clears it */
      add_pair(out, prefix, "", 0);
      return;
    }
    const cJSON *c;
    int i = 0;
    cJSON_ArrayForEach(c, v) {
      char *p = xasprintf("%s.member.%d", prefix, ++i);
      flatten(out, service, p, NULL, c);
      free(p);
    }
  } else if (cJSON_IsString(v)) {
    add_pair(out, prefix, v->valuestring, strlen(v->valuestring));
  } else if (cJSON_IsBool(v)) {
    add_pair(out, prefix, cJSON_IsTrue(v) ? "true" : "false", cJSON_IsTrue(v) ? 4 : 5);
  } else if (cJSON_IsNumber(v)) {
    Buf nb = BUF_INIT;
    put_num(&nb, v->valuedouble);
    add_pair(out, prefix, nb.s, nb.len);
    buf_free(&nb);
  }
  /* null: the member is absent */
}

char *wire_query_encode(const char *service, const char *op, const char *version, const cJSON *req) {
  Buf b = BUF_INIT;
  char *a = sigv4_uri_encode(op, strlen(op), 0);
  char *ver = sigv4_uri_encode(version, strlen(version), 0);
  buf_printf(&b, "Action=%s&Version=%s", a, ver);
  free(a);
  free(ver);
  if (cJSON_IsObject(req)) flatten(&b, service, "", NULL, req);
  return buf_take(&b);
}

/* ---------------------------------------------------------------- XML tree */

typedef struct XNode {
  char *name;              /* local name (namespace prefix dropped) */
  Buf text;                /* character data directly inside */
  struct XNode **kids;
  size_t nkids, cap;
} XNode;

typedef struct XParse {
  XML_Parser p;
  XNode *root;
  XNode *stack[MAX_DEPTH + 1];
  int depth;
  const char *fail;        /* why the document was refused, or NULL */
} XParse;

static void xnode_free(XNode *n) {
  if (!n) return;
  for (size_t i = 0; i < n->nkids; i++) xnode_free(n->kids[i]);
  free(n->kids);
  free(n->name);
  buf_free(&n->text);
  free(n);
}

static void XMLCALL x_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  (void)atts;
  XParse *x = ud;
  if (x->depth >= MAX_DEPTH || (x->depth == 0 && x->root)) {
    x->fail = x->depth >= MAX_DEPTH ? "the response nests too deeply" : "the response has two root elements";
    XML_StopParser(x->p, XML_FALSE);
    return;
  }
  const char *colon = strrchr(name, ':');
  XNode *n = xcalloc(1, sizeof *n);
  n->name = xstrdup(colon ? colon + 1 : name);
  if (x->depth == 0) {
    x->root = n;
  } else {
    XNode *parent = x->stack[x->depth - 1];
    VEC_PUSH(parent->kids, parent->nkids, parent->cap, n);
  }
  x->stack[x->depth++] = n;
}

static void XMLCALL x_end(void *ud, const XML_Char *name) {
  (void)name;
  XParse *x = ud;
  if (x->depth > 0) x->depth--;
}

static void XMLCALL x_text(void *ud, const XML_Char *s, int len) {
  XParse *x = ud;
  if (x->depth > 0) buf_add(&x->stack[x->depth - 1]->text, s, (size_t)len);
}

static void XMLCALL x_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                              int has_internal) {
  (void)name, (void)sysid, (void)pubid, (void)has_internal;
  XParse *x = ud;
  x->fail = "the response has a DTD";
  XML_StopParser(x->p, XML_FALSE);
}

/* Parses body into a tree; NULL with *why set when it is not acceptable XML. */
static XNode *xml_parse(const char *body, size_t len, const char **why) {
  XParse x = {0};
  x.p = XML_ParserCreate("UTF-8");
  XML_SetUserData(x.p, &x);
  XML_SetElementHandler(x.p, x_start, x_end);
  XML_SetCharacterDataHandler(x.p, x_text);
  XML_SetStartDoctypeDeclHandler(x.p, x_doctype);
  int ok = 1;
  /* expat takes an int length: feed large bodies in pieces */
  size_t off = 0;
  do {
    size_t chunk = len - off > (1u << 30) ? (1u << 30) : len - off;
    int final = off + chunk == len;
    if (XML_Parse(x.p, body + off, (int)chunk, final) != XML_STATUS_OK) {
      ok = 0;
      break;
    }
    off += chunk;
  } while (off < len);
  if (!ok || !x.root || x.fail) {
    *why = x.fail ? x.fail : !ok ? XML_ErrorString(XML_GetErrorCode(x.p)) : "the response is empty";
    xnode_free(x.root);
    XML_ParserFree(x.p);
    return NULL;
  }
  XML_ParserFree(x.p);
  return x.root;
}

static XNode *kid(const XNode *n, const char *name) {
  for (size_t i = 0; n && i < n->nkids; i++)
    if (strcmp(n->kids[i]->name, name) == 0) return n->kids[i];
  return NULL;
}

static const char *text(const XNode *n) {
  return n && n->text.s ? n->text.s : "";
}

static cJSON *scalar(const Shape *sh, const char *member, const char *t) {
  if (sh && member && (in_words(sh->ints, member) || in_words(sh->doubles, member))) {
    char *end;
    double d = strtod(t, &end);
    if (end != t && *end == 0) return cJSON_CreateNumber(d);
  }
  if (sh && member && in_words(sh->bools, member)) {
    if (strcmp(t, "true") == 0) return cJSON_CreateTrue();
    if (strcmp(t, "false") == 0) return cJSON_CreateFalse();
  }
  return cJSON_CreateString(t);
}

static int all_members(const XNode *n) {
  if (!n->nkids) return 0;
  for (size_t i = 0; i < n->nkids; i++)
    if (strcmp(n->kids[i]->name, "member") != 0) return 0;
  return 1;
}

/* Converts element n, the value of `member` (NULL for list items, whose
** type the table does not name: they are structures or strings). */
static cJSON *convert(const Shape *sh, const XNode *n, const char *member) {
  if ((sh && member && in_words(sh->lists, member)) || all_members(n)) {
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n->nkids; i++) cJSON_AddItemToArray(a, convert(sh, n->kids[i], NULL));
    return a;
  }
  if (sh && member && in_words(sh->maps, member)) {
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < n->nkids; i++) {
      const XNode *e = n->kids[i];
      const XNode *k = kid(e, "key"), *v = kid(e, "value");
      if (!k) continue;
      cJSON_DeleteItemFromObjectCaseSensitive(o, text(k));
      cJSON_AddItemToObject(o, text(k), v ? convert(sh, v, NULL) : cJSON_CreateString(""));
    }
    return o;
  }
  if (n->nkids || (sh && member && in_words(sh->structs, member))) {
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < n->nkids; i++) {
      const XNode *c = n->kids[i];
      /* a repeated member that is not a declared list: keep the last */
      cJSON_DeleteItemFromObjectCaseSensitive(o, c->name);
      cJSON_AddItemToObject(o, c->name, convert(sh, c, c->name));
    }
    return o;
  }
  return scalar(sh, member, text(n));
}

/* ------------------------------------------------------------------ errors */

static char *clean_code(const char *code) {
  const char *h = strrchr(code, '#');
  if (h) code = h + 1;
  return xstrndup(code, strcspn(code, ":"));
}

static void set_err(AwsError *err, int status, const char *code, const char *msg) {
  char *c = clean_code(code && *code ? code : "UnknownError");
  aws_error_set(err, status, c, "%s", msg && *msg ? msg : c);
  free(c);
}

/* <ErrorResponse><Error><Code/><Message/></Error></ErrorResponse>, or a bare
** <Error> root; 1 when found. */
static int xml_error(const XNode *root, int status, AwsError *err) {
  const XNode *e = strcmp(root->name, "Error") == 0 ? root : kid(root, "Error");
  if (!e && kid(root, "Errors")) e = kid(kid(root, "Errors"), "Error");
  if (!e || !kid(e, "Code")) return 0;
  set_err(err, status, text(kid(e, "Code")), text(kid(e, "Message")));
  return 1;
}

void wire_error(const char *body, size_t len, int http_status, const char *error_type, AwsError *err) {
  const char *s = body;
  size_t n = len;
  while (n && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')) s++, n--;
  if (n && *s == '{') {
    cJSON *j = cJSON_ParseWithLength(s, n);
    if (j) {
      const char *code = NULL, *msg = NULL;
      static const char *const CODE_KEYS[] = {"__type", "code", "Code", "ErrorCode", NULL};
      static const char *const MSG_KEYS[] = {"message", "Message", "errorMessage", NULL};
      for (int i = 0; !code && CODE_KEYS[i]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, CODE_KEYS[i]);
        if (cJSON_IsString(v)) code = v->valuestring;
      }
      for (int i = 0; !msg && MSG_KEYS[i]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, MSG_KEYS[i]);
        if (cJSON_IsString(v)) msg = v->valuestring;
      }
      /* the header names the error when the body does not */
      if (!code && error_type && *error_type) code = error_type;
      if (code) {
        set_err(err, http_status, code, msg);
        cJSON_Delete(j);
        return;
      }
      cJSON_Delete(j);
    }
  } else if (n && *s == '<') {
    const char *why;
    XNode *root = xml_parse(s, n, &why);
    int found = root && xml_error(root, http_status, err);
    xnode_free(root);
    if (found) return;
  }
  if (error_type && *error_type) {
    set_err(err, http_status, error_type, NULL);
    return;
  }
  /* nothing AWS-shaped: name the status the way the SDKs do */
  const char *code = http_status == 404   ? "NotFound"
                     : http_status == 403 ? "AccessDenied"
                     : http_status == 429 ? "TooManyRequestsException"
                     : http_status >= 500 ? "InternalFailure"
                                          : "UnknownError";
  char *snip = xstrndup(body ? body : "", len > 200 ? 200 : len);
  aws_error_set(err, http_status, code, "HTTP %d%s%s", http_status, *snip ? ": " : "", snip);
  free(snip);
}

int wire_query_decode(const char *service, const char *op, const char *body, size_t len, int http_status,
                      cJSON **out, AwsError *err) {
  *out = NULL;
  const char *why = NULL;
  XNode *root = len ? xml_parse(body, len, &why) : NULL;
  if (!root) {
    if (!len && http_status < 300) {
      *out = cJSON_CreateObject();
      return 0;
    }
    aws_error_set(err, http_status, "MalformedResponse", "%s %s: the response is not valid XML (%s).", service,
                  op, why ? why : "empty");
    return -1;
  }
  if (http_status >= 300 || strcmp(root->name, "ErrorResponse") == 0 || strcmp(root->name, "Error") == 0) {
    if (!xml_error(root, http_status, err)) wire_error(NULL, 0, http_status, NULL, err);
    xnode_free(root);
    return -1;
  }
  /* <OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse> */
  char *rname = xasprintf("%sResult", op);
  const XNode *result = kid(root, rname);
  free(rname);
  const Shape *sh = shape_of(service, op);
  cJSON *o = cJSON_CreateObject();
  for (size_t i = 0; result && i < result->nkids; i++) {
    const XNode *c = result->kids[i];
    cJSON_DeleteItemFromObjectCaseSensitive(o, c->name);
    cJSON_AddItemToObject(o, c->name, convert(sh, c, c->name));
  }
  xnode_free(root);
  *out = o;
  return 0;
}

/* ---------------------------------------------------------- JSON protocol */

static const char *const TIME_MEMBERS[] = {"CreationTime", "LastModifiedTime", "ResolutionTime", "StartTime",
                                           "EndTime", NULL};

void wire_json_timestamps(cJSON *v) {
  cJSON *next;
  for (cJSON *c = v ? v->child : NULL; c; c = next) {
    next = c->next; /* c may be replaced (and freed) below */
    if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
      wire_json_timestamps(c);
      continue;
    }
    if (!c->string || !cJSON_IsNumber(c)) continue;
    int is_time = 0;
    for (int i = 0; TIME_MEMBERS[i]; i++) is_time |= strcmp(c->string, TIME_MEMBERS[i]) == 0;
    if (!is_time || !(c->valuedouble >= 0 && c->valuedouble < 253402300800.0)) continue;
    time_t t = (time_t)c->valuedouble;
    int ms = (int)((c->valuedouble - (double)t) * 1000.0 + 0.5);
    if (ms >= 1000) ms = 999;
    struct tm tm;
    gmtime_r(&t, &tm);
    char s[48];
    size_t k = strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (ms) snprintf(s + k, sizeof s - k, ".%03dZ", ms);
    else snprintf(s + k, sizeof s - k, "Z");
    cJSON *iso = cJSON_CreateString(s);
    /* the replacement takes over the member name (ViaPointer keeps none) */
    iso->string = c->string;
    c->string = NULL;
    cJSON_ReplaceItemViaPointer(v, c, iso);
  }
}
