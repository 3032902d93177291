/*
** parser/grammar.y — HCL native syntax as a lemon grammar.
**
** The Makefile turns this into build/gen/grammar.c; a parsing conflict fails
** the build. Actions are one-line calls into the builders of parser/build.h,
** which tolerate NULL children so error recovery never crashes a builder.
**
** Newlines: the token feeder (parser/parse.c) drops newlines inside (), [],
** for expressions and template sequences, as hcl does, so the grammar only
** sees NEWLINE where it is significant: ending attributes and block
** headers, and separating object items.
*/

%name HclParser
%token_prefix TK_
%token_type {Token}
%extra_context {ParseState *ps}
%default_type {Expr *}
%stack_size 0
%start_symbol file

%include {
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "lexer/lexer.h"
#include "parser/build.h"
#define YYMALLOCARGTYPE size_t
#define YYNOERRORRECOVERY_NOT_SET 1
}

%syntax_error { ps_syntax_error(ps, yymajor, yyminor); }
%parse_failure { ps_parse_failure(ps); }
%stack_overflow { ps_stack_overflow(ps); }

/* Lowest to highest precedence. */
%right QUESTION.
%left OR.
%left AND.
%left EQ NE.
%left LT LE GT GE.
%left PLUS MINUS.
%left STAR SLASH PERCENT.
%right BANG UMINUS.
/* Traversals (.name, [key], .*, [*]) bind tightest. They are expr rules
** rather than a separate postfix/primary tier: that saves two unit
** reductions per operand, a good part of the parser's work per token. */
%left DOT LBRACK.

/* Tokens the lexer may produce that no rule shifts (they surface as syntax
** errors with a better message from ps_syntax_error). */
%token INVALID.

file ::= items(L). { ps_finish_body(ps, L); }
file ::= EXPRSTART expr(E) NEWLINE. { ps_finish_expr(ps, E); }

%type items {ListH}
items(A) ::= . { A = ps_list_new(ps, SC_ITEMS); }
items(A) ::= items(L) NEWLINE. { A = L; }
/* An argument is spelled out here rather than reduced to an attribute
** first: one reduction fewer for the commonest line of a file. Its name
** and "=" usually come as one ATTRNAME token (lexer.re); a comment between
** them leaves the two apart. */
items(A) ::= items(L) ATTRNAME(N) expr(E) NEWLINE. { A = ps_items_add_attr(ps, L, ps_attribute(ps, N, E)); }
items(A) ::= items(L) IDENT(N) EQUAL expr(E) NEWLINE. { A = ps_items_add_attr(ps, L, ps_attribute(ps, N, E)); }
items(A) ::= items(L) block(X) NEWLINE. { A = ps_items_add_block(ps, L, X); }
items(A) ::= items(L) error NEWLINE. { A = L; }

%type block {Block *}
block(A) ::= IDENT(T) labels(L) LBRACE(O) NEWLINE items(I) RBRACE(C). { A = ps_block(ps, T, L, O, &I, NULL, C); }
block(A) ::= IDENT(T) labels(L) LBRACE(O) RBRACE(C). { A = ps_block(ps, T, L, O, NULL, NULL, C); }
block(A) ::= IDENT(T) labels(L) LBRACE(O) IDENT(N) EQUAL expr(E) RBRACE(C). { A = ps_block(ps, T, L, O, NULL, ps_attribute(ps, N, E), C); }
block(A) ::= IDENT(T) labels(L) LBRACE(O) ATTRNAME(N) expr(E) RBRACE(C). { A = ps_block(ps, T, L, O, NULL, ps_attribute(ps, N, E), C); }

%type labels {ListH}
labels(A) ::= . { A = ps_list_new(ps, SC_LABELS); }
labels(A) ::= labels(L) IDENT(N). { A = ps_label_ident(ps, L, N); }
labels(A) ::= labels(L) OQUOTE(O) tparts(P) CQUOTE(C). { A = ps_label_string(ps, L, O, P, C); }
labels(A) ::= labels(L) STRING(S). { A = ps_label_simple(ps, L, S); }

/* ---- expressions ---- */

