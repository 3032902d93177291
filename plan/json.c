/* placeholder */
#include "plan/plan.h"
cJSON *plan_to_json(const Plan *p, const CfgModule *root, const State *prior) { (void)p; (void)root; (void)prior; return cJSON_CreateObject(); }
