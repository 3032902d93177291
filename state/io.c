/*
** state/io.c — reading a v4 state file into the model and writing the model
** back in Terraform's exact byte layout.
**
** Reading validates everything a later stage relies on and reports each
** problem as a diagnostic naming the file, so a damaged state is a clear
** error and never a crash. Writing goes through one function so every writer
** (state file, `state pull`, backups, journal folds) produces the same bytes.
*/
#include "state/state.h"

#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNSUPPORTED "Unsupported state file format"

typedef struct Reader {
  const char *path;
  DiagList *dl;
  size_t errors;
} Reader;

static void rerr(Reader *r, const char *summary, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds an error whose detail names the file first. */
static void rerr(Reader *r, const char *summary, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char buf[2048];
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  diag_add(r->dl, DIAG_ERROR, NULL, summary, "%s: %s", r->path, buf);
  r->errors++;
}

/* Terraform accepts semver strings: MAJOR.MINOR.PATCH with an optional
** -prerelease and +build. */
static bool valid_version(const char *v) {
  for (int part = 0; part < 3; part++) {
    if (!isdigit((unsigned char)*v)) return false;
    while (isdigit((unsigned char)*v)) v++;
    if (part < 2) {
      if (*v != '.') return false;
      v++;
    }
  }
  if (*v == '-' || *v == '+') {
    v++;
    if (!*v) return false;
    for (; *v; v++)
      if (!isalnum((unsigned char)*v) && *v != '.' && *v != '-' && *v != '+') return false;
  }
  return *v == 0;
}

static bool is_uint(const cJSON *v) {
  return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble == floor(v->valuedouble) &&
         v->valuedouble < 1.8e19;
}

/* Whole numbers that fit a long long (schema versions). */
static bool is_small_uint(const cJSON *v) { return is_uint(v) && v->valuedouble < 9e18; }

static bool hex8(const char *s) {
  if (strlen(s) != 8) return false;
  for (; *s; s++)
    if (!isxdigit((unsigned char)*s)) return false;
  return true;
}

/* Moves a child out of its parent so the model can own it without a copy. */
static cJSON *take(cJSON *obj, const char *key) {
  return cJSON_DetachItemFromObjectCaseSensitive(obj, key);
}

static void read_instance(Reader *rd, StResource *res, const char *raddr, cJSON *jo, bool replace) {
  if (!cJSON_IsObject(jo)) {
    rerr(rd, "Invalid resource instance in state", "Resource %s has an instance that is not a JSON object.",
         raddr);
    return;
  }
  StKey key = {ST_KEY_NONE, 0, NULL};
  cJSON *ik = cJSON_GetObjectItemCaseSensitive(jo, "index_key");
  if (ik && !cJSON_IsNull(ik)) {
    if (cJSON_IsNumber(ik) && ik->valuedouble == floor(ik->valuedouble) && fabs(ik->valuedouble) < 9e15) {
      key.kind = ST_KEY_INT;
      key.i = (long long)ik->valuedouble;
    } else if (cJSON_IsString(ik)) {
      key.kind = ST_KEY_STR;
      key.s = ik->valuestring;
    } else {
      rerr(rd, "Invalid resource instance metadata in state",
           "Resource %s has an instance with an invalid index_key: it must be a whole number or a string.",
           raddr);
      return;
    }
  }
  Buf ab = BUF_INIT;
  buf_puts(&ab, raddr);
  st_key_format(&ab, &key);
  char *iaddr = buf_take(&ab);

  const char *deposed = NULL;
  cJSON *dj = cJSON_GetObjectItemCaseSensitive(jo, "deposed");
  if (dj && !cJSON_IsNull(dj)) {
    if (!cJSON_IsString(dj) || !hex8(dj->valuestring)) {
      rerr(rd, "Invalid resource instance metadata in state",
           "Instance %s has an object with an invalid deposed key: it must be 8 hexadecimal digits.", iaddr);
      goto out;
    }
    if (dj->valuestring[0]) deposed = dj->valuestring;
  }
  bool tainted = false;
  cJSON *sj = cJSON_GetObjectItemCaseSensitive(jo, "status");
  if (sj && !cJSON_IsNull(sj)) {
    if (!cJSON_IsString(sj) || (strcmp(sj->valuestring, "tainted") != 0 && sj->valuestring[0])) {
      rerr(rd, "Invalid resource instance metadata in state", "Instance %s has invalid status %s.", iaddr,
           cJSON_IsString(sj) ? sj->valuestring : "(not a string)");
      goto out;
    }
    tainted = sj->valuestring[0] != 0;
  }
  if (!replace && st_find_instance(res, &key, deposed)) {
    if (deposed)
      rerr(rd, "Duplicate resource instance in state",
           "Instance %s deposed object %s appears multiple times in the state file.", iaddr, deposed);
    else
      rerr(rd, "Duplicate resource instance in state", "Instance %s appears multiple times in the state file.",
           iaddr);
    goto out;
  }
  cJSON *sv = cJSON_GetObjectItemCaseSensitive(jo, "schema_version");
  if (sv && !is_small_uint(sv)) {
    rerr(rd, "Invalid resource instance metadata in state",
         "Instance %s has an invalid schema_version: it must be a whole number.", iaddr);
    goto out;
  }
  cJSON *attrs = cJSON_GetObjectItemCaseSensitive(jo, "attributes");
  if (attrs && !cJSON_IsObject(attrs) && !cJSON_IsNull(attrs)) {
    rerr(rd, "Invalid resource instance attributes in state",
         "Instance %s has attributes that are not a JSON object.", iaddr);
    goto out;
  }
  if ((!attrs || cJSON_IsNull(attrs)) && cJSON_GetObjectItemCaseSensitive(jo, "attributes_flat")) {
    rerr(rd, "Unsupported legacy state",
         "Instance %s stores its attributes in the flat format of Terraform 0.11 (attributes_flat). "
         "Run any Terraform 0.12 or later command on this state first to upgrade it.",
         iaddr);
    goto out;
  }
  cJSON *sens = cJSON_GetObjectItemCaseSensitive(jo, "sensitive_attributes");
  if (sens && !cJSON_IsArray(sens) && !cJSON_IsNull(sens)) {
    rerr(rd, "Invalid resource instance metadata in state",
         "Instance %s has sensitive_attributes that are not a JSON array of paths.", iaddr);
    goto out;
  }
  cJSON *isv = cJSON_GetObjectItemCaseSensitive(jo, "identity_schema_version");
  if (isv && !is_small_uint(isv)) {
    rerr(rd, "Invalid resource instance metadata in state",
         "Instance %s has an invalid identity_schema_version: it must be a whole number.", iaddr);
    goto out;
  }
  cJSON *priv = cJSON_GetObjectItemCaseSensitive(jo, "private");
  if (priv && !cJSON_IsString(priv) && !cJSON_IsNull(priv)) {
    rerr(rd, "Invalid resource instance metadata in state",
         "Instance %s has a private value that is not a base64 string.", iaddr);
    goto out;
  }
  cJSON *deps = cJSON_GetObjectItemCaseSensitive(jo, "dependencies");
  if (deps && !cJSON_IsNull(deps)) {
    bool ok = cJSON_IsArray(deps);
    for (cJSON *d = ok ? deps->child : NULL; d; d = d->next)
      if (!cJSON_IsString(d)) ok = false;
    if (!ok) {
      rerr(rd, "Invalid resource instance metadata in state",
           "Instance %s has dependencies that are not a list of resource addresses.", iaddr);
      goto out;
    }
  }
  cJSON *cbd = cJSON_GetObjectItemCaseSensitive(jo, "create_before_destroy");
  if (cbd && !cJSON_IsBool(cbd) && !cJSON_IsNull(cbd)) {
    rerr(rd, "Invalid resource instance metadata in state",
         "Instance %s has a create_before_destroy value that is not a boolean.", iaddr);
    goto out;
  }

  StInstance *in = st_put_instance(res, &key, deposed);
  in->tainted = tainted;
  in->schema_version = sv ? (long long)sv->valuedouble : 0;
  if (attrs && cJSON_IsObject(attrs)) {
    cJSON_Delete(in->attributes);
    in->attributes = take(jo, "attributes");
  }
  if (sens && cJSON_IsArray(sens)) {
    cJSON_Delete(in->sensitive_attributes);
    in->sensitive_attributes = take(jo, "sensitive_attributes");
  }
  in->has_identity_schema_version = isv != NULL;
  in->identity_schema_version = isv ? (long long)isv->valuedouble : 0;
  cJSON *idj = cJSON_GetObjectItemCaseSensitive(jo, "identity");
  if (idj && !cJSON_IsNull(idj)) in->identity = take(jo, "identity");
  if (priv && cJSON_IsString(priv) && priv->valuestring[0]) in->private_b64 = xstrdup(priv->valuestring);
  for (cJSON *d = deps && cJSON_IsArray(deps) ? deps->child : NULL; d; d = d->next)
    st_instance_add_dep(in, d->valuestring);
  in->create_before_destroy = cJSON_IsTrue(cbd);
out:
  free(iaddr);
}

static void read_resource(Reader *rd, State *s, cJSON *jr, size_t idx) {
  if (!cJSON_IsObject(jr)) {
    rerr(rd, "Invalid resource in state", "Entry %zu of \"resources\" is not a JSON object.", idx);
    return;
  }
  cJSON *mode = cJSON_GetObjectItemCaseSensitive(jr, "mode");
  cJSON *type = cJSON_GetObjectItemCaseSensitive(jr, "type");
  cJSON *name = cJSON_GetObjectItemCaseSensitive(jr, "name");
  cJSON *module = cJSON_GetObjectItemCaseSensitive(jr, "module");
  cJSON *prov = cJSON_GetObjectItemCaseSensitive(jr, "provider");
  if (!cJSON_IsString(type) || !type->valuestring[0] || !cJSON_IsString(name) || !name->valuestring[0]) {
    rerr(rd, "Invalid resource in state", "Entry %zu of \"resources\" lacks a \"type\" or \"name\" string.",
         idx);
    return;
  }
  StMode m;
  if (cJSON_IsString(mode) && strcmp(mode->valuestring, "managed") == 0) {
    m = ST_MANAGED;
  } else if (cJSON_IsString(mode) && strcmp(mode->valuestring, "data") == 0) {
    m = ST_DATA;
  } else {
    rerr(rd, "Invalid resource mode in state", "State contains a resource with mode %s (%s %s). This is not a valid mode.",
         cJSON_IsString(mode) ? mode->valuestring : "(missing)", type->valuestring, name->valuestring);
    return;
  }
  if (module && !cJSON_IsNull(module) && !cJSON_IsString(module)) {
    rerr(rd, "Invalid resource in state", "Resource %s.%s has a \"module\" that is not a string.",
         type->valuestring, name->valuestring);
    return;
  }
  const char *mod = cJSON_IsString(module) ? module->valuestring : "";
  if (mod[0]) {
    StAddr a;
    char *err = NULL;
    char *probe = xasprintf("%s.x.y", mod);
    bool ok = st_addr_parse(probe, &a, &err) && a.has_resource;
    if (ok) st_addr_free(&a);
    free(probe);
    free(err);
    if (!ok) {
      rerr(rd, "Invalid resource in state", "Resource %s.%s has an invalid module address %s.",
           type->valuestring, name->valuestring, mod);
      return;
    }
  }
  if (!cJSON_IsString(prov) || !prov->valuestring[0]) {
    rerr(rd, "Invalid provider config address in state", "Resource %s.%s has no \"provider\" string.",
         type->valuestring, name->valuestring);
    return;
  }
  cJSON *insts = cJSON_GetObjectItemCaseSensitive(jr, "instances");
  if (insts && !cJSON_IsArray(insts) && !cJSON_IsNull(insts)) {
    rerr(rd, "Invalid resource in state", "Resource %s.%s has \"instances\" that is not a JSON array.",
         type->valuestring, name->valuestring);
    return;
  }
  StResource *r = st_get_resource(s, mod, m, type->valuestring, name->valuestring, prov->valuestring);
  char *raddr = st_resource_addr(r);
  for (cJSON *ji = insts ? insts->child : NULL; ji; ji = ji->next) read_instance(rd, r, raddr, ji, false);
  free(raddr);
}

static void read_outputs(Reader *rd, State *s, cJSON *outs) {
  if (!outs || cJSON_IsNull(outs)) return;
  if (!cJSON_IsObject(outs)) {
    rerr(rd, "Invalid output values in state", "The \"outputs\" property must be a JSON object.");
    return;
  }
  for (cJSON *o = outs->child; o; o = o->next) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "value");
    cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "type");
    cJSON *sens = cJSON_GetObjectItemCaseSensitive(o, "sensitive");
    if (!cJSON_IsObject(o) || !v || !t || (!cJSON_IsString(t) && !cJSON_IsArray(t))) {
      rerr(rd, "Invalid output value in state",
           "Output %s must be an object with a \"value\" and a \"type\" (a cty type in JSON).", o->string);
      continue;
    }
    if (sens && !cJSON_IsBool(sens)) {
      rerr(rd, "Invalid output value in state", "Output %s has a \"sensitive\" value that is not a boolean.",
           o->string);
      continue;
    }
    st_json_canonical_numbers(v);
    st_set_output(s, o->string, v, t, cJSON_IsTrue(sens));
  }
}