expr(A) ::= expr(C) QUESTION expr(T) COLON expr(F). { A = ps_cond(ps, C, T, F); }
expr(A) ::= expr(L) OR(O) expr(R). { A = ps_binary(ps, OP_OR, L, O, R); }
expr(A) ::= expr(L) AND(O) expr(R). { A = ps_binary(ps, OP_AND, L, O, R); }
expr(A) ::= expr(L) EQ(O) expr(R). { A = ps_binary(ps, OP_EQ, L, O, R); }
expr(A) ::= expr(L) NE(O) expr(R). { A = ps_binary(ps, OP_NE, L, O, R); }
expr(A) ::= expr(L) LT(O) expr(R). { A = ps_binary(ps, OP_LT, L, O, R); }
expr(A) ::= expr(L) LE(O) expr(R). { A = ps_binary(ps, OP_LE, L, O, R); }
expr(A) ::= expr(L) GT(O) expr(R). { A = ps_binary(ps, OP_GT, L, O, R); }
expr(A) ::= expr(L) GE(O) expr(R). { A = ps_binary(ps, OP_GE, L, O, R); }
expr(A) ::= expr(L) PLUS(O) expr(R). { A = ps_binary(ps, OP_ADD, L, O, R); }
expr(A) ::= expr(L) MINUS(O) expr(R). { A = ps_binary(ps, OP_SUB, L, O, R); }
expr(A) ::= expr(L) STAR(O) expr(R). { A = ps_binary(ps, OP_MUL, L, O, R); }
expr(A) ::= expr(L) SLASH(O) expr(R). { A = ps_binary(ps, OP_DIV, L, O, R); }
expr(A) ::= expr(L) PERCENT(O) expr(R). { A = ps_binary(ps, OP_MOD, L, O, R); }
expr(A) ::= MINUS(O) expr(E). [UMINUS] { A = ps_unary(ps, OP_NEG, O, E); }
expr(A) ::= BANG(O) expr(E). { A = ps_unary(ps, OP_NOT, O, E); }
expr(A) ::= expr(P) DOT IDENT(N). { A = ps_getattr(ps, P, N); }
expr(A) ::= expr(P) DOT NUMBER(N). { A = ps_legacy_index(ps, P, N); }
expr(A) ::= expr(P) DOT STAR(S). { A = ps_splat(ps, P, S, S, true); }
expr(A) ::= expr(P) LBRACK(O) expr(K) RBRACK(C). { A = ps_index(ps, P, K, O, C); }
expr(A) ::= expr(P) LBRACK(O) STAR RBRACK(C). { A = ps_splat(ps, P, O, C, false); }

expr(A) ::= NUMBER(N). { A = ps_number(ps, N); }
expr(A) ::= IDENT(N). { A = ps_variable(ps, N); }
expr(A) ::= STRING(S). { A = ps_string(ps, S); }
expr(A) ::= OQUOTE(O) tparts(P) CQUOTE(C). { A = ps_template(ps, O, P, C, false); }
expr(A) ::= OHEREDOC(O) tparts(P) CHEREDOC(C). { A = ps_template(ps, O, P, C, true); }
expr(A) ::= LPAREN(O) expr(E) RPAREN(C). { A = ps_paren(ps, O, E, C); }
expr(A) ::= LPAREN(O) error RPAREN(C). { A = ps_error_expr(ps, O, C); }
expr(A) ::= LBRACK(O) tuple_items(L) RBRACK(C). { A = ps_tuple(ps, O, L, C); }
expr(A) ::= LBRACK(O) error RBRACK(C). { A = ps_error_expr(ps, O, C); }
expr(A) ::= LBRACE(O) obj_body(L) RBRACE(C). { A = ps_object(ps, O, L, C); }
expr(A) ::= LBRACE(O) error RBRACE(C). { A = ps_error_expr(ps, O, C); }
expr(A) ::= fname(F) LPAREN(O) call_args(L) RPAREN(C). { A = ps_call(ps, F, O, L, C); }
expr(A) ::= fname(F) LPAREN error RPAREN(C). { A = ps_error_expr(ps, F, C); }
expr(A) ::= LBRACK(O) FOR for_intro(I) COLON expr(V) for_cond(K) RBRACK(C). { A = ps_for(ps, O, I, NULL, V, false, K, C); }
expr(A) ::= LBRACE(O) FOR for_intro(I) COLON expr(KE) ARROW expr(V) for_group(G) for_cond(K) RBRACE(C). { A = ps_for(ps, O, I, KE, V, G, K, C); }

/* A function name, "provider::ns::fn" included, is one span of source. */
%type fname {Token}
fname(A) ::= IDENT(N). { A = N; }
fname(A) ::= fname(F) DCOLON IDENT(N). { A = tok_span(F, N); }

%type tuple_items {ListH}
tuple_items(A) ::= . { A = ps_list_new(ps, SC_EXPRS); }
tuple_items(A) ::= expr_list(L). { A = L; }
tuple_items(A) ::= expr_list(L) COMMA. { A = L; }

%type expr_list {ListH}
expr_list(A) ::= expr(E). { A = ps_list_add(ps, ps_list_new(ps, SC_EXPRS), E); }
expr_list(A) ::= expr_list(L) COMMA expr(E). { A = ps_list_add(ps, L, E); }

%type call_args {ListH}
call_args(A) ::= . { A = ps_list_new(ps, SC_EXPRS); }
call_args(A) ::= expr_list(L). { A = L; }
call_args(A) ::= expr_list(L) COMMA. { A = L; }
call_args(A) ::= expr_list(L) ELLIPSIS. { A = ps_list_expand(ps, L); }
call_args(A) ::= expr_list(L) ELLIPSIS COMMA. { A = ps_list_expand(ps, L); }

