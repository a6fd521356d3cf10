/*
 * log.h - one line per event on stderr.
 *
 * Every line is "TIME LEVEL message".  Control characters in the formatted
 * message (a user-supplied "\r\n" in a path, say) are escaped, so a client can
 * never forge a log line.  Never pass a password or a session token.
 */
#ifndef WENMING_LOG_H
#define WENMING_LOG_H

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);

/*
 * Call fn(level, message, cls) for every line written, after it is written
 * (message escaped, without time and level).  One observer; NULL removes it.
 * For test harnesses that must notice what the server logs (the fuzzers
 * fail on a change made without an audit row).
 */
typedef void (*log_observer)(enum log_level level, const char *message, void *cls);
void log_set_observer(log_observer fn, void *cls);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/*
 * Escape control characters of s into buf (at most size bytes, always
 * terminated): "\r" becomes "\\r", other controls "\\xNN".  Returns buf.
 */
char *log_escape(char *buf, size_t size, const char *s);

/*
 * The request this thread is serving ("" when none), so that messages of
 * libraries (libvips through GLib's log handler) name it.  The server sets
 * it around each handler; id is borrowed until cleared with NULL.
 */
void log_set_request(const char *id);
const char *log_request(void);

#endif