State *st_parse(const char *bytes, size_t len, const char *path, DiagList *dl) {
  Reader rd = {path ? path : "terraform.tfstate", dl, 0};
  size_t errpos = 0;
  cJSON *root = st_json_parse(bytes, len, &errpos);
  if (!root) {
    /* Point at the bad byte so the snippet shows the line, unless the line
    ** is too long to show (a minified state is one huge line). */
    size_t ls = errpos, le = errpos;
    while (ls > 0 && bytes[ls - 1] != '\n') ls--;
    while (le < len && bytes[le] != '\n') le++;
    int line = 1, col = (int)(errpos - ls) + 1;
    for (size_t i = 0; i < ls; i++) line += bytes[i] == '\n';
    if (le - ls <= 300 && len < UINT32_MAX) {
      uint32_t fid = src_add(rd.path, xstrndup(bytes, len), len);
      SrcRange at = src_range(fid, (uint32_t)errpos, (uint32_t)(errpos < len ? errpos + 1 : errpos));
      diag_error(dl, at, UNSUPPORTED,
                 "The state file %s could not be parsed as JSON: syntax error at line %d, column %d.", rd.path, line,
                 col);
    } else {
      rerr(&rd, UNSUPPORTED, "The state file could not be parsed as JSON: syntax error at line %d, byte %zu.", line,
           errpos + 1);
    }
    return NULL;
  }
  if (!cJSON_IsObject(root)) {
    rerr(&rd, UNSUPPORTED, "The state file does not contain a JSON object.");
    cJSON_Delete(root);
    return NULL;
  }
  cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
  cJSON *tfv = cJSON_GetObjectItemCaseSensitive(root, "terraform_version");
  if (!ver) {
    rerr(&rd, UNSUPPORTED,
         "The state file does not have a \"version\" attribute, which is required to identify the format version.");
    cJSON_Delete(root);
    return NULL;
  }
  if (!is_small_uint(ver)) {
    rerr(&rd, UNSUPPORTED, "The \"version\" attribute must be a whole number.");
    cJSON_Delete(root);
    return NULL;
  }
  long v = (long)ver->valuedouble;
  if (v != 4) {
    if (v == 0)
      rerr(&rd, UNSUPPORTED,
           "The state file uses JSON syntax but has a version number of zero. There was never a JSON-based state "
           "format zero, so this state file is invalid and cannot be processed.");
    else if (v < 4)
      rerr(&rd, UNSUPPORTED,
           "The state file uses format version %ld, written by Terraform 0.11 or earlier. tfc reads format version 4 "
           "only; run any command of Terraform 0.12 or later on it once to upgrade it.",
           v);
    else
      rerr(&rd, UNSUPPORTED,
           "The state file uses format version %ld, which is not supported by Terraform %s. This state file was "
           "created by Terraform %s.",
           v, ST_WRITER_VERSION, cJSON_IsString(tfv) ? tfv->valuestring : "(unknown version)");
    cJSON_Delete(root);
    return NULL;
  }
  State *s = xcalloc(1, sizeof *s);
  if (!cJSON_IsString(tfv) || !valid_version(tfv->valuestring)) {
    rerr(&rd, "Invalid Terraform version string",
         "State file claims to have been written by Terraform version %s, which is not a valid version string.",
         cJSON_IsString(tfv) ? tfv->valuestring : "(missing)");
  }
  s->terraform_version = xstrdup(cJSON_IsString(tfv) ? tfv->valuestring : ST_WRITER_VERSION);
  cJSON *serial = cJSON_GetObjectItemCaseSensitive(root, "serial");
  if (serial && !is_uint(serial))
    rerr(&rd, "Invalid state file", "The \"serial\" attribute must be a whole number of zero or more.");
  else if (serial)
    s->serial = (uint64_t)serial->valuedouble;
  cJSON *lineage = cJSON_GetObjectItemCaseSensitive(root, "lineage");
  if (lineage && !cJSON_IsString(lineage) && !cJSON_IsNull(lineage))
    rerr(&rd, "Invalid state file", "The \"lineage\" attribute must be a string.");
  s->lineage = xstrdup(cJSON_IsString(lineage) ? lineage->valuestring : "");
  read_outputs(&rd, s, cJSON_GetObjectItemCaseSensitive(root, "outputs"));
  cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "resources");
  if (res && !cJSON_IsArray(res) && !cJSON_IsNull(res)) {
    rerr(&rd, "Invalid state file", "The \"resources\" property must be a JSON array.");
  } else if (res) {
    size_t i = 0;
    for (cJSON *r = res->child; r; r = r->next) read_resource(&rd, s, r, i++);
  }
  cJSON *cr = cJSON_GetObjectItemCaseSensitive(root, "check_results");
  if (cr && cJSON_IsArray(cr)) s->check_results = take(root, "check_results");
  cJSON_Delete(root);
  if (rd.errors) {
    st_free(s);
    return NULL;
  }
  return s;
}

