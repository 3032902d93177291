/*
** providers/aws/aws.h — the AWS provider, compiled in.
**
** aws_provider is the Provider "aws" of provider.h: its provider-block
** schema, the resource and data source types, configure (over any
** AwsTransport: the simulator's sim_open, or HTTPS), close and clock.
*/
#ifndef TFC_AWS_H
#define TFC_AWS_H

#include "providers/provider.h"

extern const Provider aws_provider;

/* The configured region / account id of an instance (owned by it). */
const char *aws_region(const ProvCtx *p);
const char *aws_account_id(const ProvCtx *p);

/* Renders an IAM policy document the way the real provider's
** aws_iam_policy_document does (pretty, 2-space indent), from the
** data source's configuration value. Returns NULL and adds diagnostics on
** error. Exposed for golden tests. */
char *aws_policy_document_json(const Value *config, ProvDiags *out);

/* Whether two JSON policy documents are equivalent (the provider's diff
** suppression: key order, single-element arrays vs scalars, order of
** Action/Resource/Principal lists). */
bool aws_policy_equivalent(const char *a, const char *b);

/* The deployment checks (checks.c): outcomes AWS makes certain for a
** module's resources, as warnings. */
void aws_check_config(CheckResource *v, size_t n);

#endif
