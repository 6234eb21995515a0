/*
 * cloud: a small cloud provider on one SQLite file (lab 04).
 *
 * The program is cli_main() (cli_main.c): the command line, the database,
 * one function per command (cli_cmds.c, cli_vm.c), the exit code.
 *
 * Here, around it: stdout and stderr go through a filter that shows what a
 * terminal would obey: control characters but newline and tab, and DEL, as
 * \xHH; the C1 controls as UTF-8 encodes them (U+0080..U+009F, such as the
 * CSI U+009B) as \u0080..\u009f. Names come from fleet files, databases and
 * the command line, which are anyone's: an escape sequence in a host's name
 * must not reach the terminal. JSON output stays valid: json-c already
 * escapes the first kind, and \u009b is JSON's own escape for the second.
 */
#define _GNU_SOURCE /* fopencookie */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Through the original stream, unbuffered: the bytes leave by stdio's own
 * writes, as they did before the filter (the fault sweep injects failures
 * into the program's own write(2) calls, not into its output). */
static int put_all(FILE *to, const char *p, size_t n)
{
	return fwrite(p, 1, n, to) == n ? 0 : -1;
}

/* Writes buf to the stream in cookie, filtered. (A C1 control cut in two
 * by the stream's buffer passes: output is written in whole lines.) */
static ssize_t filter_write(void *cookie, const char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *)buf;
	FILE *to = cookie;
	char out[4096];
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (k > sizeof(out) - 16) {
			if (put_all(to, out, k))
				return -1;
			k = 0;
		}
		if (p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
			k += (size_t)snprintf(out + k, 16, "\\u%04x", p[++i]); /* valid in JSON too */
		else if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') || p[i] == 0x7f)
			k += (size_t)snprintf(out + k, 16, "\\x%02x", p[i]);
		else
			out[k++] = (char)p[i];
	}
	return put_all(to, out, k) ? -1 : (ssize_t)n;
}

int main(int argc, char **argv)
{
	cookie_io_functions_t io = {.write = filter_write};
	FILE *so = stdout, *se = stderr;

	setvbuf(so, NULL, _IONBF, 0);
	setvbuf(se, NULL, _IONBF, 0);
	FILE *o = fopencookie(so, "w", io), *e = fopencookie(se, "w", io);

	if (o && e) { /* without them, the plain streams: still a working program */
		setvbuf(e, NULL, _IONBF, 0);
		stdout = o;
		stderr = e;
	}
	return cli_main(argc, argv);
}
