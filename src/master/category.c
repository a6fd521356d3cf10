/*
 * category.c - rules over the category tree that need no storage: a
 * category's subtree (the problems list filters by it).
 */
#include "master/master.h"

#include "core/arena.h"
#include "core/err.h"

int category_subtree(const struct category *all, int n, int64_t id, struct arena *a, int64_t **ids,
                     int *nids, struct error *e)
{
	char *in = arena_calloc(a, (size_t)n + 1);
	int i, j, found = 0, changed = 1;

	*ids = NULL;
	*nids = 0;
	for (i = 0; i < n; i++)
		if (all[i].id == id)
			in[i] = found = 1;
	if (!found)
		return error_set(e, ERR_NOT_FOUND, NULL, "问题分类不存在");
	while (changed) { /* add children until nothing changes */
		changed = 0;
		for (i = 0; i < n; i++)
			for (j = 0; !in[i] && j < n; j++)
				if (in[j] && all[i].parent_id == all[j].id)
					in[i] = changed = 1;
	}
	*ids = arena_alloc(a, ((size_t)n + 1) * sizeof(**ids));
	for (i = 0; i < n; i++)
		if (in[i])
			(*ids)[(*nids)++] = all[i].id;
	return 0;
}
