/* home.h - GET /home, each role's first screen as cards (api_home.c). */
#ifndef WENMING_HOME_H
#define WENMING_HOME_H

struct router;

/* GET /home: what routes.c calls. */
void home_routes(struct router *rt);

#endif
