/*
** providers/registry.c — the providers compiled into tfc.
*/
#include "providers/aws/aws.h"
#include "providers/provider.h"

#include <string.h>

static const Provider *const builtin[] = {&aws_provider};

const Provider *provider_lookup(const char *name) {
  for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
    if (strcmp(builtin[i]->name, name) == 0) return builtin[i];
  return NULL;
}
