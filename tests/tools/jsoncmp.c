/* tests/tools/jsoncmp.c — compare two JSON files as parsed JSON.
 *
 *   jsoncmp EXPECTED ACTUAL
 *
 * Exit 0 when the documents are equal (object key order and whitespace do
 * not matter; numbers compare as doubles, the way cJSON_Compare does), 1
 * when they differ, 2 on a usage, I/O or JSON syntax error. On a difference
 * one line names the first differing path, e.g.
 *
 *   $.resource.aws_instance.web[0].ami: "a" vs "b"
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

static void path_push(Path *p, const char *fmt_key, const char *key, int index)
{
    char tmp[64];
    const char *add;
    size_t n;

    if (key) {
        add = key;
    } else {
        snprintf(tmp, sizeof tmp, "[%d]", index);
        add = tmp;
    }
    n = strlen(fmt_key) + strlen(add);
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
    memcpy(p->buf + p->len, fmt_key, strlen(fmt_key));
    p->len += strlen(fmt_key);
    memcpy(p->buf + p->len, add, strlen(add));
    p->len += strlen(add);
    p->buf[p->len] = '\0';
}

/* Reads a whole file; NULL on error (message printed). */
static char *read_file(const char *name, size_t *len)
{
    FILE *f = fopen(name, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    if (!f) {
        fprintf(stderr, "jsoncmp: cannot open %s\n", name);
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
                fprintf(stderr, "jsoncmp: out of memory reading %s\n", name);
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
        fprintf(stderr, "jsoncmp: cannot read %s\n", name);
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
static cJSON *parse_file(const char *name)
{
    size_t len = 0;
    const char *end = NULL;
    char *text = read_file(name, &len);
    cJSON *json;

    if (!text)
        return NULL;
    json = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!json) {
        const char *at = cJSON_GetErrorPtr();
        long off = at ? (long)(at - text) : -1;
        if (off < 0 || (size_t)off > len)
            off = -1;
        fprintf(stderr, "jsoncmp: %s: invalid JSON near byte %ld\n", name, off);
        free(text);
        return NULL;
    }
    if (end) {
        while ((size_t)(end - text) < len &&
               (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
            end++;
        if ((size_t)(end - text) < len) {
            fprintf(stderr, "jsoncmp: %s: trailing data at byte %ld\n", name,
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

int main(int argc, char **argv)
{
    cJSON *a, *b;
    Path p = {NULL, 0, 0};
    int rc;

    if (argc != 3) {
        fputs("usage: jsoncmp EXPECTED.json ACTUAL.json\n", stderr);
        return 2;
    }
    a = parse_file(argv[1]);
    if (!a)
        return 2;
    b = parse_file(argv[2]);
    if (!b) {
        cJSON_Delete(a);
        return 2;
    }
    if (cJSON_Compare(a, b, 1)) {
        rc = 0;
    } else {
        path_push(&p, "$", "", 0);
        diff(a, b, &p);
        rc = 1;
    }
    free(p.buf);
    cJSON_Delete(a);
    cJSON_Delete(b);
    return rc;
}
