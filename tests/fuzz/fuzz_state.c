/*
** tests/fuzz/fuzz_state.c — libFuzzer target for the state reader.
**
** Any bytes must give either a state or diagnostics, never a crash or a
** leak; a state that parses must serialize to bytes that parse again to
** the same bytes (the writer's output is a fixed point).
*/
#include "base/util.h"
#include "state/state.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  DiagList dl = {0};
  State *s = st_parse((const char *)data, size, "fuzz.tfstate", &dl);
  if (s) {
    Buf a = BUF_INIT, b = BUF_INIT;
    st_serialize(s, &a);
    DiagList dl2 = {0};
    State *t = st_parse(a.s, a.len, "fuzz2.tfstate", &dl2);
    if (!t) abort(); /* our own output must read back */
    st_serialize(t, &b);
    if (a.len != b.len || memcmp(a.s, b.s, a.len) != 0) abort();
    /* rendering must not crash either */
    for (size_t i = 0; i < t->nres; i++)
      for (size_t j = 0; j < t->res[i]->ninst; j++) {
        Buf r = BUF_INIT;
        st_render_instance(&r, t->res[i], &t->res[i]->inst[j]);
        buf_free(&r);
      }
    Buf d = BUF_INIT;
    st_diff(&d, s, t, NULL);
    buf_free(&d);
    st_free(t);
    diag_free(&dl2);
    buf_free(&a);
    buf_free(&b);
    st_free(s);
  }
  diag_free(&dl);
  src_reset();
  return 0;
}
