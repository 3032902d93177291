/*
** tests/unit/test_sim_cloudwatch.c — CloudWatch in the simulator: alarm API
** errors, states and reasons, SNS actions on transitions, metric data, and
** the M-of-N evaluation with every TreatMissingData mode on the worked
** examples of the CloudWatch documentation (aws-behaviour.md §4.3).
*/
#include "sim_t.h"

/* Evaluates an alarm on a 5-slot pattern (oldest first; X breaching, 0 good,
** - missing) and returns its state. initial: a state to set first, or NULL. */
static const char *eval_pattern(const char *pattern, int n, int m, const char *tmd, const char *initial) {
  static char state[32];
  world("metric_delay_seconds=0");
  advance(3600);
  char req[512];
  snprintf(req, sizeof req,
           "{\"AlarmName\":\"a\",\"Namespace\":\"T\",\"MetricName\":\"m\",\"Statistic\":\"Maximum\",\"Period\":60,"
           "\"EvaluationPeriods\":%d,\"DatapointsToAlarm\":%d,\"Threshold\":1,\"ComparisonOperator\":"
           "\"GreaterThanThreshold\",\"TreatMissingData\":\"%s\"}", n, m, tmd);
  OK("monitoring", "PutMetricAlarm", req);
  if (initial) {
    snprintf(req, sizeof req, "{\"AlarmName\":\"a\",\"StateValue\":\"%s\",\"StateReason\":\"set\"}", initial);
    OK("monitoring", "SetAlarmState", req);
  }
  long long now = sim_clock_now(W);
  for (int i = 0; i < 5; i++) {
    if (pattern[i] == '-') continue;
    double v = pattern[i] == 'X' ? 5 : 0;
    sim_cw_put(W, "T", "m", NULL, now - (5 - i) * 60, v, 1, v, v);
  }
  sim_cw_evaluate(W);
  OK("monitoring", "DescribeAlarms", "{\"AlarmNames\":[\"a\"]}");
  snprintf(state, sizeof state, "%s", rs("MetricAlarms.0.StateValue") ? rs("MetricAlarms.0.StateValue") : "?");
  return state;
}

#define PATTERN(p, n, m, missing, ignore, breaching, notbreaching, initial)        \
  do {                                                                             \
    CHECK_STR(eval_pattern(p, n, m, "missing", initial), missing);                 \
    CHECK_STR(eval_pattern(p, n, m, "ignore", initial), ignore);                   \
    CHECK_STR(eval_pattern(p, n, m, "breaching", initial), breaching);             \
    CHECK_STR(eval_pattern(p, n, m, "notBreaching", initial), notbreaching);       \
  } while (0)

static void test_missing_data_table_3_of_3(void) {
  PATTERN("0-X-X", 3, 3, "OK", "OK", "OK", "OK", NULL);
  PATTERN("0----", 3, 3, "OK", "OK", "OK", "OK", NULL);
  PATTERN("-----", 3, 3, "INSUFFICIENT_DATA", "ALARM", "ALARM", "OK", "ALARM"); /* ignore keeps ALARM */
  PATTERN("0XX-X", 3, 3, "ALARM", "ALARM", "ALARM", "ALARM", NULL);
  PATTERN("--X--", 3, 3, "ALARM", "INSUFFICIENT_DATA", "ALARM", "OK", NULL);  /* ignore keeps the initial state */
  /* premature-alarm guard: the newest point alone does not fire yet */
  CHECK_STR(eval_pattern("----X", 3, 3, "missing", NULL), "INSUFFICIENT_DATA");
  sim_t_end();
}

static void test_missing_data_table_2_of_3(void) {
  PATTERN("0-X--", 3, 2, "OK", "OK", "ALARM", "OK", NULL);
  PATTERN("---X-", 3, 2, "ALARM", "INSUFFICIENT_DATA", "ALARM", "OK", NULL);
  PATTERN("00XX0", 3, 2, "ALARM", "ALARM", "ALARM", "ALARM", NULL);
  PATTERN("XX0X0", 3, 2, "OK", "OK", "OK", "OK", NULL);
  sim_t_end();
}