State *st_read_file(const char *path, bool *exists, DiagList *dl) {
  size_t len = 0;
  char *bytes = read_file(path, &len);
  if (!bytes) {
    if (errno == ENOENT) {
      if (exists) *exists = false;
      return NULL;
    }
    if (exists) *exists = true;
    diag_add(dl, DIAG_ERROR, NULL, "Failed to load state", "Cannot read %s: %s.", path, strerror(errno));
    return NULL;
  }
  if (exists) *exists = true;
  State *s;
  /* Terraform treats an empty file as "no state yet" */
  if (len == 0) {
    if (exists) *exists = false;
    s = NULL;
  } else {
    s = st_parse(bytes, len, path, dl);
  }
  free(bytes);
  return s;
}

/* ---- writing ---- */

static void key_line(Buf *b, int depth, const char *key) {
  buf_putc(b, '\n');
  for (int i = 0; i < depth; i++) buf_add(b, "  ", 2);
  st_json_string(b, key, strlen(key));
  buf_add(b, ": ", 2);
}

static void str_field(Buf *b, int depth, const char *key, const char *val, bool comma) {
  key_line(b, depth, key);
  st_json_string(b, val, strlen(val));
  if (comma) buf_putc(b, ',');
}

static void close_line(Buf *b, int depth, char c) {
  buf_putc(b, '\n');
  for (int i = 0; i < depth; i++) buf_add(b, "  ", 2);
  buf_putc(b, c);
}

