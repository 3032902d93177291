/*
** eval/type.c — interned types, their names, unification and JSON form.
**
** Every composite type is built once and kept in one global table for the
** life of the process, so two equal types are the same pointer and type
** equality is `==`. The table is guarded by a mutex because the graph walk
** evaluates in parallel.
*/
#include "eval/value.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"

const Type ty_dynamic = {TY_DYNAMIC, NULL, 0, NULL, NULL, NULL, 0x9e3779b1u};
const Type ty_string = {TY_STRING, NULL, 0, NULL, NULL, NULL, 0x85ebca6bu};
const Type ty_number = {TY_NUMBER, NULL, 0, NULL, NULL, NULL, 0xc2b2ae35u};
const Type ty_bool = {TY_BOOL, NULL, 0, NULL, NULL, NULL, 0x27d4eb2fu};

static pthread_mutex_t type_lock = PTHREAD_MUTEX_INITIALIZER;
static Type **type_tab;      /* open addressing, power-of-two size */
static size_t type_cap, type_cnt;

static uint32_t mix(uint32_t h, uint32_t x) {
  h ^= x + 0x9e3779b9u + (h << 6) + (h >> 2);
  return h;
}

static uint32_t str_hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static uint32_t shape_hash(const Type *t) {
  uint32_t h = mix(0x1234567u, (uint32_t)t->kind);
  if (t->elem) h = mix(h, t->elem->hash);
  for (size_t i = 0; i < t->n; i++) {
    h = mix(h, t->elems[i]->hash);
    if (t->names) h = mix(h, str_hash(t->names[i]));
    if (t->optional) h = mix(h, t->optional[i] ? 7u : 3u);
  }
  return h;
}

static bool shape_equal(const Type *a, const Type *b) {
  if (a->kind != b->kind || a->elem != b->elem || a->n != b->n) return false;
  if ((a->optional == NULL) != (b->optional == NULL)) return false;
  for (size_t i = 0; i < a->n; i++) {
    if (a->elems[i] != b->elems[i]) return false;
    if (a->names && strcmp(a->names[i], b->names[i]) != 0) return false;
    if (a->optional && a->optional[i] != b->optional[i]) return false;
  }
  return true;
}

static void tab_insert(Type *t) {
  size_t m = type_cap - 1, i = t->hash & m;
  while (type_tab[i]) i = (i + 1) & m;
  type_tab[i] = t;
}

/* Returns the interned copy of the shape *t (whose arrays are borrowed). */
static const Type *intern(const Type *t) {
  Type key = *t;
  key.hash = shape_hash(t);
  pthread_mutex_lock(&type_lock);
  if (type_cap) {
    size_t m = type_cap - 1, i = key.hash & m;
    for (; type_tab[i]; i = (i + 1) & m)
      if (type_tab[i]->hash == key.hash && shape_equal(type_tab[i], &key)) {
        pthread_mutex_unlock(&type_lock);
        return type_tab[i];
      }
  }
  if ((type_cnt + 1) * 2 > type_cap) {
    Type **old = type_tab;
    size_t oldcap = type_cap;
    type_cap = type_cap ? type_cap * 2 : 256;
    type_tab = xcalloc(type_cap, sizeof *type_tab);
    for (size_t i = 0; i < oldcap; i++)
      if (old[i]) tab_insert(old[i]);
    free(old);
  }
  Type *nt = xmalloc(sizeof *nt);
  *nt = key;
  if (key.n) {
    const Type **el = xmalloc(key.n * sizeof *el);
    memcpy(el, key.elems, key.n * sizeof *el);
    nt->elems = el;
    if (key.names) {
      const char **nm = xmalloc(key.n * sizeof *nm);
      for (size_t i = 0; i < key.n; i++) nm[i] = xstrdup(key.names[i]);
      nt->names = nm;
    }
    if (key.optional) {
      bool *op = xmalloc(key.n * sizeof *op);
      memcpy(op, key.optional, key.n * sizeof *op);
      nt->optional = op;
    }
  } else {
    nt->elems = NULL;
    nt->names = NULL;
    nt->optional = NULL;
  }
  tab_insert(nt);
  type_cnt++;
  pthread_mutex_unlock(&type_lock);
  return nt;
}

static const Type *collection(TypeKind k, const Type *elem) {
  Type t = {k, elem, 0, NULL, NULL, NULL, 0};
  return intern(&t);
}

