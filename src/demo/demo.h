/* demo.h - the demo county generator (`wenming demo`). */
#ifndef WENMING_DEMO_H
#define WENMING_DEMO_H

#include <stdio.h>

#include "core/err.h"

struct store_conn;

/*
 * Fill the first tenant as 示例县 unless it already has units, and print the
 * generated demo password to out.  One transaction: all or nothing.
 */
int demo_run(struct store_conn *c, FILE *out, struct error *e);

#endif