/* One instance object at depth 4 (inside resources[i].instances). Field
** order is Terraform's struct order; omitempty fields are skipped. */
static void write_instance(Buf *b, const StInstance *in) {
  const int d = 5;
  buf_putc(b, '{');
  if (in->key.kind == ST_KEY_INT) {
    key_line(b, d, "index_key");
    buf_printf(b, "%lld,", in->key.i);
  } else if (in->key.kind == ST_KEY_STR) {
    str_field(b, d, "index_key", in->key.s, true);
  }
  if (in->tainted) str_field(b, d, "status", "tainted", true);
  if (in->deposed) str_field(b, d, "deposed", in->deposed, true);
  key_line(b, d, "schema_version");
  buf_printf(b, "%lld,", in->schema_version);
  key_line(b, d, "attributes");
  st_json_pretty(b, in->attributes, d, true);
  buf_putc(b, ',');
  key_line(b, d, "sensitive_attributes");
  if (in->sensitive_attributes) st_json_pretty(b, in->sensitive_attributes, d, false);
  else buf_puts(b, "[]");
  bool more = in->has_identity_schema_version || in->identity || in->private_b64 || in->ndeps ||
              in->create_before_destroy;
  if (more) buf_putc(b, ',');
  if (in->has_identity_schema_version) {
    key_line(b, d, "identity_schema_version");
    buf_printf(b, "%lld", in->identity_schema_version);
    if (in->identity || in->private_b64 || in->ndeps || in->create_before_destroy) buf_putc(b, ',');
  }
  if (in->identity) {
    key_line(b, d, "identity");
    st_json_pretty(b, in->identity, d, true);
    if (in->private_b64 || in->ndeps || in->create_before_destroy) buf_putc(b, ',');
  }
  if (in->private_b64) str_field(b, d, "private", in->private_b64, in->ndeps || in->create_before_destroy);
  if (in->ndeps) {
    key_line(b, d, "dependencies");
    buf_putc(b, '[');
    for (size_t i = 0; i < in->ndeps; i++) {
      buf_putc(b, '\n');
      for (int k = 0; k < d + 1; k++) buf_add(b, "  ", 2);
      st_json_string(b, in->deps[i], strlen(in->deps[i]));
      if (i + 1 < in->ndeps) buf_putc(b, ',');
    }
    close_line(b, d, ']');
    if (in->create_before_destroy) buf_putc(b, ',');
  }
  if (in->create_before_destroy) {
    key_line(b, d, "create_before_destroy");
    buf_puts(b, "true");
  }
  close_line(b, d - 1, '}');
}