const Type *type_list(const Type *elem) { return collection(TY_LIST, elem); }
const Type *type_set(const Type *elem) { return collection(TY_SET, elem); }
const Type *type_map(const Type *elem) { return collection(TY_MAP, elem); }

const Type *type_tuple(const Type *const *elems, size_t n) {
  Type t = {TY_TUPLE, NULL, n, elems, NULL, NULL, 0};
  return intern(&t);
}

typedef struct AttrSort {
  const char *name;
  const Type *type;
  bool opt;
} AttrSort;

static int attr_cmp(const void *a, const void *b) {
  return strcmp(((const AttrSort *)a)->name, ((const AttrSort *)b)->name);
}

const Type *type_object_opt(const char *const *names, const Type *const *types,
                            const bool *optional, size_t n) {
  AttrSort stackbuf[16];
  AttrSort *as = n <= 16 ? stackbuf : xmalloc(n * sizeof *as);
  bool anyopt = false, sorted = true;
  for (size_t i = 0; i < n; i++) {
    as[i].name = names[i];
    as[i].type = types[i];
    as[i].opt = optional && optional[i];
    anyopt |= as[i].opt;
    if (i && strcmp(names[i - 1], names[i]) >= 0) sorted = false;
  }
  if (!sorted) qsort(as, n, sizeof *as, attr_cmp);
  const char *nbuf[16];
  const Type *tbuf[16];
  bool obuf[16];
  const char **nm = n <= 16 ? nbuf : xmalloc(n * sizeof *nm);
  const Type **ty = n <= 16 ? tbuf : xmalloc(n * sizeof *ty);
  bool *op = n <= 16 ? obuf : xmalloc(n * sizeof *op);
  for (size_t i = 0; i < n; i++) {
    nm[i] = as[i].name;
    ty[i] = as[i].type;
    op[i] = as[i].opt;
  }
  Type t = {TY_OBJECT, NULL, n, ty, nm, anyopt ? op : NULL, 0};
  const Type *r = intern(&t);
  if (n > 16) {
    free(as);
    free(nm);
    free(ty);
    free(op);
  }
  return r;
}

const Type *type_object(const char *const *names, const Type *const *types, size_t n) {
  return type_object_opt(names, types, NULL, n);
}

const Type *type_object_plain(const Type *t) {
  if (t->kind != TY_OBJECT || !t->optional) return t;
  return type_object_opt(t->names, t->elems, NULL, t->n);
}

bool type_has_dynamic(const Type *t) {
  switch (t->kind) {
    case TY_DYNAMIC: return true;
    case TY_LIST:
    case TY_SET:
    case TY_MAP: return type_has_dynamic(t->elem);
    case TY_TUPLE:
    case TY_OBJECT:
      for (size_t i = 0; i < t->n; i++)
        if (type_has_dynamic(t->elems[i])) return true;
      return false;
    default: return false;
  }
}

