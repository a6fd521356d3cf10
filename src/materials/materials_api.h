/* materials_api.h - what the materials endpoints share (api_*.c only). */
#ifndef WENMING_MATERIALS_API_H
#define WENMING_MATERIALS_API_H

#include <stdint.h>

struct req;
struct router;
struct scope;

/* The caller's scope for perm. */
void materials_scope(struct req *r, const char *perm, struct scope *s);
/* ?framework_id= checked against the tenant, or the active framework. */
int materials_framework_param(struct req *r, int64_t *framework_id);
/* progress, score and package (api_materials_report.c) */
void materials_report_routes(struct router *rt);
/* the catalogue from a spreadsheet (api_materials_import.c) */
void materials_import_routes(struct router *rt);

#endif
