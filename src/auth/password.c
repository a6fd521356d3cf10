/* password.c - Argon2id through libsodium, with a cap on concurrent hashes. */
#include "auth/password.h"

#include <ctype.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "auth/common_passwords.h"
#include "core/log.h"

/* Each Argon2id hash takes OPSLIMIT_INTERACTIVE passes over 64 MiB. */
static sem_t hash_slots;
static int initialised;

int password_init(void)
{
	long cores;

	if (initialised)
		return 0;
	if (sodium_init() < 0)
		return ERR_INTERNAL;
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	sem_init(&hash_slots, 0, cores > 1 ? (unsigned)cores : 1U);
	initialised = 1;
	return 0;
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int is_common(const char *pw)
{
	size_t i;

	for (i = 0; common_passwords[i]; i++)
		if (!strcasecmp(common_passwords[i], pw))
			return 1;
	return 0;
}

int password_check_policy(const char *username, const char *pw, struct error *e)
{
	size_t n = utf8_chars(pw);

	if (n < PASSWORD_MIN_CHARS)
		return error_set(e, ERR_INVALID, "password", "密码至少需要 %d 个字符",
				 PASSWORD_MIN_CHARS);
	if (n > PASSWORD_MAX_CHARS)
		return error_set(e, ERR_INVALID, "password", "密码不能超过 %d 个字符",
				 PASSWORD_MAX_CHARS);
	if (username && !strcasecmp(username, pw))
		return error_set(e, ERR_INVALID, "password", "密码不能与用户名相同");
	if (is_common(pw))
		return error_set(e, ERR_INVALID, "password", "该密码过于常见，请换一个");
	return 0;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX], struct error *e)
{
	int rc;

	password_init();
	sem_wait(&hash_slots);
	rc = crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			       crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sem_post(&hash_slots);
	if (rc != 0) {
		log_error("password: hashing failed (out of memory?)");
		return error_set(e, ERR_UNAVAILABLE, NULL, "服务器繁忙，请稍后再试");
	}
	return 0;
}

int password_verify(const char *hash, const char *pw)
{
	int rc;

	password_init();
	sem_wait(&hash_slots);
	rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
	sem_post(&hash_slots);
	return rc == 0;
}

void password_generate(char *out, size_t n)
{
	/* no 0/O, 1/l/I: read aloud and typed from a printout */
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	size_t i;

	password_init();
	for (i = 0; i < n; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[n] = '\0';
}
