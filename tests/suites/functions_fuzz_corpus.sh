#!/usr/bin/env bash
# Replays the saved inputs of the functions' fuzz target (see
# tests/tools/fnfuzzreplay.c); under `make check` they run with ASan/UBSan.
set -u
B=${B:-build}
exec "$B/tools/fnfuzzreplay" tests/fuzz/corpus/fuzz_fn_decode