static void write_resource(Buf *b, const StResource *r) {
  const int d = 3;
  buf_putc(b, '{');
  if (r->module[0]) str_field(b, d, "module", r->module, true);
  str_field(b, d, "mode", r->mode == ST_DATA ? "data" : "managed", true);
  str_field(b, d, "type", r->type, true);
  str_field(b, d, "name", r->name, true);
  str_field(b, d, "provider", r->provider, true);
  key_line(b, d, "instances");
  if (!r->ninst) {
    buf_puts(b, "[]");
  } else {
    buf_putc(b, '[');
    for (size_t i = 0; i < r->ninst; i++) {
      buf_putc(b, '\n');
      for (int k = 0; k < d + 1; k++) buf_add(b, "  ", 2);
      write_instance(b, &r->inst[i]);
      if (i + 1 < r->ninst) buf_putc(b, ',');
    }
    close_line(b, d, ']');
  }
  close_line(b, d - 1, '}');
}

/* The state file is a header (version, terraform_version, serial, lineage)
** and a body (everything else). The body alone is the state's content:
** comparing bodies is how writers decide whether anything changed, without
** serializing twice. */
void st_serialize_header(const State *s, Buf *b) {
  buf_putc(b, '{');
  key_line(b, 1, "version");
  buf_puts(b, "4,");
  str_field(b, 1, "terraform_version", s->terraform_version, true);
  key_line(b, 1, "serial");
  buf_printf(b, "%llu,", (unsigned long long)s->serial);
  str_field(b, 1, "lineage", s->lineage, true);
}