static void test_put_metric_alarm_errors(void) {
  world(NULL);
  const char *base = "\"Namespace\":\"AWS/SageMaker\",\"MetricName\":\"Invocations\",\"Period\":60,\"Threshold\":1,"
                     "\"ComparisonOperator\":\"GreaterThanThreshold\"";
  char req[512];
  snprintf(req, sizeof req, "{\"AlarmName\":\"a\",%s,\"Statistic\":\"Sum\"}", base);
  ERR("monitoring", "PutMetricAlarm", req, "ValidationError", 400,
      "1 validation error detected: Value null at 'evaluationPeriods' failed to satisfy constraint: Member must not be null");
  snprintf(req, sizeof req, "{\"AlarmName\":\"a\",%s,\"EvaluationPeriods\":1}", base);
  ERR("monitoring", "PutMetricAlarm", req, "InvalidParameterCombination", 400,
      "Exactly one element of the statistics or extended statistics parameters must be specified.");
  snprintf(req, sizeof req, "{\"AlarmName\":\"a\",%s,\"EvaluationPeriods\":1,\"Statistic\":\"Median\"}", base);
  ERR("monitoring", "PutMetricAlarm", req, "ValidationError", 400,
      "1 validation error detected: Value 'Median' at 'statistic' failed to satisfy constraint: Member must satisfy enum "
      "value set: [SampleCount, Average, Sum, Minimum, Maximum]");
  ERR("monitoring", "PutMetricAlarm",
      "{\"AlarmName\":\"a\",\"Namespace\":\"N\",\"MetricName\":\"M\",\"Period\":45,\"Statistic\":\"Sum\",\"EvaluationPeriods\":1,"
      "\"Threshold\":1,\"ComparisonOperator\":\"GreaterThanThreshold\"}",
      "InvalidParameterValue", 400, "The parameter Period must be 10, 20, 30 or a multiple of 60; got 45.");
  snprintf(req, sizeof req, "{\"AlarmName\":\"a\",%s,\"EvaluationPeriods\":2,\"DatapointsToAlarm\":3,\"Statistic\":\"Sum\"}", base);
  ERR("monitoring", "PutMetricAlarm", req, "ValidationError", 400, "DatapointsToAlarm must be less than or equal to EvaluationPeriods.");
  snprintf(req, sizeof req, "{\"AlarmName\":\"a\",%s,\"EvaluationPeriods\":1441,\"Statistic\":\"Sum\"}", base);
  ERR("monitoring", "PutMetricAlarm", req, "ValidationError", 400,
      "The evaluation period (Period * EvaluationPeriods) must not exceed 86400 seconds.");
  snprintf(req, sizeof req, "{\"AlarmName\":\"a\",%s,\"EvaluationPeriods\":1,\"Statistic\":\"Sum\",\"TreatMissingData\":\"skip\"}", base);
  ERR("monitoring", "PutMetricAlarm", req, "ValidationError", 400, "*");
  snprintf(req, sizeof req, "{\"AlarmName\":\"a\",%s,\"EvaluationPeriods\":1,\"Statistic\":\"Sum\",\"AlarmActions\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]}", base);
  ERR("monitoring", "PutMetricAlarm", req, "ValidationError", 400, "*");
  ERR("monitoring", "PutMetricAlarm", "{\"AlarmName\":\"\"}", "ValidationError", 400, "*");
  sim_t_end();
}

