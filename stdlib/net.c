/*
** stdlib/net.c — cidrhost, cidrnetmask, cidrsubnet, cidrsubnets for IPv4
** and IPv6.
**
** Addresses are held as 128-bit integers (IPv4 in the low 32 bits) so one
** piece of arithmetic serves both families; parsing and printing use
** inet_pton/inet_ntop, whose IPv6 text is the same compressed form Go prints.
*/
#include "stdlib/fn.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

typedef unsigned __int128 u128;

typedef struct Net {
  u128 base;   /* network address (host bits cleared) */
  int bits;    /* 32 or 128 */
  int prefix;
} Net;

static u128 width_mask(int bits) { return bits == 128 ? ~(u128)0 : (((u128)1 << 32) - 1); }

static u128 mask_of(int prefix, int bits) {
  if (prefix <= 0) return 0;
  u128 host = ((u128)1 << (bits - prefix)) - 1; /* bits - prefix < 128 here */
  return width_mask(bits) & ~host;
}

static bool parse_cidr(const char *s, Net *n) {
  const char *slash = strchr(s, '/');
  if (!slash || !slash[1]) return false;
  char addr[64];
  size_t al = (size_t)(slash - s);
  if (al >= sizeof addr) return false;
  memcpy(addr, s, al);
  addr[al] = 0;
  char *end;
  long p = strtol(slash + 1, &end, 10);
  if (*end || slash[1] < '0' || slash[1] > '9') return false;
  unsigned char b[16];
  u128 v = 0;
  if (inet_pton(AF_INET, addr, b) == 1) {
    n->bits = 32;
    for (int i = 0; i < 4; i++) v = v << 8 | b[i];
  } else if (inet_pton(AF_INET6, addr, b) == 1) {
    n->bits = 128;
    for (int i = 0; i < 16; i++) v = v << 8 | b[i];
  } else {
    return false;
  }
  if (p < 0 || p > n->bits) return false;
  n->prefix = (int)p;
  n->base = v & mask_of(n->prefix, n->bits);
  return true;
}

static void addr_text(u128 v, int bits, char *out, size_t outn) {
  unsigned char b[16];
  int k = bits / 8;
  for (int i = k - 1; i >= 0; i--) {
    b[i] = (unsigned char)(v & 0xff);
    v >>= 8;
  }
  inet_ntop(bits == 32 ? AF_INET : AF_INET6, b, out, (socklen_t)outn);
}

static bool net_arg(FnCall *c, Net *n) {
  if (parse_cidr(val_str(c->args[0]), n)) return true;
  fn_arg_error(c, 0, "invalid CIDR expression: invalid CIDR address: %s", fn_show(c, 0, val_str(c->args[0])));
  return false;
}

static Value *f_cidrhost(FnCall *c) {
  Net n;
  if (!net_arg(c, &n)) return NULL;
  int64_t h;
  if (!fn_int_arg(c, 1, &h, true)) return NULL;
  int hostbits = n.bits - n.prefix;
  u128 size = hostbits >= 128 ? 0 : (u128)1 << hostbits; /* 0 means 2^128 */
  u128 mag = h < 0 ? (u128)(-(h + 1)) + 1 : (u128)h;
  bool fits = hostbits >= 64 || (h >= 0 ? mag < size : mag <= size);
  if (!fits) return fn_error(c, "prefix of %d does not accommodate a host numbered %lld", n.prefix, (long long)h);
  u128 off = h >= 0 ? mag : size - mag;
  char out[64];
  addr_text((n.base + off) & width_mask(n.bits), n.bits, out, sizeof out);
  return val_cstring(out);
}

static Value *f_cidrnetmask(FnCall *c) {
  Net n;
  if (!net_arg(c, &n)) return NULL;
  if (n.bits != 32) return fn_arg_error(c, 0, "IPv6 addresses cannot have a netmask: %s", fn_show(c, 0, val_str(c->args[0])));
  char out[64];
  addr_text(mask_of(n.prefix, 32), 32, out, sizeof out);
  return val_cstring(out);
}

static Value *subnet_text(u128 base, int bits, int prefix) {
  char a[64], out[80];
  addr_text(base, bits, a, sizeof a);
  snprintf(out, sizeof out, "%s/%d", a, prefix);
  return val_cstring(out);
}