long type_attr_index(const Type *t, const char *name) {
  if (t->kind != TY_OBJECT) return -1;
  size_t lo = 0, hi = t->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(t->names[mid], name);
    if (c == 0) return (long)mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

const Type *type_attr(const Type *t, const char *name) {
  long i = type_attr_index(t, name);
  return i < 0 ? NULL : t->elems[i];
}

/* ------------------------------------------------------------- names */

static void friendly(Buf *b, const Type *t, bool constraint) {
  switch (t->kind) {
    case TY_DYNAMIC: buf_puts(b, constraint ? "any type" : "dynamic"); break;
    case TY_STRING: buf_puts(b, "string"); break;
    case TY_NUMBER: buf_puts(b, "number"); break;
    case TY_BOOL: buf_puts(b, "bool"); break;
    case TY_LIST: buf_puts(b, "list of "); friendly(b, t->elem, constraint); break;
    case TY_SET: buf_puts(b, "set of "); friendly(b, t->elem, constraint); break;
    case TY_MAP: buf_puts(b, "map of "); friendly(b, t->elem, constraint); break;
    case TY_TUPLE: buf_puts(b, "tuple"); break;
    case TY_OBJECT: buf_puts(b, "object"); break;
  }
}

char *type_friendly_name(const Type *t) {
  Buf b = BUF_INIT;
  friendly(&b, t, false);
  return buf_take(&b);
}

char *type_friendly_name_constraint(const Type *t) {
  Buf b = BUF_INIT;
  friendly(&b, t, true);
  return buf_take(&b);
}

static void type_expr(Buf *b, const Type *t) {
  switch (t->kind) {
    case TY_DYNAMIC: buf_puts(b, "any"); break;
    case TY_STRING: buf_puts(b, "string"); break;
    case TY_NUMBER: buf_puts(b, "number"); break;
    case TY_BOOL: buf_puts(b, "bool"); break;
    case TY_LIST:
    case TY_SET:
    case TY_MAP:
      buf_puts(b, t->kind == TY_LIST ? "list(" : t->kind == TY_SET ? "set(" : "map(");
      type_expr(b, t->elem);
      buf_putc(b, ')');
      break;
    case TY_TUPLE:
      buf_puts(b, "tuple([");
      for (size_t i = 0; i < t->n; i++) {
        if (i) buf_puts(b, ", ");
        type_expr(b, t->elems[i]);
      }
      buf_puts(b, "])");
      break;
    case TY_OBJECT:
      buf_puts(b, "object({");
      for (size_t i = 0; i < t->n; i++) {
        if (i) buf_puts(b, ", ");
        buf_printf(b, "%s=", t->names[i]);
        if (t->optional && t->optional[i]) buf_puts(b, "optional(");
        type_expr(b, t->elems[i]);
        if (t->optional && t->optional[i]) buf_putc(b, ')');
      }
      buf_puts(b, "})");
      break;
  }
}

char *type_expr_string(const Type *t) {
  Buf b = BUF_INIT;
  type_expr(&b, t);
  return buf_take(&b);
}

/* ------------------------------------------------------------ unification
**
** A port of the rules of go-cty's convert.Unify (the unsafe variant HCL uses
** for conditionals and collections): collections of one kind unify their
** element types; objects with identical attribute names unify attribute-wise;
** tuples of one length element-wise; mixtures of maps and objects (or lists
** and tuples) try to become a map (list); otherwise the most general of the
** given types that all others convert to is chosen (string beats number and
** bool, dynamic is least preferred).
*/

static const Type *unify(const Type *const *types, size_t n);

/* Preference between two types: <0 when a is more general, >0 when b is. */
static int compare_types(const Type *a, const Type *b) {
  if (a->kind == TY_DYNAMIC || b->kind == TY_DYNAMIC) {
    if (a->kind != TY_DYNAMIC) return -1;
    if (b->kind != TY_DYNAMIC) return 1;
    return 0;
  }
  if (type_is_primitive(a) && type_is_primitive(b)) {
    if (a == T_STRING || b == T_STRING) {
      if (a != T_STRING) return 1;
      if (b != T_STRING) return -1;
      return 0;
    }
  }
  if ((a->kind == TY_LIST && b->kind == TY_LIST) || (a->kind == TY_SET && b->kind == TY_SET) ||
      (a->kind == TY_MAP && b->kind == TY_MAP))
    return compare_types(a->elem, b->elem);
  int swap = 1;
  if ((a->kind == TY_TUPLE && b->kind == TY_LIST) || (a->kind == TY_OBJECT && b->kind == TY_MAP) ||
      (a->kind == TY_SET && b->kind == TY_TUPLE) || (a->kind == TY_SET && b->kind == TY_LIST)) {
    const Type *x = a;
    a = b;
    b = x;
    swap = -1;
  }
  if (b->kind == TY_SET && (a->kind == TY_TUPLE || a->kind == TY_LIST)) return -1 * swap;
  if (a->kind == TY_LIST && b->kind == TY_TUPLE) return -1 * swap;
  if (a->kind == TY_MAP && b->kind == TY_OBJECT) return -1 * swap;
  if ((a->kind == TY_OBJECT && b->kind == TY_OBJECT) || (a->kind == TY_TUPLE && b->kind == TY_TUPLE)) {
    if (a->n != b->n) return 0;
    bool asup = false, bsup = false;
    for (size_t i = 0; i < a->n; i++) {
      if (a->names && strcmp(a->names[i], b->names[i]) != 0) return 0;
      int c = compare_types(a->elems[i], b->elems[i]);
      if (c < 0) asup = true;
      else if (c > 0) bsup = true;
    }
    if (asup && bsup) return 0;
    if (asup) return -1;
    if (bsup) return 1;
    return 0;
  }
  return 0;
}

/* Topological preference order (cty's sortTypes), into order[n]. */
static void sort_types(const Type *const *t, size_t n, size_t *order) {
  size_t *indeg = xcalloc(n, sizeof *indeg);
  unsigned char *edge = xcalloc(n * n, 1); /* edge[i*n+j]: i more general than j */
  for (size_t i = 0; i + 1 < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      int c = compare_types(t[i], t[j]);
      if (c < 0) edge[i * n + j] = 1, indeg[j]++;
      else if (c > 0) edge[j * n + i] = 1, indeg[i]++;
    }
  size_t qh = 0, qt = 0;
  for (size_t i = 0; i < n; i++)
    if (indeg[i] == 0) order[qt++] = i;
  while (qh < qt) {
    size_t i = order[qh++];
    for (size_t j = 0; j < n; j++)
      if (edge[i * n + j] && --indeg[j] == 0) order[qt++] = j;
  }
  for (; qt < n; qt++) order[qt] = n; /* cycles: unreachable entries */
  free(indeg);
  free(edge);
}

static const Type *unify_collections(TypeKind k, const Type *const *types, size_t n) {
  const Type **el = xmalloc(n * sizeof *el);
  for (size_t i = 0; i < n; i++) el[i] = types[i]->elem;
  const Type *e = unify(el, n);
  free(el);
  if (!e) return NULL;
  return collection(k, e);
}

/* Maps and objects as one map type; lists and tuples as one list type. */
static const Type *unify_as_collection(TypeKind k, const Type *const *types, size_t n) {
  size_t cnt = 0;
  for (size_t i = 0; i < n; i++) {
    const Type *t = types[i];
    cnt += (t->kind == TY_MAP || t->kind == TY_LIST) ? 1 : t->n;
  }
  const Type **el = xmalloc((cnt ? cnt : 1) * sizeof *el);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const Type *t = types[i];
    if (t->kind == TY_MAP || t->kind == TY_LIST) el[m++] = t->elem;
    else if (t->kind != TY_DYNAMIC)
      for (size_t j = 0; j < t->n; j++) el[m++] = t->elems[j];
  }
  const Type *e = m ? unify(el, m) : T_DYNAMIC;
  free(el);
  if (!e) return NULL;
  const Type *r = collection(k, e);
  for (size_t i = 0; i < n; i++)
    if (!type_can_convert(types[i], r)) return NULL;
  return r;
}

