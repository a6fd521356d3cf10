/* system.h - operational endpoints (health). */
#ifndef WENMING_SYSTEM_H
#define WENMING_SYSTEM_H

struct router;

void system_routes(struct router *rt);

#endif