void st_serialize_body(State *s, Buf *b) {
  st_sort(s);
  key_line(b, 1, "outputs");
  if (!s->noutputs) {
    buf_puts(b, "{},");
  } else {
    buf_putc(b, '{');
    for (size_t i = 0; i < s->noutputs; i++) {
      const StOutput *o = &s->outputs[i];
      key_line(b, 2, o->name);
      buf_putc(b, '{');
      key_line(b, 3, "value");
      st_json_pretty(b, o->value, 3, true);
      buf_putc(b, ',');
      key_line(b, 3, "type");
      st_json_pretty(b, o->type, 3, true);
      if (o->sensitive) {
        buf_putc(b, ',');
        key_line(b, 3, "sensitive");
        buf_puts(b, "true");
      }
      close_line(b, 2, '}');
      if (i + 1 < s->noutputs) buf_putc(b, ',');
    }
    close_line(b, 1, '}');
    buf_putc(b, ',');
  }
  key_line(b, 1, "resources");
  if (!s->nres) {
    buf_puts(b, "[],");
  } else {
    buf_putc(b, '[');
    for (size_t i = 0; i < s->nres; i++) {
      buf_add(b, "\n    ", 5);
      write_resource(b, s->res[i]);
      if (i + 1 < s->nres) buf_putc(b, ',');
    }
    close_line(b, 1, ']');
    buf_putc(b, ',');
  }
  key_line(b, 1, "check_results");
  if (s->check_results) st_json_pretty(b, s->check_results, 1, false);
  else buf_puts(b, "null");
  buf_puts(b, "\n}\n");
}

