/* audit_http.h - the audit log's endpoints (api_audit.c). */
#ifndef WENMING_AUDIT_HTTP_H
#define WENMING_AUDIT_HTTP_H

struct router;

/* GET /audit, /audit/logins, /audit/export. */
void audit_routes(struct router *rt);

#endif
