/*
 * cloud_time: times and durations as people write and read them.
 *   times      "2026-01-01T00:00:00Z" (UTC, ISO 8601) or seconds since 1970
 *   durations  "90" or "90s", "15m", "2h", "1d"
 * Pure functions over caller-supplied buffers.
 */
#ifndef CLOUD_TIME_H
#define CLOUD_TIME_H

#include <stddef.h>
#include <stdint.h>

/* The clock's range: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
#define CLOUD_TIME_MAX 253402300799LL

/* Reads a time into *t. Returns 0, or -EINVAL (not a time, or outside
 * 0..CLOUD_TIME_MAX: never clamped). */
int cloud_time_parse(const char *s, int64_t *t);

/* Reads a duration into *secs (at most 100 years). Returns 0, or -EINVAL. */
int cloud_duration_parse(const char *s, int64_t *secs);

/* Formats t as "2026-01-01T00:00:00Z" into buf; returns buf. */
const char *cloud_fmt_time(int64_t t, char *buf, size_t len);

/* Formats a duration as "59s", "1m05s" or "2h00m10s" into buf; returns buf. */
const char *cloud_fmt_dur(int64_t secs, char *buf, size_t len);

#endif /* CLOUD_TIME_H */
