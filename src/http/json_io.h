/*
 * json_io.h - strict JSON in, and field validation that names the field.
 *
 * Parsing rejects duplicate keys, invalid UTF-8 and \u0000 (jansson does the
 * last two by default; we ask for the first).  The field getters check type,
 * length in characters (not bytes: Chinese text) and range, and on failure
 * fill e with ERR_INVALID, the field's name and a Chinese message.
 */
#ifndef WENMING_JSON_IO_H
#define WENMING_JSON_IO_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Parse buf as one JSON object; ERR_BAD_REQUEST otherwise.  Caller owns *out. */
int json_parse_object(const char *buf, size_t len, json_t **out, struct error *e);

#define JF_REQUIRED 1
#define JF_NULLABLE 2 /* JSON null is accepted and reads as absent */

/*
 * String field `key`: absent (and not required) leaves *out untouched and
 * returns 0.  The result points into obj (not trimmed: callers that want
 * trimming do it).  Lengths are in characters; min applies when present.
 */
int json_get_string(json_t *obj, const char *key, int flags, size_t min_chars, size_t max_chars,
                    const char **out, struct error *e);

/* Integer field within [min, max]. */
int json_get_int(json_t *obj, const char *key, int flags, int64_t min, int64_t max, int64_t *out,
                 struct error *e);

/* Boolean field. */
int json_get_bool(json_t *obj, const char *key, int flags, int *out, struct error *e);

/* Reject keys not in the NULL-terminated list (catches typos in clients). */
int json_only_keys(json_t *obj, const char *const *allowed, struct error *e);

struct arena;

/*
 * Optional array field of distinct positive ids, at most max: *out (room for
 * max, from a) and *n; absent or null gives *n = 0.
 */
int json_get_ids(json_t *obj, const char *key, int max, struct arena *a, int64_t **out, int *n,
                 struct error *e);

#endif
