/*
 * file_access.c - who may read a file: its uploader, or whoever can read an
 * object it is attached to.  Files know nothing of problems or inspection
 * rounds; each module that attaches files registers a kind with a check
 * (files.h, struct file_owner_kind) when its routes are set up, so that a
 * new module (materials, surveys, tasks) adds its own without touching
 * this folder.  docs/files.md says the same for people.
 */
#include "auth/auth.h"
#include "files/files.h"

static const struct file_owner_kind *kinds[FILES_MAX_OWNER_KINDS];
static int nkinds;

void files_register_owner(const struct file_owner_kind *kind)
{
	int i;

	for (i = 0; i < nkinds; i++)
		if (kinds[i] == kind)
			return; /* routes set up twice (tests, cluster workers) */
	if (nkinds < FILES_MAX_OWNER_KINDS)
		kinds[nkinds++] = kind;
}

int file_readable(struct store_conn *c, const struct principal *who, const struct file_info *f,
                  struct arena *a, int *ok, struct error *e)
{
	int i, rc;

	*ok = f->user_id && f->user_id == who->user_id;
	for (i = 0; i < nkinds && !*ok; i++)
		if ((rc = kinds[i]->readable(c, who, f->id, a, ok, e)))
			return rc;
	return 0;
}
