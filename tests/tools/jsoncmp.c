/* tests/tools/jsoncmp.c — compare two JSON files as parsed JSON.
 *
 *   jsoncmp EXPECTED ACTUAL
 *   jsoncmp -batch < LIST
 *
 * Exit 0 when the documents are equal (object key order and whitespace do
 * not matter; numbers compare as doubles, the way cJSON_Compare does), 1
 * when they differ, 2 on a usage, I/O or JSON syntax error. On a difference
 * one line names the first differing path, e.g.
 *
 *   $.resource.aws_instance.web[0].ami: "a" vs "b"
 *
 * -batch compares many pairs in one process (the suites run it under the
 * sanitizers too, where process start-up is slow). Each input line is
 * NAME<TAB>EXPECTED<TAB>ACTUAL; each output line is "= NAME" (equal),
 * "! NAME: <difference>" or "? NAME: <error>". Exit 0 when all pairs were
 * equal, 1 otherwise, 2 on a malformed list.
 *
 * The suites use it to check `tfc hcl2json` against the oracle's output, so
 * the message is meant for a person reading a FAIL line: short, one line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

/* A path like $.a.b[3] grows and shrinks as the walk descends. */
typedef struct {
    char *buf;  /* NUL-terminated path text */
    size_t len; /* bytes used, excluding the NUL */
    size_t cap; /* bytes allocated */
} Path;

static void path_add(Path *p, const char *s, size_t n)
{
    if (p->len + n + 1 > p->cap) {
        size_t cap = (p->len + n + 1) * 2;
        char *nb = realloc(p->buf, cap);
        if (!nb) {
            fputs("jsoncmp: out of memory\n", stderr);
            exit(2);
        }
        p->buf = nb;
        p->cap = cap;
    }
    memcpy(p->buf + p->len, s, n);
    p->len += n;
    p->buf[p->len] = '\0';
}

/* Appends SEP then KEY (control characters escaped, so the path stays on
 * one line), or "[INDEX]" when KEY is NULL. */
static void path_push(Path *p, const char *sep, const char *key, int index)
{
    char tmp[32];

    path_add(p, sep, strlen(sep));
    if (!key) {
        snprintf(tmp, sizeof tmp, "[%d]", index);
        path_add(p, tmp, strlen(tmp));
        return;
    }
    for (; *key; key++) {
        unsigned char c = (unsigned char)*key;
        if (c < 0x20 || c == 0x7f) {
            snprintf(tmp, sizeof tmp, "\\x%02x", c);
            path_add(p, tmp, strlen(tmp));
        } else {
            path_add(p, key, 1);
        }
    }
}

/* Room for one error message. */
typedef struct {
    char text[512];
} Err;

