/*
** providers/https/ini.h — the INI dialect of ~/.aws/credentials and
** ~/.aws/config, parsed the way the AWS CLI and SDKs read them.
**
** "[section]" headers; "key = value" or "key: value" lines (keys are
** case-insensitive and stored lower-cased, values trimmed); whole-line
** comments starting with '#' or ';'; indented "sub = value" lines after a
** key with an empty value are that key's sub-settings, stored as
** "key.sub" (e.g. "sagemaker =" then "  endpoint_url = X" in a [services
** NAME] section gives "sagemaker.endpoint_url"); other indented lines
** continue a value and are skipped, since tfc reads no such value. A later key of the same name in
** the same section wins. Lines that fit none of these (or that come before
** any section) are counted, never fatal: a half-broken file still yields the
** settings it does state. No inline comments: "region = x # y" has the
** value "x # y", as in the AWS CLI.
*/
#ifndef TFC_INI_H
#define TFC_INI_H

#include <stddef.h>

typedef struct IniEntry {
  char *section;  /* as written between the brackets, trimmed */
  char *key;      /* lower-cased */
  char *value;    /* trimmed */
} IniEntry;

typedef struct IniFile {
  IniEntry *v;
  size_t n, cap;
  size_t bad_lines;       /* lines that were not understood */
  size_t first_bad_line;  /* 1-based line number of the first, 0 if none */
} IniFile;

/* Parses text (len bytes; may contain anything, NULs included) into *out,
** which must be zeroed. Free with ini_free. */
void ini_parse(const char *text, size_t len, IniFile *out);
void ini_free(IniFile *f);
/* The value of key in section (last one wins), or NULL. */
const char *ini_get(const IniFile *f, const char *section, const char *key);
/* The value of key for AWS profile `profile`: in a credentials file
** (config_style 0) the section is the profile name; in a config file
** (config_style 1) it is "profile NAME", or "default" for the default
** profile. NULL when absent. */
const char *ini_profile_get(const IniFile *f, int config_style, const char *profile, const char *key);
/* Whether the profile has a section at all. */
int ini_has_profile(const IniFile *f, int config_style, const char *profile);

#endif