static void test_alarm_states_and_sns(void) {
  world("metric_delay_seconds=0");
  OK("sns", "CreateTopic", "{\"Name\":\"ops\"}");
  const char *topic = "arn:aws:sns:us-east-1:123456789012:ops";
  CHECK_STR(rs("TopicArn"), topic);
  OK("monitoring", "PutMetricAlarm",
     "{\"AlarmName\":\"lat\",\"Namespace\":\"AWS/SageMaker\",\"MetricName\":\"ModelLatency\",\"Dimensions\":[{\"Name\":"
     "\"EndpointName\",\"Value\":\"ep\"}],\"Statistic\":\"Average\",\"Period\":60,\"EvaluationPeriods\":1,\"Threshold\":"
     "100000,\"ComparisonOperator\":\"GreaterThanThreshold\",\"AlarmActions\":[\"arn:aws:sns:us-east-1:123456789012:ops\"],"
     "\"OKActions\":[\"arn:aws:sns:us-east-1:123456789012:ops\"],\"Tags\":[{\"Key\":\"team\",\"Value\":\"ml\"}]}");
  OK("monitoring", "DescribeAlarms", "{\"AlarmNames\":[\"lat\"]}");
  CHECK_STR(rs("MetricAlarms.0.StateValue"), "INSUFFICIENT_DATA");
  CHECK_STR(rs("MetricAlarms.0.StateReason"), "Unchecked: Initial alarm creation");
  CHECK_STR(rs("MetricAlarms.0.AlarmArn"), "arn:aws:cloudwatch:us-east-1:123456789012:alarm:lat");
  CHECK(sim_get(cJSON_GetArrayItem(sim_get(R, "MetricAlarms"), 0), "Tags") == NULL);
  OK("monitoring", "PutMetricData",
     "{\"Namespace\":\"AWS/SageMaker\",\"MetricData\":[{\"MetricName\":\"ModelLatency\",\"Dimensions\":[{\"Name\":"
     "\"EndpointName\",\"Value\":\"ep\"}],\"Value\":250000}]}");
  advance(60);
  OK("monitoring", "DescribeAlarms", "{\"StateValue\":\"ALARM\"}");
  CHECK_STR(rs("MetricAlarms.0.AlarmName"), "lat");
  CHECK_STR(rs("MetricAlarms.0.StateReason"),
            "Threshold Crossed: 1 out of the last 1 datapoints [250000 (01/01/26 00:00:00)] was greater than the "
            "threshold (100000) (minimum 1 datapoint for OK -> ALARM transition).");
  const cJSON *notes = sim_get(sim_obj(W->doc, "sns"), "notifications");
  CHECK_INT(cJSON_GetArraySize(notes), 1);
  cJSON *msg = cJSON_Parse(sim_str(cJSON_GetArrayItem(notes, 0), "Message"));
  CHECK_STR(sim_str(msg, "NewStateValue"), "ALARM");
  CHECK_STR(sim_str(msg, "OldStateValue"), "INSUFFICIENT_DATA");
  CHECK_STR(sim_str(sim_get(msg, "Trigger"), "MetricName"), "ModelLatency");
  cJSON_Delete(msg);
  /* no repeat while the state persists */
  OK("monitoring", "PutMetricData", "{\"Namespace\":\"AWS/SageMaker\",\"MetricData\":[{\"MetricName\":\"ModelLatency\","
                                    "\"Dimensions\":[{\"Name\":\"EndpointName\",\"Value\":\"ep\"}],\"Value\":250000}]}");
  advance(60);
  CHECK_INT(cJSON_GetArraySize(notes), 1);
  /* missing data (treated as missing) keeps the last state until all slots are empty */
  advance(600);
  OK("monitoring", "DescribeAlarms", "{\"AlarmNames\":[\"lat\"]}");
  CHECK_STR(rs("MetricAlarms.0.StateValue"), "INSUFFICIENT_DATA");
  /* SetAlarmState fires the actions of the new state */
  OK("monitoring", "SetAlarmState", "{\"AlarmName\":\"lat\",\"StateValue\":\"OK\",\"StateReason\":\"manual\"}");
  CHECK_INT(cJSON_GetArraySize(notes), 2);
  ERR("monitoring", "SetAlarmState", "{\"AlarmName\":\"nope\",\"StateValue\":\"OK\",\"StateReason\":\"x\"}", "ResourceNotFound", 404,
      "Alarm nope not found");
  ERR("monitoring", "SetAlarmState", "{\"AlarmName\":\"lat\",\"StateValue\":\"BAD\",\"StateReason\":\"x\"}", "ValidationError", 400, "*");
  OK("monitoring", "DescribeAlarmHistory", "{\"AlarmName\":\"lat\"}");
  CHECK_STR(rs("AlarmHistoryItems.0.HistorySummary"), "Alarm updated from INSUFFICIENT_DATA to ALARM");
  sim_t_end();
}

