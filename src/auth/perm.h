/*
 * perm.h - the permission catalogue, the built-in roles and the menu.
 *
 * A permission is a string `module:object:action`.  Each has an index in the
 * catalogue, so a role's permissions are a bitset and a check is a bit test.
 * Built-in roles take their permissions from this file (so an upgrade that
 * adds a permission gives it to them); custom roles keep theirs in the
 * database.  Permissions under `system:tenant:` belong to platform
 * administrators only, whatever their roles.
 */
#ifndef WENMING_PERM_H
#define WENMING_PERM_H

#include <jansson.h>
#include <stdint.h>

#define PERM_WORDS 4 /* up to 256 permissions */

struct permset {
	uint64_t bits[PERM_WORDS];
};

struct perm_info {
	const char *key;   /* "org:unit:edit" */
	const char *title; /* "编辑单位" */
	const char *group; /* "单位管理" */
};

enum data_scope {
	SCOPE_NONE = 0,
	SCOPE_SELF,       /* 仅本人 */
	SCOPE_UNIT,       /* 本单位 */
	SCOPE_UNIT_BELOW, /* 本单位及以下 */
	SCOPE_CUSTOM,     /* 自定义 */
	SCOPE_ALL,        /* 全部 */
};

struct builtin_role {
	const char *key, *name;
	enum data_scope scope;
	const char *const *perms; /* NULL-terminated; {"*", NULL} for all */
	const char *const *more;  /* NULL-terminated, added to perms; NULL: none */
};

/* Index of a permission, or -1. */
int perm_index(const char *key);
int perm_count(void);
const struct perm_info *perm_at(int i);

void permset_add(struct permset *s, int idx);
int permset_has(const struct permset *s, int idx);
void permset_union(struct permset *into, const struct permset *from);

/* The permissions of a built-in role key; 0 when key is not built in. */
int builtin_role_perms(const char *key, struct permset *out);
const struct builtin_role *builtin_roles(int *n);

const char *scope_name(enum data_scope s);
/* ERR_INVALID-ish: -1 for an unknown name. */
int scope_parse(const char *name, enum data_scope *out);

/* The permission tree for the role page: [{group, items:[{key,title}]}]. */
json_t *perm_tree_json(void);

/*
 * The menu a user with these permissions sees (docs/accounts.md): what the
 * role works with.  county holds the permissions granted with scope 全部
 * (they open the county-wide catalogues); platform administrators also see
 * 创建主体.
 */
json_t *menu_json(const struct permset *perms, const struct permset *county, int is_platform_admin);

#endif
