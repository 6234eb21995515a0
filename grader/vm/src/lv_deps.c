/*
 * lv_deps.c: a program's shared libraries, as ldd(1) reports them
 * (see lv_deps.h).
 */
#define _GNU_SOURCE
#include "lv_deps.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* One line of ldd output: the library's path, or NULL when there is none. */
static int parse_line(char *line, struct lv_strs *out, struct vmlab_err *err)
{
	char *arrow = strstr(line, "=> "), *path, *end;

	path = arrow ? arrow + 3 : line + strspn(line, " \t");
	if (strncmp(path, "not found", 9) == 0) {
		*arrow = '\0';
		line += strspn(line, " \t");
		return vmlab_fail_named(err, -ENOENT, "ldd", "%.*s",
					(int)strcspn(line, " \t"), line);
	}
	/* "libX.so => (0x...)" and "linux-vdso.so.1 (0x...)": nothing on disk. */
	if (path[0] != '/')
		return 0;
	end = path + strcspn(path, " \t(");
	*end = '\0';
	return lv_strs_add_unique(out, path);
}

int lv_deps_parse_ldd(const char *text, struct lv_strs *out, struct vmlab_err *err)
{
	char *copy = strdup(text), *save = NULL;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	for (char *l = strtok_r(copy, "\n", &save); l && !rc; l = strtok_r(NULL, "\n", &save))
		rc = parse_line(l, out, err);
	free(copy);
	return rc;
}

int lv_deps_is_elf(const char *path)
{
	unsigned char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, magic, sizeof(magic));
	close(fd);
	return n == 4 && memcmp(magic, "\177ELF", 4) == 0;
}

/* Reads fd to its end into a NUL-terminated malloc'd buffer. */
static char *read_all(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *grown;
	ssize_t n;

	while (buf && (n = read(fd, buf + len, cap - len - 1)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
		if (cap - len - 1 == 0) {
			grown = realloc(buf, cap *= 2);
			if (!grown)
				free(buf);
			buf = grown;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

static pid_t spawn_ldd(const char *path, int *out)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(p[1], 1);
		dup2(null, 2);
		execlp("ldd", "ldd", path, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0)
		close(p[0]);
	*out = p[0];
	return pid;
}

int lv_deps_of(const char *path, struct lv_strs *out, struct vmlab_err *err)
{
	int fd, status, rc;
	char *text;
	pid_t pid = spawn_ldd(path, &fd);

	if (pid < 0)
		return -errno;
	text = read_all(fd);
	close(fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!text)
		return -ENOMEM;
	/* ldd exits 1 for a static program ("not a dynamic executable"). */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		rc = vmlab_fail_named(err, -ENOENT, "ldd", "ldd");
	else
		rc = WIFEXITED(status) && WEXITSTATUS(status) == 0
			     ? lv_deps_parse_ldd(text, out, err) : 0;
	free(text);
	return rc;
}
