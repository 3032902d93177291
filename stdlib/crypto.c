/*
** stdlib/crypto.c — hashes (md5, sha1, sha256, sha512 and their base64 and
** file* forms), uuid, uuidv5, bcrypt, rsadecrypt.
**
** Digests, randomness and RSA come from OpenSSL; bcrypt from libxcrypt
** (crypt_r with a "$2a$" salt, the variant Go's x/crypto/bcrypt writes).
** uuid, bcrypt and timestamp are impure: at plan time they are unknown.
*/
#include "stdlib/fn.h"

#include <crypt.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static char *hex(const unsigned char *p, size_t n) {
  static const char d[] = "0123456789abcdef";
  char *s = xmalloc(2 * n + 1);
  for (size_t i = 0; i < n; i++) {
    s[2 * i] = d[p[i] >> 4];
    s[2 * i + 1] = d[p[i] & 15];
  }
  s[2 * n] = 0;
  return s;
}

static Value *digest(const char *alg, const char *data, size_t n, bool b64) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdn = 0;
  EVP_Digest(data, n, md, &mdn, EVP_get_digestbyname(alg), NULL);
  char *s = b64 ? fn_base64(md, mdn) : hex(md, mdn);
  Value *r = val_cstring(s);
  free(s);
  return r;
}

/* One implementation for every hash function: the row's name says which
** digest, whether the input is a file, and whether the result is base64. */
static Value *f_hash(FnCall *c) {
  const char *name = c->def->name;
  bool file = strncmp(name, "file", 4) == 0;
  if (file) name += 4;
  bool b64 = strncmp(name, "base64", 6) == 0;
  if (b64) name += 6;
  if (!file) return digest(name, val_str(c->args[0]), val_str_len(c->args[0]), b64);
  size_t n;
  char *d = fn_read_file(c, val_str(c->args[0]), &n);
  if (!d) return NULL;
  Value *r = digest(name, d, n, b64);
  free(d);
  return r;
}

static Value *uuid_text(const unsigned char *u) {
  char s[37];
  snprintf(s, sizeof s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2],
           u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
  return val_cstring(s);
}

static Value *f_uuid(FnCall *c) {
  if (c->ctx->plan_time) return val_unknown(T_STRING);
  unsigned char u[16];
  if (RAND_bytes(u, sizeof u) != 1) return fn_error(c, "failed to read random bytes");
  u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
  u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
  return uuid_text(u);
}

static int hexval(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

/* The 36-character form (optionally in braces or with urn:uuid:) or 32 hex digits. */
static bool uuid_parse(const char *s, unsigned char *u) {
  size_t n = strlen(s);
  if (n == 45 && !strncmp(s, "urn:uuid:", 9)) { s += 9; n -= 9; }
  if (n == 38 && s[0] == '{' && s[37] == '}') { s++; n -= 2; }
  if (n != 36 && n != 32) return false;
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    if (n == 36 && (i == 8 || i == 13 || i == 18 || i == 23)) {
      if (s[i] != '-') return false;
      i++;
      continue;
    }
    int a = hexval(s[i]), b = i + 1 < n ? hexval(s[i + 1]) : -1;
    if (a < 0 || b < 0 || k >= 16) return false;
    u[k++] = (unsigned char)(a << 4 | b);
    i += 2;
  }
  return k == 16;
}