static const Type *unify_structural(TypeKind k, const Type *const *types, size_t n) {
  const Type *first = types[0];
  for (size_t i = 1; i < n; i++) {
    if (types[i]->n != first->n) return NULL;
    if (k == TY_OBJECT)
      for (size_t j = 0; j < first->n; j++)
        if (strcmp(types[i]->names[j], first->names[j]) != 0) return NULL;
  }
  size_t na = first->n;
  const Type **res = xmalloc((na ? na : 1) * sizeof *res);
  const Type **across = xmalloc(n * sizeof *across);
  for (size_t j = 0; j < na; j++) {
    for (size_t i = 0; i < n; i++) across[i] = types[i]->elems[j];
    res[j] = unify(across, n);
    if (!res[j]) {
      free(res);
      free(across);
      return NULL;
    }
  }
  const Type *r = k == TY_OBJECT ? type_object(first->names, res, na) : type_tuple(res, na);
  free(res);
  free(across);
  return r;
}

static const Type *unify(const Type *const *types, size_t n) {
  if (n == 0) return NULL;
  bool same = true;
  for (size_t i = 1; i < n; i++)
    if (types[i] != types[0]) same = false;
  if (same) return types[0];
  size_t mapc = 0, listc = 0, setc = 0, objc = 0, tupc = 0, dync = 0;
  for (size_t i = 0; i < n; i++) switch (types[i]->kind) {
      case TY_MAP: mapc++; break;
      case TY_LIST: listc++; break;
      case TY_SET: setc++; break;
      case TY_OBJECT: objc++; break;
      case TY_TUPLE: tupc++; break;
      case TY_DYNAMIC: dync++; break;
      default: break;
    }
  if (mapc && mapc + dync == n) return dync ? T_DYNAMIC : unify_collections(TY_MAP, types, n);
  if (mapc && mapc + objc + dync == n) {
    const Type *r = unify_as_collection(TY_MAP, types, n);
    if (r) return r;
  } else if (listc && listc + dync == n) {
    return dync ? T_DYNAMIC : unify_collections(TY_LIST, types, n);
  } else if (listc && listc + tupc + dync == n) {
    const Type *r = unify_as_collection(TY_LIST, types, n);
    if (r) return r;
  } else if (setc && setc + dync == n) {
    return dync ? T_DYNAMIC : unify_collections(TY_SET, types, n);
  } else if (objc && objc + dync == n) {
    if (dync) return T_DYNAMIC;
    const Type *r = unify_structural(TY_OBJECT, types, n);
    return r ? r : unify_as_collection(TY_MAP, types, n);
  } else if (tupc && tupc + dync == n) {
    if (dync) return T_DYNAMIC;
    const Type *r = unify_structural(TY_TUPLE, types, n);
    return r ? r : unify_as_collection(TY_LIST, types, n);
  } else if (objc && tupc) {
    return NULL;
  }
  size_t obuf[8];
  size_t *order = n <= 8 ? obuf : xmalloc(n * sizeof *order);
  sort_types(types, n, order);
  const Type *res = NULL;
  for (size_t k = 0; k < n && !res; k++) {
    if (order[k] >= n) break;
    const Type *want = types[order[k]];
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++)
      if (types[i] != want && !type_can_convert(types[i], want)) ok = false;
    if (ok) res = want;
  }
  if (order != obuf) free(order);
  return res;
}