/* Reads a whole file; NULL on error (message in *err). */
static char *read_file(const char *name, size_t *len, Err *err)
{
    FILE *f = fopen(name, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    if (!f) {
        snprintf(err->text, sizeof err->text, "cannot open %s", name);
        return NULL;
    }
    for (;;) {
        if (n + 4096 + 1 > cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *nb;
            while (ncap < n + 4096 + 1)
                ncap *= 2;
            nb = realloc(buf, ncap);
            if (!nb) {
                snprintf(err->text, sizeof err->text, "out of memory reading %s", name);
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err->text, sizeof err->text, "cannot read %s", name);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Parses a file as one JSON document; trailing whitespace only. */
static cJSON *parse_file(const char *name, Err *err)
{
    size_t len = 0;
    const char *end = NULL;
    char *text = read_file(name, &len, err);
    cJSON *json;

    if (!text)
        return NULL;
    json = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!json) {
        const char *at = cJSON_GetErrorPtr();
        long off = at ? (long)(at - text) : -1;
        if (off < 0 || (size_t)off > len)
            off = -1;
        snprintf(err->text, sizeof err->text, "%s: invalid JSON near byte %ld", name, off);
        free(text);
        return NULL;
    }
    if (end) {
        while ((size_t)(end - text) < len &&
               (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
            end++;
        if ((size_t)(end - text) < len) {
            snprintf(err->text, sizeof err->text, "%s: trailing data at byte %ld", name,
                     (long)(end - text));
            cJSON_Delete(json);
            free(text);
            return NULL;
        }
    }
    free(text);
    return json;
}

static const char *kind(const cJSON *v)
{
    if (cJSON_IsObject(v)) return "object";
    if (cJSON_IsArray(v)) return "array";
    if (cJSON_IsString(v)) return "string";
    if (cJSON_IsNumber(v)) return "number";
    if (cJSON_IsBool(v)) return "bool";
    if (cJSON_IsNull(v)) return "null";
    return "invalid";
}

/* Prints a scalar compactly, clipped so a FAIL line stays one short line. */
static void show(const cJSON *v)
{
    char *s;

    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        fputs(kind(v), stdout);
        return;
    }
    s = cJSON_PrintUnformatted(v);
    if (!s) {
        fputs("?", stdout);
        return;
    }
    if (strlen(s) > 60)
        printf("%.57s...", s);
    else
        fputs(s, stdout);
    cJSON_free(s);
}

/* Walks both documents in step and reports the first difference.
 * Returns 1 when a difference was printed. */
static int diff(const cJSON *a, const cJSON *b, Path *p)
{
    size_t saved = p->len;

    if (cJSON_Compare(a, b, 1))
        return 0;
    if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
        const cJSON *ea;
        cJSON_ArrayForEach(ea, a) {
            const cJSON *eb = cJSON_GetObjectItemCaseSensitive(b, ea->string);
            if (!eb) {
                path_push(p, ".", ea->string, 0);
                printf("%s: missing in second (first has ", p->buf);
                show(ea);
                puts(")");
                return 1;
            }
            path_push(p, ".", ea->string, 0);
            if (diff(ea, eb, p))
                return 1;
            p->len = saved;
            p->buf[saved] = '\0';
        }
        cJSON_ArrayForEach(ea, b) {
            if (!cJSON_GetObjectItemCaseSensitive(a, ea->string)) {
                path_push(p, ".", ea->string, 0);
                printf("%s: missing in first (second has ", p->buf);
                show(ea);
                puts(")");
                return 1;
            }
        }
    } else if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
        int na = cJSON_GetArraySize(a), nb = cJSON_GetArraySize(b);
        int i;
        for (i = 0; i < na && i < nb; i++) {
            path_push(p, "", NULL, i);
            if (diff(cJSON_GetArrayItem(a, i), cJSON_GetArrayItem(b, i), p))
                return 1;
            p->len = saved;
            p->buf[saved] = '\0';
        }
        if (na != nb) {
            printf("%s: array length %d vs %d\n", p->buf, na, nb);
            return 1;
        }
    }
    /* Scalars, kind mismatch, or a difference cJSON sees that the walk
     * above did not pin down (e.g. duplicate keys). */
    printf("%s: ", p->buf);
    show(a);
    fputs(" vs ", stdout);
    show(b);
    putchar('\n');
    return 1;
}

/* Compares two files. Returns 0 equal, 1 different (difference printed
 * after PREFIX), 2 error (message in *err). */
static int compare_files(const char *expected, const char *actual,
                         const char *prefix, Err *err)
{
    cJSON *a, *b;
    Path p = {NULL, 0, 0};
    int rc;

    a = parse_file(expected, err);
    if (!a)
        return 2;
    b = parse_file(actual, err);
    if (!b) {
        cJSON_Delete(a);
        return 2;
    }
    if (cJSON_Compare(a, b, 1)) {
        rc = 0;
    } else {
        fputs(prefix, stdout);
        path_push(&p, "$", "", 0);
        diff(a, b, &p);
        rc = 1;
    }
    free(p.buf);
    cJSON_Delete(a);
    cJSON_Delete(b);
    return rc;
}

/* -batch: one NAME<TAB>EXPECTED<TAB>ACTUAL per input line. */
static int batch(void)
{
    char line[8192];
    int status = 0;

    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        char *name = line, *expected, *actual, *prefix;
        Err err;
        int rc;

        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        if (n == 0)
            continue;
        expected = strchr(name, '\t');
        actual = expected ? strchr(expected + 1, '\t') : NULL;
        if (!actual) {
            fprintf(stderr, "jsoncmp: -batch: bad line: %s\n", line);
            return 2;
        }
        *expected++ = '\0';
        *actual++ = '\0';
        prefix = malloc(strlen(name) + 8);
        if (!prefix) {
            fputs("jsoncmp: out of memory\n", stderr);
            return 2;
        }
        sprintf(prefix, "! %s: ", name);
        err.text[0] = '\0';
        rc = compare_files(expected, actual, prefix, &err);
        if (rc == 0)
            printf("= %s\n", name);
        else if (rc == 2)
            printf("? %s: %s\n", name, err.text);
        if (rc)
            status = 1;
        free(prefix);
        fflush(stdout);
    }
    return status;
}

int main(int argc, char **argv)
{
    Err err;
    int rc;

    if (argc == 2 && strcmp(argv[1], "-batch") == 0)
        return batch();
    if (argc != 3) {
        fputs("usage: jsoncmp EXPECTED.json ACTUAL.json\n"
              "       jsoncmp -batch < LIST   (NAME<TAB>EXPECTED<TAB>ACTUAL lines)\n",
              stderr);
        return 2;
    }
    err.text[0] = '\0';
    rc = compare_files(argv[1], argv[2], "", &err);
    if (rc == 2)
        fprintf(stderr, "jsoncmp: %s\n", err.text);
    return rc;
}