void st_serialize(State *s, Buf *out) {
  st_serialize_header(s, out);
  st_serialize_body(s, out);
}

/* Content equality is decided on the serialized form with the metadata
** blanked: it is exactly what reaches the disk, so "equal" can never
** disagree with what a reader sees. Sorting is the only mutation. */
bool st_same_content(const State *a, const State *b) {
  Buf bx = BUF_INIT, by = BUF_INIT;
  st_serialize_body((State *)a, &bx);
  st_serialize_body((State *)b, &by);
  bool same = bx.len == by.len && memcmp(bx.s, by.s, bx.len) == 0;
  buf_free(&bx);
  buf_free(&by);
  return same;
}

/* ---- instance objects on their own (journal records) ---- */

bool st_instance_from_json(StResource *r, cJSON *jo, const char *path, DiagList *dl) {
  Reader rd = {path ? path : "journal", dl, 0};
  char *raddr = st_resource_addr(r);
  read_instance(&rd, r, raddr, jo, true);
  free(raddr);
  return rd.errors == 0;
}

cJSON *st_instance_to_json(const StInstance *in) {
  cJSON *o = cJSON_CreateObject();
  if (in->key.kind == ST_KEY_INT) cJSON_AddNumberToObject(o, "index_key", (double)in->key.i);
  else if (in->key.kind == ST_KEY_STR) cJSON_AddStringToObject(o, "index_key", in->key.s);
  if (in->tainted) cJSON_AddStringToObject(o, "status", "tainted");
  if (in->deposed) cJSON_AddStringToObject(o, "deposed", in->deposed);
  cJSON_AddNumberToObject(o, "schema_version", (double)in->schema_version);
  cJSON_AddItemToObject(o, "attributes", cJSON_Duplicate(in->attributes, true));
  cJSON_AddItemToObject(o, "sensitive_attributes",
                        in->sensitive_attributes ? cJSON_Duplicate(in->sensitive_attributes, true)
                                                 : cJSON_CreateArray());
  if (in->has_identity_schema_version)
    cJSON_AddNumberToObject(o, "identity_schema_version", (double)in->identity_schema_version);
  if (in->identity) cJSON_AddItemToObject(o, "identity", cJSON_Duplicate(in->identity, true));
  if (in->private_b64) cJSON_AddStringToObject(o, "private", in->private_b64);
  if (in->ndeps) {
    cJSON *d = cJSON_AddArrayToObject(o, "dependencies");
    for (size_t i = 0; i < in->ndeps; i++) cJSON_AddItemToArray(d, cJSON_CreateString(in->deps[i]));
  }
  if (in->create_before_destroy) cJSON_AddTrueToObject(o, "create_before_destroy");
  return o;
}