const Type *type_unify(const Type *const *types, size_t n) { return unify(types, n); }

/* ------------------------------------------------------------ type-level
** conversion check (cty's GetConversionUnsafe != nil). */

/* A tuple (object) becomes a list or set (map) of "any": its element types
** must unify, and to dynamic only when every one of them is dynamic. */
static bool unifies_to_elem(const Type *from) {
  if (from->n == 0) return true;
  const Type *u = unify(from->elems, from->n);
  if (!u) return false;
  if (u == T_DYNAMIC)
    for (size_t i = 0; i < from->n; i++)
      if (from->elems[i] != T_DYNAMIC) return false;
  return true;
}

bool type_can_convert(const Type *from, const Type *want) {
  if (from == want || want->kind == TY_DYNAMIC || from->kind == TY_DYNAMIC) return true;
  if (type_is_primitive(want) && type_is_primitive(from)) {
    if (want == T_STRING || from == T_STRING) return true;
    return false;
  }
  switch (want->kind) {
    case TY_LIST:
    case TY_SET:
      if (from->kind == TY_LIST || from->kind == TY_SET) return type_can_convert(from->elem, want->elem);
      if (from->kind == TY_TUPLE) {
        if (want->elem->kind == TY_DYNAMIC) return unifies_to_elem(from);
        for (size_t i = 0; i < from->n; i++)
          if (!type_can_convert(from->elems[i], want->elem)) return false;
        return true;
      }
      return false;
    case TY_MAP:
      if (from->kind == TY_MAP) return type_can_convert(from->elem, want->elem);
      if (from->kind == TY_OBJECT) {
        if (want->elem->kind == TY_DYNAMIC) return unifies_to_elem(from);
        for (size_t i = 0; i < from->n; i++)
          if (!type_can_convert(from->elems[i], want->elem)) return false;
        return true;
      }
      return false;
    case TY_TUPLE:
      if (from->kind == TY_TUPLE) {
        if (from->n != want->n) return false;
        for (size_t i = 0; i < from->n; i++)
          if (!type_can_convert(from->elems[i], want->elems[i])) return false;
        return true;
      }
      if (from->kind == TY_LIST || from->kind == TY_SET) {
        for (size_t i = 0; i < want->n; i++)
          if (!type_can_convert(from->elem, want->elems[i])) return false;
        return true;
      }
      return false;
    case TY_OBJECT:
      if (from->kind == TY_OBJECT) {
        for (size_t i = 0; i < want->n; i++) {
          const Type *ft = type_attr(from, want->names[i]);
          if (!ft) {
            if (want->optional && want->optional[i]) continue;
            return false;
          }
          if (!type_can_convert(ft, want->elems[i])) return false;
        }
        return true;
      }
      if (from->kind == TY_MAP) {
        for (size_t i = 0; i < want->n; i++)
          if (!type_can_convert(from->elem, want->elems[i])) return false;
        return true;
      }
      return false;
    default: return false;
  }
}

/* ------------------------------------------------------------- JSON */

