/*
 * master_api.h - private to the master data endpoints (api_*.c): reading
 * the fields every master record shares from a JSON body.
 */
#ifndef WENMING_MASTER_API_H
#define WENMING_MASTER_API_H

#include "master/master.h"

/* An optional id field: absent leaves *id, null sets 0; *present (may be NULL). */
int master_id_field(json_t *body, const char *key, int64_t *id, int *present, struct error *e);

/* code and name (required when create), checked as master_code_ok and for control characters. */
int master_code_name(json_t *body, int create, const char **code, const char **name,
                     struct error *e);


#endif