static void test_actions_disabled_and_update_keeps_state(void) {
  world("metric_delay_seconds=0");
  OK("sns", "CreateTopic", "{\"Name\":\"ops\"}");
  const char *put = "{\"AlarmName\":\"a\",\"Namespace\":\"N\",\"MetricName\":\"M\",\"Statistic\":\"Sum\",\"Period\":60,"
                    "\"EvaluationPeriods\":1,\"Threshold\":1,\"ComparisonOperator\":\"GreaterThanThreshold\",\"ActionsEnabled\":false,"
                    "\"AlarmActions\":[\"arn:aws:sns:us-east-1:123456789012:ops\"]}";
  OK("monitoring", "PutMetricAlarm", put);
  OK("monitoring", "PutMetricData", "{\"Namespace\":\"N\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":5}]}");
  advance(60);
  OK("monitoring", "DescribeAlarms", "{\"AlarmNamePrefix\":\"a\"}");
  CHECK_STR(rs("MetricAlarms.0.StateValue"), "ALARM");
  CHECK_INT(cJSON_GetArraySize(sim_get(sim_obj(W->doc, "sns"), "notifications")), 0);
  OK("monitoring", "PutMetricAlarm", put); /* replacing the config keeps the state */
  OK("monitoring", "DescribeAlarms", "{\"AlarmNames\":[\"a\"]}");
  CHECK_STR(rs("MetricAlarms.0.StateValue"), "ALARM");
  /* unknown names are ignored; the known ones are deleted */
  OK("monitoring", "DeleteAlarms", "{\"AlarmNames\":[\"a\",\"ghost\"]}");
  OK("monitoring", "DescribeAlarms", "{\"AlarmNames\":[\"a\"]}");
  CHECK(rs("MetricAlarms.0.AlarmName") == NULL);
  sim_t_end();
}

static void test_alarm_tags(void) {
  world(NULL);
  OK("monitoring", "PutMetricAlarm", "{\"AlarmName\":\"a\",\"Namespace\":\"N\",\"MetricName\":\"M\",\"Statistic\":\"Sum\",\"Period\":60,"
                                     "\"EvaluationPeriods\":1,\"Threshold\":1,\"ComparisonOperator\":\"GreaterThanThreshold\","
                                     "\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}]}");
  const char *arn = "{\"ResourceARN\":\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a\"}";
  OK("monitoring", "ListTagsForResource", arn);
  CHECK_STR(rs("Tags.0.Value"), "v");
  OK("monitoring", "TagResource", "{\"ResourceARN\":\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a\",\"Tags\":[{\"Key\":\"k\",\"Value\":\"w\"}]}");
  OK("monitoring", "ListTagsForResource", arn);
  CHECK_STR(rs("Tags.0.Value"), "w");
  OK("monitoring", "UntagResource", "{\"ResourceARN\":\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a\",\"TagKeys\":[\"k\"]}");
  ERR("monitoring", "ListTagsForResource", "{\"ResourceARN\":\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:b\"}",
      "ResourceNotFoundException", 404, "*");
  sim_t_end();
}

static void test_metric_statistics(void) {
  world(NULL);
  OK("monitoring", "PutMetricData", "{\"Namespace\":\"N\",\"MetricData\":[{\"MetricName\":\"M\",\"Values\":[1,3],\"Counts\":[1,1]},"
                                    "{\"MetricName\":\"M\",\"Value\":8,\"Timestamp\":\"2026-01-01T00:01:30Z\"}]}");
  advance(300);
  OK("monitoring", "GetMetricStatistics", "{\"Namespace\":\"N\",\"MetricName\":\"M\",\"Period\":60,\"StartTime\":"
                                          "\"2026-01-01T00:00:00Z\",\"EndTime\":\"2026-01-01T00:05:00Z\",\"Statistics\":[\"Sum\",\"Average\",\"Maximum\",\"SampleCount\"]}");
  CHECK_STR(rs("Datapoints.0.Timestamp"), "2026-01-01T00:00:00Z");
  CHECK(rn("Datapoints.0.Sum") == 4 && rn("Datapoints.0.Average") == 2 && rn("Datapoints.0.Maximum") == 3);
  CHECK(rn("Datapoints.1.Sum") == 8);
  CHECK_STR(rs("Datapoints.1.Timestamp"), "2026-01-01T00:01:00Z");
  ERR("monitoring", "GetMetricStatistics", "{\"Namespace\":\"N\",\"MetricName\":\"M\",\"Period\":60,\"StartTime\":"
                                          "\"2025-12-01T00:00:00Z\",\"EndTime\":\"2026-01-01T00:05:00Z\",\"Statistics\":[\"Sum\"]}",
      "InvalidParameterCombination", 400, "You have requested up to 44645 datapoints, which exceeds the limit of 1,440.");
  ERR("monitoring", "PutMetricData", "{\"Namespace\":\"N\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1,"
                                     "\"Timestamp\":\"2025-01-01T00:00:00Z\"}]}",
      "InvalidParameterValue", 400, "The parameter MetricData.member.Timestamp must specify a time no more than two weeks "
                                    "in the past and no more than two hours in the future.");
  ERR("monitoring", "PutMetricData", "{\"Namespace\":\":bad\",\"MetricData\":[]}", "ValidationError", 400, "*");
  sim_t_end();
}