cJSON *type_to_json(const Type *t) {
  switch (t->kind) {
    case TY_DYNAMIC: return cJSON_CreateString("dynamic");
    case TY_STRING: return cJSON_CreateString("string");
    case TY_NUMBER: return cJSON_CreateString("number");
    case TY_BOOL: return cJSON_CreateString("bool");
    case TY_LIST:
    case TY_SET:
    case TY_MAP: {
      cJSON *a = cJSON_CreateArray();
      cJSON_AddItemToArray(a, cJSON_CreateString(t->kind == TY_LIST ? "list" : t->kind == TY_SET ? "set" : "map"));
      cJSON_AddItemToArray(a, type_to_json(t->elem));
      return a;
    }
    case TY_TUPLE: {
      cJSON *a = cJSON_CreateArray(), *el = cJSON_CreateArray();
      cJSON_AddItemToArray(a, cJSON_CreateString("tuple"));
      for (size_t i = 0; i < t->n; i++) cJSON_AddItemToArray(el, type_to_json(t->elems[i]));
      cJSON_AddItemToArray(a, el);
      return a;
    }
    case TY_OBJECT: {
      cJSON *a = cJSON_CreateArray(), *o = cJSON_CreateObject();
      cJSON_AddItemToArray(a, cJSON_CreateString("object"));
      for (size_t i = 0; i < t->n; i++) cJSON_AddItemToObject(o, t->names[i], type_to_json(t->elems[i]));
      cJSON_AddItemToArray(a, o);
      if (t->optional) {
        cJSON *opt = cJSON_CreateArray();
        for (size_t i = 0; i < t->n; i++)
          if (t->optional[i]) cJSON_AddItemToArray(opt, cJSON_CreateString(t->names[i]));
        cJSON_AddItemToArray(a, opt);
      }
      return a;
    }
  }
  return NULL;
}

const Type *type_from_json(const cJSON *j, char **err) {
  if (cJSON_IsString(j)) {
    const char *s = j->valuestring;
    if (!strcmp(s, "string")) return T_STRING;
    if (!strcmp(s, "number")) return T_NUMBER;
    if (!strcmp(s, "bool")) return T_BOOL;
    if (!strcmp(s, "dynamic")) return T_DYNAMIC;
    if (err) *err = xasprintf("invalid primitive type name \"%s\"", s);
    return NULL;
  }
  if (!cJSON_IsArray(j) || cJSON_GetArraySize(j) < 2 || !cJSON_IsString(cJSON_GetArrayItem(j, 0))) {
    if (err) *err = xstrdup("invalid type specification");
    return NULL;
  }
  const char *k = cJSON_GetArrayItem(j, 0)->valuestring;
  const cJSON *arg = cJSON_GetArrayItem(j, 1);
  if (!strcmp(k, "list") || !strcmp(k, "set") || !strcmp(k, "map")) {
    const Type *e = type_from_json(arg, err);
    if (!e) return NULL;
    return k[0] == 'l' ? type_list(e) : k[0] == 's' ? type_set(e) : type_map(e);
  }
  if (!strcmp(k, "tuple") && cJSON_IsArray(arg)) {
    size_t n = (size_t)cJSON_GetArraySize(arg), i = 0;
    const Type **el = xmalloc((n ? n : 1) * sizeof *el);
    const cJSON *c;
    cJSON_ArrayForEach(c, arg) {
      if (!(el[i++] = type_from_json(c, err))) {
        free(el);
        return NULL;
      }
    }
    const Type *r = type_tuple(el, n);
    free(el);
    return r;
  }
  if (!strcmp(k, "object") && cJSON_IsObject(arg)) {
    size_t n = (size_t)cJSON_GetArraySize(arg), i = 0;
    const Type **el = xmalloc((n ? n : 1) * sizeof *el);
    const char **nm = xmalloc((n ? n : 1) * sizeof *nm);
    bool *op = xcalloc(n ? n : 1, sizeof *op);
    const cJSON *c, *opt = cJSON_GetArrayItem(j, 2);
    cJSON_ArrayForEach(c, arg) {
      nm[i] = c->string;
      if (opt) {
        const cJSON *o;
        cJSON_ArrayForEach(o, opt) if (cJSON_IsString(o) && !strcmp(o->valuestring, c->string)) op[i] = true;
      }
      if (!(el[i++] = type_from_json(c, err))) {
        free(el), free(nm), free(op);
        return NULL;
      }
    }
    const Type *r = type_object_opt(nm, el, op, n);
    free(el), free(nm), free(op);
    return r;
  }
  if (err) *err = xasprintf("invalid complex type kind \"%s\"", k);
  return NULL;
}
