/* password.c - Argon2id through libsodium, with a cap on concurrent hashes. */
#include "auth/password.h"

#include <ctype.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "auth/common_passwords.h"
#include "core/log.h"
#include "core/utf8.h"

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

/*
 * A password the server generated carries about 93 random bits (16 of 56
 * characters), so no guessing attack gains from the cost Argon2id adds for
 * passwords people choose.  It is hashed with Argon2id at its minimum cost:
 * an import of 1,000 accounts takes a second instead of minutes of every
 * core.  password_verify reads the cost from the hash, so logins need no
 * special case.
 */
int password_hash_generated(const char *pw, char out[PASSWORD_HASH_MAX], struct error *e)
{
	password_init();
	if (crypto_pwhash_argon2id_str(out, pw, strlen(pw), crypto_pwhash_argon2id_OPSLIMIT_MIN,
	                               1U << 20) != 0)
		return error_set(e, ERR_UNAVAILABLE, NULL, "服务器繁忙，请稍后再试");
	return 0;
}

struct hash_pool {
	const char **pw;
	char (*out)[PASSWORD_HASH_MAX];
	int n, next, failed;
	pthread_mutex_t lock;
};

static void *hash_worker(void *arg)
{
	struct hash_pool *p = arg;

	for (;;) {
		int i;

		pthread_mutex_lock(&p->lock);
		i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n)
			return NULL;
		if (p->pw[i] && password_hash(p->pw[i], p->out[i], NULL)) {
			pthread_mutex_lock(&p->lock);
			p->failed = 1;
			pthread_mutex_unlock(&p->lock);
		}
	}
}

int password_hash_many(const char **pw, char (*out)[PASSWORD_HASH_MAX], int n, struct error *e)
{
	struct hash_pool pool = {pw, out, n, 0, 0, PTHREAD_MUTEX_INITIALIZER};
	pthread_t threads[8];
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int i, nthreads = cores < 1 ? 1 : cores > 8 ? 8 : (int)cores, started = 0, todo = 0;

	for (i = 0; i < n; i++)
		todo += pw[i] != NULL;
	if (todo < nthreads)
		nthreads = todo;
	for (i = 1; i < nthreads; i++)
		if (pthread_create(&threads[started], NULL, hash_worker, &pool) == 0)
			started++;
	hash_worker(&pool);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&pool.lock);
	return pool.failed ? error_set(e, ERR_UNAVAILABLE, NULL, "服务器繁忙，请稍后再试") : 0;
}