static Value *f_uuidv5(FnCall *c) {
  static const struct { const char *name, *uuid; } ns[] = {
      {"dns", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"},
      {"url", "6ba7b811-9dad-11d1-80b4-00c04fd430c8"},
      {"oid", "6ba7b812-9dad-11d1-80b4-00c04fd430c8"},
      {"x500", "6ba7b814-9dad-11d1-80b4-00c04fd430c8"},
  };
  const char *n = val_str(c->args[0]);
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
    if (!strcmp(n, ns[i].name)) n = ns[i].uuid;
  unsigned char space[16];
  if (!uuid_parse(n, space))
    return fn_error(c, "uuidv5() doesn't support namespace %s (invalid UUID format)",
                    fn_show(c, 0, val_str(c->args[0])));
  size_t len = val_str_len(c->args[1]);
  unsigned char *buf = xmalloc(16 + len + 1);
  memcpy(buf, space, 16);
  memcpy(buf + 16, val_str(c->args[1]), len);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdn;
  EVP_Digest(buf, 16 + len, md, &mdn, EVP_sha1(), NULL);
  free(buf);
  md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
  md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
  return uuid_text(md);
}

static Value *f_bcrypt(FnCall *c) {
  if (c->ctx->plan_time) return val_unknown(T_STRING);
  int64_t cost = 10;
  if (c->nargs > 2) return fn_error(c, "bcrypt() takes no more than two arguments");
  if (c->nargs == 2 && !fn_int_arg(c, 1, &cost, false)) return NULL;
  /* Go's bcrypt raises a cost below 4 to the default, and rejects above 31. */
  if (cost < 4) cost = 10;
  if (cost > 31)
    return fn_error(c, "error occured generating password crypto/bcrypt: cost %lld is outside allowed range (4,31)",
                    (long long)cost);
  if (val_str_len(c->args[0]) > 72)
    return fn_error(c, "error occured generating password bcrypt: password length exceeds 72 bytes");
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$2a$", (unsigned long)cost, NULL, 0, salt, sizeof salt))
    return fn_error(c, "error occured generating password");
  struct crypt_data *cd = xcalloc(1, sizeof *cd);
  const char *h = crypt_r(val_str(c->args[0]), salt, cd);
  Value *r = h && h[0] == '$' ? val_cstring(h) : fn_error(c, "error occured generating password");
  free(cd);
  return r;
}

static Value *f_rsadecrypt(FnCall *c) {
  const char *ct = val_str(c->args[0]);
  size_t cn;
  unsigned char *cipher = fn_base64_decode(ct, val_str_len(c->args[0]), &cn);
  if (!cipher) return fn_arg_error(c, 0, "failed to decode input \"%s\": cipher text must be base64-encoded", fn_show(c, 0, ct));
  BIO *bio = BIO_new_mem_buf(val_str(c->args[1]), (int)val_str_len(c->args[1]));
  EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
  BIO_free(bio);
  ERR_clear_error();
  if (!key) {
    free(cipher);
    return fn_arg_error(c, 1, "invalid private key: ssh: no key found");
  }
  Value *r = NULL;
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    fn_arg_error(c, 1, "invalid private key type");
  } else {
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(key, NULL);
    size_t outn = (size_t)EVP_PKEY_get_size(key);
    unsigned char *out = xmalloc(outn + 1);
    /* OpenSSL 3 would otherwise answer a bad ciphertext with random bytes
    ** (implicit rejection); Terraform reports a decryption error. */
    bool ok = pc && EVP_PKEY_decrypt_init(pc) > 0 && EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) > 0;
    if (ok) EVP_PKEY_CTX_ctrl_str(pc, "rsa_pkcs1_implicit_rejection", "0");
    ok = ok && EVP_PKEY_decrypt(pc, out, &outn, cipher, cn) > 0;
    ERR_clear_error();
    if (ok) r = val_string((const char *)out, outn);
    else fn_error(c, "failed to decrypt: crypto/rsa: decryption error");
    free(out);
    EVP_PKEY_CTX_free(pc);
  }
  EVP_PKEY_free(key);
  free(cipher);
  return r;
}

#define HASH(name) {name, {{"str", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_hash}
#define FHASH(name) {name, {{"path", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_hash}

const FnDef fn_defs_crypto[] = {
    HASH("md5"), HASH("sha1"), HASH("sha256"), HASH("sha512"), HASH("base64sha256"), HASH("base64sha512"),
    FHASH("filemd5"), FHASH("filesha1"), FHASH("filesha256"), FHASH("filesha512"), FHASH("filebase64sha256"),
    FHASH("filebase64sha512"),
    {"uuid", {{0}}, 0, {0}, FT_STRING, NULL, f_uuid},
    {"uuidv5", {{"namespace", FT_STRING, 0}, {"name", FT_STRING, 0}}, 2, {0}, FT_STRING, NULL, f_uuidv5},
    {"bcrypt", {{"str", FT_STRING, 0}}, 1, {"cost", FT_NUMBER, 0}, FT_STRING, NULL, f_bcrypt},
    {"rsadecrypt", {{"ciphertext", FT_STRING, 0}, {"privatekey", FT_STRING, 0}}, 2, {0}, FT_STRING, NULL,
     f_rsadecrypt},
    {NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL},
};