static Value *f_cidrsubnet(FnCall *c) {
  Net n;
  if (!net_arg(c, &n)) return NULL;
  int64_t nb, num;
  if (!fn_int_arg(c, 1, &nb, true) || !fn_int_arg(c, 2, &num, true)) return NULL;
  if (nb < 0) return fn_arg_error(c, 1, "must not be negative");
  if (n.prefix + nb > n.bits)
    return fn_error(c, "insufficient address space to extend prefix of %d by %lld", n.prefix, (long long)nb);
  if (num < 0 || (nb < 63 && (u128)num >= ((u128)1 << nb)))
    return fn_error(c, "prefix extension of %lld does not accommodate a subnet numbered %lld", (long long)nb,
                    (long long)num);
  int np = n.prefix + (int)nb;
  u128 base = n.base | ((u128)num << (n.bits - np));
  return subnet_text(base & width_mask(n.bits), n.bits, np);
}

/* go-cidr's NextSubnet, as Terraform's cidrsubnets walks it: the subnet of
** the new length right after the current one. */
static Value *f_cidrsubnets(FnCall *c) {
  Net n;
  if (!net_arg(c, &n)) return NULL;
  size_t k = c->nargs - 1;
  if (k == 0) return val_list(T_STRING, NULL, 0);
  u128 W = width_mask(n.bits);
  int64_t first;
  if (!fn_int_arg(c, 1, &first, true)) return NULL;
  int cur_prefix = n.prefix + (int)first;
  if (cur_prefix > n.bits) cur_prefix = n.bits;
  if (cur_prefix < 0) cur_prefix = 0;
  u128 cur = ((n.base - 1) & W) & mask_of(cur_prefix, n.bits);
  Value **out = xmalloc(k * sizeof *out);
  size_t done = 0;
  for (size_t i = 0; i < k; i++) {
    int64_t len;
    if (!fn_int_arg(c, i + 1, &len, true)) break;
    if (len < 1) { fn_arg_error(c, i + 1, "must extend prefix by at least one bit"); break; }
    if (len > 32) { fn_arg_error(c, i + 1, "may not extend prefix by more than 32 bits"); break; }
    int L = n.prefix + (int)len;
    if (L > n.bits) {
      fn_arg_error(c, i + 1, "would extend prefix to %d bits, which is too long for an %s address", L,
                   n.bits == 32 ? "IPv4" : "IPv6");
      break;
    }
    u128 cur_last = (cur | (~mask_of(cur_prefix, n.bits) & W)) & W;
    u128 sub = cur_last & mask_of(L, n.bits);
    u128 sub_last = (sub | (~mask_of(L, n.bits) & W)) & W;
    u128 next = (sub_last + 1) & W;
    bool rollover = next == 0;
    next &= mask_of(L, n.bits);
    if (rollover || (next & mask_of(n.prefix, n.bits)) != n.base) {
      char a[64];
      addr_text(cur, n.bits, a, sizeof a);
      fn_arg_error(c, i + 1,
                   "not enough remaining address space for a subnet with a prefix of %d bits after %s/%d", L, a,
                   cur_prefix);
      break;
    }
    cur = next;
    cur_prefix = L;
    out[done++] = subnet_text(cur, n.bits, L);
  }
  Value *r = done == k ? val_list(T_STRING, out, k) : NULL;
  for (size_t i = 0; i < done; i++) val_free(out[i]);
  free(out);
  return r;
}

const FnDef fn_defs_net[] = {
    {"cidrhost", {{"prefix", FT_STRING, 0}, {"hostnum", FT_NUMBER, 0}}, 2, {0}, FT_STRING, NULL, f_cidrhost},
    {"cidrnetmask", {{"prefix", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_cidrnetmask},
    {"cidrsubnet", {{"prefix", FT_STRING, 0}, {"newbits", FT_NUMBER, 0}, {"netnum", FT_NUMBER, 0}}, 3, {0},
     FT_STRING, NULL, f_cidrsubnet},
    {"cidrsubnets", {{"prefix", FT_STRING, 0}}, 1, {"newbits", FT_NUMBER, 0}, FT_LIST_STRING, NULL, f_cidrsubnets},
    {NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL},
};
