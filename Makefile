# tfc — one Makefile for the whole tree.
#
#   make           build ./tfc
#   make test      build and run every test; ends with "N passed, N failed"
#   make check     the same suite under ASan + UBSan + LSan (build/asan)
#   make bench     the benchmarks
#   make fuzz      libFuzzer targets (clang), in build/fuzz
#
# Sources are found by folder: every .c under the pipeline folders goes into
# libtfc.a, cli/main.c is the program. Generated sources (re2c, lemon) land
# in $(B)/gen and are never edited by hand.

CC      ?= cc
B       ?= build
OPT     ?= -O2 -g
SAN     ?=
WARN    = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wpointer-arith -Wformat=2 -Wno-format-nonliteral -Werror
CFLAGS  = -std=c11 -D_GNU_SOURCE $(OPT) $(SAN) $(WARN) -I. -I$(B)/gen -MMD -MP
LDFLAGS = $(SAN)
LIBS    = -lyajl -lmpfr -lgmp -lcrypt -lcjson -lcrypto -lutf8proc -lpcre2-8 -lyaml -lz -lm -lpthread -ledit -lexpat

DIRS    = base lexer parser eval stdlib graph plan state providers providers/aws providers/sim providers/https cli
LIBSRC  = $(filter-out cli/main.c,$(foreach d,$(DIRS),$(wildcard $(d)/*.c)))
GENSRC  = $(if $(wildcard lexer/lexer.re),$(B)/gen/lexer.c) $(if $(wildcard parser/grammar.y),$(B)/gen/grammar.c)
LIBOBJ  = $(patsubst %.c,$(B)/obj/%.o,$(LIBSRC)) $(patsubst $(B)/gen/%.c,$(B)/obj/gen/%.o,$(GENSRC))
UNITSRC = $(wildcard tests/unit/test_*.c)
UNITBIN = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNITSRC))
TOOLSRC = $(wildcard tests/tools/*.c)
TOOLBIN = $(patsubst tests/tools/%.c,$(B)/tools/%,$(TOOLSRC))
BENCHSRC = $(wildcard bench/*.c)
BENCHBIN = $(patsubst bench/%.c,$(B)/bench/%,$(BENCHSRC))

.PHONY: all test check bench fuzz clean
.DELETE_ON_ERROR:

all: tfc

# The program is built in $(B) and, for the default build, linked to ./tfc.
tfc: $(B)/tfc
	@if [ "$(B)" = build ]; then ln -sf $(B)/tfc tfc; fi

$(B)/tfc: $(B)/obj/cli/main.o $(B)/libtfc.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/libtfc.a: $(LIBOBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/obj/%.o: %.c | $(GENSRC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# Generated code is compiled with the same flags; lemon's template needs a
# few warnings relaxed, which is its business, not ours. GCC does not inline
# lemon's shift routine into the parse loop at -O2 by itself; it runs once
# per token, and inlining it saves a tenth of the parser's instructions.
GRAMMAR_OPT = $(if $(findstring clang,$(CC)),,--param max-inline-insns-auto=60)
$(B)/obj/gen/lexer.o: $(GENSRC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/obj/gen/grammar.o: $(B)/gen/grammar.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(GRAMMAR_OPT) -DNDEBUG -Wno-unused-parameter -Wno-missing-prototypes -Wno-unused-variable -c -o $@ $<

$(B)/gen/lexer.c: lexer/lexer.re
	@mkdir -p $(dir $@)
	re2c -W -Werror --no-generation-date --no-version -c -o $@ $<

# lemon exits non-zero on any parsing conflict, so a conflict fails the build.
# grammar.h is named as an output so that make sees the token codes change
# before it decides which objects are stale; lemon leaves an unchanged header
# alone, so it is touched to keep it newer than grammar.y.
$(B)/gen/grammar.c $(B)/gen/grammar.h &: parser/grammar.y
	@mkdir -p $(dir $@)
	cp parser/grammar.y $(B)/gen/grammar.y
	cd $(B)/gen && lemon -q -T/usr/share/lemon/lempar.c grammar.y
	@rm -f $(B)/gen/grammar.y $(B)/gen/grammar.out
	@touch $(B)/gen/grammar.h

$(B)/tests/%: tests/unit/%.c tests/unit/t.h $(B)/libtfc.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libtfc.a $(LIBS)

$(B)/tools/%: tests/tools/%.c $(B)/libtfc.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libtfc.a $(LIBS)

$(B)/bench/%: bench/%.c $(B)/libtfc.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libtfc.a $(LIBS)

# Each fuzz target is also built as a replay program for its corpus.
REPLAYSRC = $(wildcard tests/fuzz/fuzz_*.c)
REPLAYBIN = $(patsubst tests/fuzz/%.c,$(B)/replay/%,$(REPLAYSRC))
$(B)/replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(B)/libtfc.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(B)/libtfc.a $(LIBS)

test: $(B)/tfc $(UNITBIN) $(TOOLBIN) $(REPLAYBIN) tfc
	@B=$(B) bash tests/run.sh

check:
	$(MAKE) B=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" test

bench: $(B)/tfc $(BENCHBIN) $(TOOLBIN)
	@B=$(B) bash bench/run.sh

FUZZSRC = $(wildcard tests/fuzz/fuzz_*.c)
fuzz:
	$(MAKE) B=build/fuzz CC=clang OPT="-O1 -g" \
	  SAN="-fsanitize=fuzzer-no-link,address,undefined" build/fuzz/libtfc.a
	@mkdir -p build/fuzz/bin
	for f in $(FUZZSRC); do \
	  n=$$(basename $$f .c); \
	  clang -std=c11 -D_GNU_SOURCE -O1 -g -I. -Ibuild/fuzz/gen -fsanitize=fuzzer,address,undefined \
	    -o build/fuzz/bin/$$n $$f build/fuzz/libtfc.a $(LIBS) || exit 1; \
	done

clean:
	rm -rf build tfc

# Header dependencies of objects and of test programs (a test that includes
# a helper header such as tests/unit/aws_t.h is rebuilt when it changes).
-include $(shell find $(B)/obj $(B)/tests $(B)/tools -name '*.d' 2>/dev/null)
