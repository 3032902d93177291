/*
** providers/sim/sns.c — SNS topics, and the notifications alarms publish to
** them (recorded, newest last, so `tfc sim status` and tests can see them).
*/
#include "providers/sim/sim_int.h"

#include "base/util.h"

#include <stdio.h>
#include <string.h>

#define V "InvalidParameter"

static cJSON *topic_by_arn(SimWorld *w, const char *arn) {
  const char *colon = arn ? strrchr(arn, ':') : NULL;
  cJSON *t = colon ? sim_find(w, "sns", "topics", colon + 1) : NULL;
  return t && strcmp(sim_str(t, "TopicArn"), arn) == 0 ? t : NULL;
}

void sim_sns_publish(SimWorld *w, const char *topic_arn, const char *subject, const char *message) {
  if (!topic_by_arn(w, topic_arn)) return; /* CloudWatch does not check; the message is lost */
  cJSON *n = cJSON_CreateObject();
  char ts[24], id[37];
  sim_uuid(w, id);
  sim_set_str(n, "MessageId", id);
  sim_set_str(n, "Time", sim_now_iso(w, ts));
  sim_set_str(n, "TopicArn", topic_arn);
  if (subject) sim_set_str(n, "Subject", subject);
  sim_set_str(n, "Message", message);
  sim_log(sim_arr(sim_obj(w->doc, "sns"), "notifications"), n, (int)sim_knob("history_keep"));
}

static const char *const SETTABLE[] = {"DisplayName", "Policy", "DeliveryPolicy", "KmsMasterKeyId", "SignatureVersion",
                                       "TracingConfig", "ContentBasedDeduplication", "ArchivePolicy",
                                       "FifoThroughputScope", NULL};

static int op_create_topic(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *name = sim_str(req, "Name");
  if (!name) return sim_err(err, 400, V, "Invalid parameter: Topic Name");
  const cJSON *attrs = sim_get(req, "Attributes"), *a;
  bool fifo = strcmp(sim_str(attrs, "FifoTopic") ? sim_str(attrs, "FifoTopic") : "false", "true") == 0;
  size_t n = strlen(name);
  bool ok = n >= 1 && n <= 256 && sim_match(fifo ? "[A-Za-z0-9_-]+\\.fifo" : "[A-Za-z0-9_-]+", name);
  if (!ok) return sim_err(err, 400, V, "Invalid parameter: Topic Name");
  if (attrs && !cJSON_IsObject(attrs)) return sim_err(err, 400, V, "Invalid parameter: Attributes");
  cJSON_ArrayForEach(a, attrs) {
    bool known = strcmp(a->string, "FifoTopic") == 0;
    for (size_t i = 0; SETTABLE[i]; i++) known |= strcmp(SETTABLE[i], a->string) == 0;
    if (!known || !cJSON_IsString(a)) return sim_err(err, 400, V, "Invalid parameter: Attributes Reason: Unknown attribute %s", a->string);
  }
  cJSON *t = sim_find(w, "sns", "topics", name);
  if (t) {
    /* idempotent, unless the attributes differ */
    cJSON_ArrayForEach(a, attrs) {
      const char *have = sim_str(sim_get(t, "Attributes"), a->string);
      if (!have || strcmp(have, a->valuestring) != 0)
        return sim_err(err, 400, V, "Invalid parameter: Attributes Reason: Topic already exists with different attributes");
    }
  } else {
    t = cJSON_CreateObject();
    char *arn = xasprintf("arn:aws:sns:%s:%s:%s", sim_region(w), sim_account(w), name);
    sim_set_str(t, "TopicArn", arn);
    free(arn);
    sim_set(t, "Attributes", attrs ? sim_dup(attrs) : cJSON_CreateObject());
    if (sim_tags_merge(t, sim_get(req, "Tags"), V, err)) {
      cJSON_Delete(t);
      return -1;
    }
    sim_put(w, "sns", "topics", name, t);
  }
  *resp = cJSON_CreateObject();
  sim_set_str(*resp, "TopicArn", sim_str(t, "TopicArn"));
  return 0;
}

static cJSON *topic_req(SimWorld *w, const cJSON *req, const char *key, AwsError *err) {
  const char *arn = sim_str(req, key);
  cJSON *t = arn ? topic_by_arn(w, arn) : NULL;
  if (!t) sim_err(err, 404, "NotFound", "Topic does not exist");
  return t;
}

