/*
 * err.h - error codes and the error record every layer fills.
 *
 * Functions return 0 (ERR_OK) or one of the negative ERR_* codes below and,
 * when the caller passed one, fill a struct error with the field at fault and
 * a Chinese message meant for the person using the system.  One function maps
 * a code to an HTTP status and a stable code name; nothing else decides that.
 */
#ifndef WENMING_ERR_H
#define WENMING_ERR_H

enum {
	ERR_OK = 0,
	ERR_BAD_REQUEST = -1,     /* 400 malformed request or JSON */
	ERR_UNAUTHORIZED = -2,    /* 401 not logged in */
	ERR_FORBIDDEN = -3,       /* 403 logged in, not allowed */
	ERR_NOT_FOUND = -4,       /* 404 no such thing (or not yours) */
	ERR_METHOD = -5,          /* 405 method not allowed on this path */
	ERR_CONFLICT = -6,        /* 409 state or uniqueness conflict */
	ERR_TOO_LARGE = -7,       /* 413 body over the limit */
	ERR_MEDIA_TYPE = -8,      /* 415 wrong content type */
	ERR_INVALID = -9,         /* 422 a field failed validation */
	ERR_RATE_LIMITED = -10,   /* 429 throttled */
	ERR_INTERNAL = -11,       /* 500 a bug or an unexpected failure */
	ERR_UNAVAILABLE = -12,    /* 503 database down, disk full, shutting down */
	ERR_NOT_ACCEPTABLE = -13, /* 406 reserved for content negotiation */
	ERR_CSRF = -14,           /* 403 missing or wrong X-CSRF-Token */
	ERR_GONE = -15            /* 410 no longer taken (a closed survey, a full quota) */
};

#define ERROR_FIELD_MAX   64
#define ERROR_MESSAGE_MAX 512

struct error {
	int code;
	char field[ERROR_FIELD_MAX];
	char message[ERROR_MESSAGE_MAX];
	long retry_after; /* seconds, for ERR_RATE_LIMITED; 0 = none */
};

/* Reset e to "no error". */
void error_init(struct error *e);

/*
 * Record an error and return its code, so callers can write
 * `return error_set(e, ERR_INVALID, "name", "名称不能为空");`.
 * e may be NULL; field may be NULL; fmt may be NULL for the default message.
 */
int error_set(struct error *e, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* HTTP status for an ERR_* code (500 for unknown codes). */
int err_http_status(int code);

/* Stable machine name for an ERR_* code, e.g. "not_found". */
const char *err_code_name(int code);

/* Default Chinese message for an ERR_* code. */
const char *err_default_message(int code);

#endif
