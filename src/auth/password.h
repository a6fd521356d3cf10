/*
 * password.h - Argon2id password hashes (libsodium) and the password policy.
 *
 * Policy (SECURITY.md): at least 10 characters, counted as Unicode code
 * points; at most 256; never truncated; no composition rules; refused when
 * equal to the username or in the shipped list of common passwords.
 * Hashing is capped to a few at once so a login flood cannot starve the
 * server of memory and CPU.
 */
#ifndef WENMING_PASSWORD_H
#define WENMING_PASSWORD_H

#include <stddef.h>

#include "core/err.h"

#define PASSWORD_HASH_MAX  128 /* >= crypto_pwhash_STRBYTES */
#define PASSWORD_MIN_CHARS 10
#define PASSWORD_MAX_CHARS 256

/* Set up libsodium and the hashing cap; call once at start-up. */
int password_init(void);

/* 0 when pw may be used by username; else ERR_INVALID with a message. */
int password_check_policy(const char *username, const char *pw, struct error *e);

/* Hash pw into out (NUL-terminated). */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX], struct error *e);

/*
 * Hash a password the server generated (16 random characters) at Argon2id's
 * minimum cost: its entropy, not the hash's cost, protects it.
 */
int password_hash_generated(const char *pw, char out[PASSWORD_HASH_MAX], struct error *e);

/* Hash chosen passwords pw[i] (NULL: skip) across the cores, capped like password_hash. */
int password_hash_many(const char **pw, char (*out)[PASSWORD_HASH_MAX], int n, struct error *e);

/* 1 when pw matches hash, 0 otherwise. */
int password_verify(const char *hash, const char *pw);

/* A random password of n characters from an unambiguous alphabet. */
void password_generate(char *out, size_t n);

#endif