static int op_get_attrs(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *t = topic_req(w, req, "TopicArn", err);
  if (!t) return -1;
  *resp = cJSON_CreateObject();
  cJSON *o = sim_obj(*resp, "Attributes");
  const char *arn = sim_str(t, "TopicArn");
  sim_set_str(o, "TopicArn", arn);
  sim_set_str(o, "Owner", sim_account(w));
  sim_set_str(o, "DisplayName", "");
  sim_set_str(o, "SubscriptionsConfirmed", "0");
  sim_set_str(o, "SubscriptionsPending", "0");
  sim_set_str(o, "SubscriptionsDeleted", "0");
  char *pol = xasprintf("{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":"
                        "\"__default_statement_ID\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":"
                        "[\"SNS:GetTopicAttributes\",\"SNS:SetTopicAttributes\",\"SNS:AddPermission\","
                        "\"SNS:RemovePermission\",\"SNS:DeleteTopic\",\"SNS:Subscribe\",\"SNS:ListSubscriptionsByTopic\","
                        "\"SNS:Publish\"],\"Resource\":\"%s\",\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":"
                        "\"%s\"}}}]}", arn, sim_account(w));
  sim_set_str(o, "Policy", pol);
  free(pol);
  sim_set_str(o, "EffectiveDeliveryPolicy", "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":20,"
                                            "\"maxDelayTarget\":20,\"numRetries\":3,\"numMaxDelayRetries\":0,"
                                            "\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,\"backoffFunction\":"
                                            "\"linear\"},\"disableSubscriptionOverrides\":false}}");
  const cJSON *a;
  cJSON_ArrayForEach(a, sim_get(t, "Attributes")) sim_set(o, a->string, sim_dup(a));
  return 0;
}

static int op_set_attr(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *t = topic_req(w, req, "TopicArn", err);
  if (!t) return -1;
  const char *name = sim_str(req, "AttributeName"), *val = sim_str(req, "AttributeValue");
  bool known = false;
  for (size_t i = 0; name && SETTABLE[i]; i++) known |= strcmp(SETTABLE[i], name) == 0;
  if (!known) return sim_err(err, 400, V, "Invalid parameter: AttributeName");
  sim_set_str(sim_obj(t, "Attributes"), name, val ? val : "");
  (void)resp;
  return 0;
}

static int op_delete_topic(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *arn = sim_str(req, "TopicArn");
  if (!arn) return sim_err(err, 400, V, "Invalid parameter: TopicArn");
  cJSON *t = topic_by_arn(w, arn);
  if (t) sim_remove(w, "sns", "topics", t->string); /* deleting a missing topic succeeds */
  (void)resp;
  return 0;
}

static int op_list_topics(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  (void)req;
  (void)err;
  *resp = cJSON_CreateObject();
  cJSON *out = sim_arr(*resp, "Topics"), *t;
  cJSON_ArrayForEach(t, sim_coll(w, "sns", "topics")) {
    cJSON *e = cJSON_CreateObject();
    sim_set_str(e, "TopicArn", sim_str(t, "TopicArn"));
    cJSON_AddItemToArray(out, e);
  }
  return 0;
}

static int op_list_tags(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *t = topic_req(w, req, "ResourceArn", err);
  if (!t) return -1;
  *resp = cJSON_CreateObject();
  sim_set(*resp, "Tags", sim_get(t, "Tags") ? sim_dup(sim_get(t, "Tags")) : cJSON_CreateArray());
  return 0;
}

static int op_tag(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *t = topic_req(w, req, "ResourceArn", err);
  (void)resp;
  return t ? sim_tags_merge(t, sim_get(req, "Tags"), V, err) : -1;
}

static int op_untag(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *t = topic_req(w, req, "ResourceArn", err);
  if (!t) return -1;
  sim_tags_remove(t, sim_get(req, "TagKeys"));
  (void)resp;
  return 0;
}

static int op_publish(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *t = topic_req(w, req, "TopicArn", err);
  if (!t) return -1;
  const char *msg = sim_str(req, "Message");
  if (!msg) return sim_err(err, 400, V, "Invalid parameter: Message");
  sim_sns_publish(w, sim_str(t, "TopicArn"), sim_str(req, "Subject"), msg);
  cJSON *notes = sim_arr(sim_obj(w->doc, "sns"), "notifications");
  *resp = cJSON_CreateObject();
  sim_set_str(*resp, "MessageId", sim_str(cJSON_GetArrayItem(notes, cJSON_GetArraySize(notes) - 1), "MessageId"));
  return 0;
}

static const SimOp sns_ops[] = {
    {"CreateTopic", op_create_topic, true},
    {"GetTopicAttributes", op_get_attrs, false},
    {"SetTopicAttributes", op_set_attr, true},
    {"DeleteTopic", op_delete_topic, true},
    {"ListTopics", op_list_topics, false},
    {"ListTagsForResource", op_list_tags, false},
    {"TagResource", op_tag, true},
    {"UntagResource", op_untag, true},
    {"Publish", op_publish, true},
};
const SimService sim_svc_sns = {"sns", sns_ops, sizeof sns_ops / sizeof sns_ops[0]};
