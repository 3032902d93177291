/*
** tests/fuzz/fuzz_state.c — libFuzzer target for the state reader.
**
** Any bytes must give either a state or diagnostics, never a crash or a
** leak; a state that parses must serialize to bytes that parse again, and
** from the second write on the bytes are a fixed point. (The first write
** may differ: invalid UTF-8 becomes the \ufffd escape, as in Go, which
** reads back as a valid U+FFFD and is then written as itself.)
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
    DiagList dl3 = {0};
    State *u = st_parse(b.s, b.len, "fuzz3.tfstate", &dl3);
    if (!u) abort();
    Buf c = BUF_INIT;
    st_serialize(u, &c);
    if (c.len != b.len || memcmp(c.s, b.s, b.len) != 0) abort();
    buf_free(&c);
    st_free(u);
    diag_free(&dl3);
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
