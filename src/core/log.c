/* log.c - escaped, timestamped log lines on stderr. */
#include <stddef.h>

#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static enum log_level min_level = LOG_INFO;
static const char *level_names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
static log_observer observer;
static _Thread_local const char *current_request;

void log_set_request(const char *id)
{
	current_request = id;
}

const char *log_request(void)
{
	return current_request ? current_request : "";
}

static void *observer_cls;

void log_set_level(enum log_level level)
{
	min_level = level;
}

void log_set_observer(log_observer fn, void *cls)
{
	observer = fn;
	observer_cls = cls;
}

char *log_escape(char *buf, size_t size, const char *s)
{
	size_t o = 0;

	if (size == 0)
		return buf;
	for (; *s && o + 5 < size; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else if (ch == '\r') {
			buf[o++] = '\\';
			buf[o++] = 'r';
		} else if (ch == '\t') {
			buf[o++] = '\\';
			buf[o++] = 't';
		} else if (ch < 0x20 || ch == 0x7f) {
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", ch);
		} else {
			buf[o++] = (char)ch;
		}
	}
	buf[o] = '\0';
	return buf;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char raw[4096], line[8192], stamp[32];
	struct timeval tv;
	struct tm tm;
	va_list ap;

	if (level < min_level)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	log_escape(line, sizeof(line), raw);
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	/* one fprintf per line: stdio locks the stream, so lines never interleave */
	fprintf(stderr, "%s.%03dZ %s %s\n", stamp, (int)(tv.tv_usec / 1000), level_names[level],
	        line);
	if (observer)
		observer(level, line, observer_cls);
}
