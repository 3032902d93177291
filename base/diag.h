/*
** base/diag.h — the one diagnostic type of the whole program.
**
** Every stage appends to a DiagList and carries on where it sensibly can, so
** a user sees every problem in one run. A diagnostic has a one-line summary,
** a detail paragraph saying what to do, and optionally a subject range (the
** exact bytes at fault) and a context range (the enclosing construct, shown
** in the snippet). Rendering follows Terraform: text with a framed snippet,
** or the objects of Terraform's -json output.
*/
#ifndef TFC_DIAG_H
#define TFC_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "base/src.h"

typedef enum { DIAG_ERROR, DIAG_WARNING } DiagSeverity;

/* "var.x is \"foo\"" style notes shown under the snippet. */
typedef struct DiagValue {
  char *traversal;
  char *statement;
} DiagValue;

typedef struct Diag {
  DiagSeverity severity;
  char *summary;          /* one line, no trailing period unless Terraform has one */
  char *detail;           /* may be NULL; may contain newlines */
  bool has_subject;
  SrcRange subject;
  bool has_context;
  SrcRange context;
  char *address;          /* "with aws_x.y," line; may be NULL */
  DiagValue *values;
  size_t nvalues;
} Diag;

typedef struct DiagList {
  Diag *v;
  size_t n, cap;
  size_t nerrors;
} DiagList;

/* Adds a diagnostic; subject may be NULL. detail is a printf format (may be NULL).
** Returns the new diagnostic so callers can set the context or values. */
Diag *diag_add(DiagList *dl, DiagSeverity sev, const SrcRange *subject, const char *summary,
               const char *detail, ...) __attribute__((format(printf, 5, 6)));
Diag *diag_error(DiagList *dl, SrcRange subject, const char *summary, const char *detail, ...)
    __attribute__((format(printf, 4, 5)));
void diag_set_context(Diag *d, SrcRange context);
void diag_add_value(Diag *d, const char *traversal, const char *statement);
/* Moves every diagnostic of src to the end of dst. */
void diag_move(DiagList *dst, DiagList *src);
bool diag_has_errors(const DiagList *dl);
void diag_free(DiagList *dl);

/* Terraform's text form. color adds the frame and ANSI colours; width is the
** terminal width used to wrap details (0 = do not wrap). */
void diag_render_text(FILE *out, const Diag *d, bool color, int width);
/* Renders errors to err and warnings to out, as Terraform's CLI does. */
void diag_print_all(const DiagList *dl, FILE *out, FILE *err, bool color);
/* Terraform's -json diagnostic object (a cJSON*, returned as void* so this
** header does not pull in cJSON). */
void *diag_to_json(const Diag *d);

/* Whether output should be coloured: false when -no-color was given, when
** NO_COLOR is set, or when the stream is not a terminal. */
bool diag_color_enabled(FILE *stream, bool no_color_flag);
/* Width for wrapping detail text on stream (78 when not a terminal). */
int diag_term_width(FILE *stream);

#endif