/* Each separator is one token: the feeder drops a newline that follows
** the opening brace or a comma, and the lexer folds blank lines into one
** newline, so separators need no rules (and no reductions) of their own. */
%type obj_body {ListH}
obj_body(A) ::= . { A = ps_list_new(ps, SC_OBJS); }
obj_body(A) ::= obj_list(L). { A = L; }
obj_body(A) ::= obj_list(L) COMMA. { A = L; }
obj_body(A) ::= obj_list(L) NEWLINE. { A = L; }

%type obj_list {ListH}
obj_list(A) ::= ATTRNAME(N) expr(V). { A = ps_obj_add(ps, ps_list_new(ps, SC_OBJS), ps_variable(ps, N), V, false); }
obj_list(A) ::= obj_list(L) COMMA ATTRNAME(N) expr(V). { A = ps_obj_add(ps, L, ps_variable(ps, N), V, false); }
obj_list(A) ::= obj_list(L) NEWLINE ATTRNAME(N) expr(V). { A = ps_obj_add(ps, L, ps_variable(ps, N), V, false); }
obj_list(A) ::= expr(K) EQUAL expr(V). { A = ps_obj_add(ps, ps_list_new(ps, SC_OBJS), K, V, false); }
obj_list(A) ::= expr(K) COLON expr(V). { A = ps_obj_add(ps, ps_list_new(ps, SC_OBJS), K, V, true); }
obj_list(A) ::= obj_list(L) COMMA expr(K) EQUAL expr(V). { A = ps_obj_add(ps, L, K, V, false); }
obj_list(A) ::= obj_list(L) COMMA expr(K) COLON expr(V). { A = ps_obj_add(ps, L, K, V, true); }
obj_list(A) ::= obj_list(L) NEWLINE expr(K) EQUAL expr(V). { A = ps_obj_add(ps, L, K, V, false); }
obj_list(A) ::= obj_list(L) NEWLINE expr(K) COLON expr(V). { A = ps_obj_add(ps, L, K, V, true); }

%type for_intro {ForIntro *}
for_intro(A) ::= IDENT(V) IN expr(C). { A = ps_for_intro(ps, NULL, &V, C); }
for_intro(A) ::= IDENT(K) COMMA IDENT(V) IN expr(C). { A = ps_for_intro(ps, &K, &V, C); }

for_cond(A) ::= . { A = NULL; }
for_cond(A) ::= IF expr(E). { A = E; }

%type for_group {int}
for_group(A) ::= . { A = 0; }
for_group(A) ::= ELLIPSIS. { A = 1; }

/* ---- templates ---- */

%type tparts {ListH}
tparts(A) ::= . { A = ps_list_new(ps, SC_PARTS); }
tparts(A) ::= tparts(L) QUOTED_LIT(T). { A = ps_part_lit(ps, L, T, false); }
tparts(A) ::= tparts(L) STRING_LIT(T). { A = ps_part_lit(ps, L, T, true); }
tparts(A) ::= tparts(L) TEMPLATE_INTERP(O) expr(E) TEMPLATE_SEQ_END(C). { A = ps_part_interp(ps, L, O, E, C); }
tparts(A) ::= tparts(L) TEMPLATE_INTERP(O) error TEMPLATE_SEQ_END(C). { A = ps_part_interp(ps, L, O, NULL, C); }
tparts(A) ::= tparts(L) TEMPLATE_CONTROL(O) IF expr(E) TEMPLATE_SEQ_END(C1) tparts(T) TEMPLATE_CONTROL(O2) ENDIF TEMPLATE_SEQ_END(C2).
  { A = ps_part_if(ps, L, O, E, C1, T, NULL, NULL, NULL, O2, C2); }
tparts(A) ::= tparts(L) TEMPLATE_CONTROL(O) IF expr(E) TEMPLATE_SEQ_END(C1) tparts(T) TEMPLATE_CONTROL(OE) ELSE TEMPLATE_SEQ_END(CE) tparts(F) TEMPLATE_CONTROL(O2) ENDIF TEMPLATE_SEQ_END(C2).
  { A = ps_part_if(ps, L, O, E, C1, T, &OE, &CE, &F, O2, C2); }
tparts(A) ::= tparts(L) TEMPLATE_CONTROL(O) FOR IDENT(V) IN expr(E) TEMPLATE_SEQ_END(C1) tparts(B) TEMPLATE_CONTROL(O2) ENDFOR TEMPLATE_SEQ_END(C2).
  { A = ps_part_for(ps, L, O, NULL, &V, E, C1, B, O2, C2); }
tparts(A) ::= tparts(L) TEMPLATE_CONTROL(O) FOR IDENT(K) COMMA IDENT(V) IN expr(E) TEMPLATE_SEQ_END(C1) tparts(B) TEMPLATE_CONTROL(O2) ENDFOR TEMPLATE_SEQ_END(C2).
  { A = ps_part_for(ps, L, O, &K, &V, E, C1, B, O2, C2); }
