/*
 * cloud_time: parsing and formatting times and durations (see cloud_time.h).
 * All times are UTC: a provider's clock has no time zone.
 */
#define _GNU_SOURCE /* strptime, timegm */
#include "cloud_time.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int cloud_time_parse(const char *s, int64_t *t)
{
	struct tm tm;
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end != s && *end == '\0') {
		if (errno || v < 0 || v > CLOUD_TIME_MAX)
			return -EINVAL; /* out of the clock's range: never clamped */
		*t = v;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end || (*end && strcmp(end, "Z") != 0))
		return -EINVAL;
	v = (long long)timegm(&tm);
	if (v < 0 || v > CLOUD_TIME_MAX)
		return -EINVAL;
	*t = v;
	return 0;
}

int cloud_duration_parse(const char *s, int64_t *secs)
{
	char *end;
	long long v;
	int64_t unit;

	errno = 0;
	v = strtoll(s, &end, 10);
	unit = !*end || strcmp(end, "s") == 0 ? 1
		     : strcmp(end, "m") == 0	       ? 60
		     : strcmp(end, "h") == 0	       ? 3600
		     : strcmp(end, "d") == 0	       ? 86400
						       : 0;

	if (end == s || errno || v < 0 || !unit || v > 100LL * 365 * 86400 / unit)
		return -EINVAL;
	*secs = (int64_t)v * unit;
	return 0;
}

const char *cloud_fmt_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "%lld", (long long)t);
	return buf;
}

const char *cloud_fmt_dur(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, len, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
	else
		snprintf(buf, len, "%lldh%02lldm%02llds", (long long)(s / 3600),
			 (long long)(s / 60 % 60), (long long)(s % 60));
	return buf;
}