static void test_sns_topics(void) {
  world(NULL);
  OK("sns", "CreateTopic", "{\"Name\":\"ops\",\"Attributes\":{\"DisplayName\":\"Ops\"},\"Tags\":[{\"Key\":\"a\",\"Value\":\"b\"}]}");
  OK("sns", "CreateTopic", "{\"Name\":\"ops\",\"Attributes\":{\"DisplayName\":\"Ops\"}}"); /* idempotent */
  ERR("sns", "CreateTopic", "{\"Name\":\"ops\",\"Attributes\":{\"DisplayName\":\"Other\"}}", "InvalidParameter", 400,
      "Invalid parameter: Attributes Reason: Topic already exists with different attributes");
  ERR("sns", "CreateTopic", "{\"Name\":\"bad name\"}", "InvalidParameter", 400, "Invalid parameter: Topic Name");
  OK("sns", "CreateTopic", "{\"Name\":\"q.fifo\",\"Attributes\":{\"FifoTopic\":\"true\"}}");
  OK("sns", "GetTopicAttributes", "{\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:ops\"}");
  CHECK_STR(rs("Attributes.DisplayName"), "Ops");
  CHECK_STR(rs("Attributes.Owner"), "123456789012");
  OK("sns", "SetTopicAttributes", "{\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:ops\",\"AttributeName\":\"DisplayName\",\"AttributeValue\":\"X\"}");
  OK("sns", "GetTopicAttributes", "{\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:ops\"}");
  CHECK_STR(rs("Attributes.DisplayName"), "X");
  ERR("sns", "SetTopicAttributes", "{\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:ops\",\"AttributeName\":\"Color\",\"AttributeValue\":\"X\"}",
      "InvalidParameter", 400, "Invalid parameter: AttributeName");
  OK("sns", "ListTagsForResource", "{\"ResourceArn\":\"arn:aws:sns:us-east-1:123456789012:ops\"}");
  CHECK_STR(rs("Tags.0.Key"), "a");
  OK("sns", "DeleteTopic", "{\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:ops\"}");
  OK("sns", "DeleteTopic", "{\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:ops\"}"); /* missing is fine */
  ERR("sns", "GetTopicAttributes", "{\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:ops\"}", "NotFound", 404, "Topic does not exist");
  OK("sns", "ListTopics", NULL);
  CHECK_STR(rs("Topics.0.TopicArn"), "arn:aws:sns:us-east-1:123456789012:q.fifo");
  OK("sns", "TagResource", "{\"ResourceArn\":\"arn:aws:sns:us-east-1:123456789012:q.fifo\",\"Tags\":[{\"Key\":\"x\",\"Value\":\"1\"}]}");
  OK("sns", "UntagResource", "{\"ResourceArn\":\"arn:aws:sns:us-east-1:123456789012:q.fifo\",\"TagKeys\":[\"x\"]}");
  OK("sns", "ListTagsForResource", "{\"ResourceArn\":\"arn:aws:sns:us-east-1:123456789012:q.fifo\"}");
  CHECK(rs("Tags.0.Key") == NULL);
  ERR("sns", "TagResource", "{\"ResourceArn\":\"arn:aws:sns:us-east-1:123456789012:nope\",\"Tags\":[]}", "NotFound", 404, "Topic does not exist");
  OK("sns", "Publish", "{\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:q.fifo\",\"Message\":\"hello\",\"Subject\":\"s\"}");
  CHECK(rs("MessageId") != NULL);
  const cJSON *notes = sim_get(sim_obj(W->doc, "sns"), "notifications");
  CHECK_STR(sim_str(cJSON_GetArrayItem(notes, 0), "Message"), "hello");
  ERR("sns", "Publish", "{\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:q.fifo\"}", "InvalidParameter", 400,
      "Invalid parameter: Message");
  sim_t_end();
}

int main(void) {
  RUN(test_missing_data_table_3_of_3);
  RUN(test_missing_data_table_2_of_3);
  RUN(test_put_metric_alarm_errors);
  RUN(test_alarm_states_and_sns);
  RUN(test_actions_disabled_and_update_keeps_state);
  RUN(test_alarm_tags);
  RUN(test_metric_statistics);
  RUN(test_sns_topics);
  return T_END();
}
