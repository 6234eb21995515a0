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

static int put_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Writes buf to the descriptor in *cookie, filtered. (A C1 control cut in
 * two by the stream's buffer passes: output is written in whole lines.) */
static ssize_t filter_write(void *cookie, const char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *)buf;
	int fd = *(const int *)cookie;
	char out[4096];
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (k > sizeof(out) - 16) {
			if (put_all(fd, out, k))
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
	return put_all(fd, out, k) ? -1 : (ssize_t)n;
}

static int out_fd = STDOUT_FILENO, err_fd = STDERR_FILENO;

int main(int argc, char **argv)
{
	cookie_io_functions_t io = {.write = filter_write};
	FILE *o = fopencookie(&out_fd, "w", io), *e = fopencookie(&err_fd, "w", io);

	if (o && e) { /* without them, the plain streams: still a working program */
		setvbuf(e, NULL, _IONBF, 0);
		stdout = o;
		stderr = e;
	}
	return cli_main(argc, argv);
}
