/*
 * grade_secret.c: the folders a jail hides, the modes of a copy, and the
 * modes that hide them where there are no namespaces
 * (grade_secret.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grade_jail.h"
#include "grade_ns.h"
#include "grade_secret.h"
#include "grade_text.h"

/* Under the instructor's tree, what labvm needs (grader/labvm and
 * grader/vm build and find build/labvm; grader/vm/Makefile includes mk/):
 * nothing secret. */
static const char *const shown[] = { "grader/labvm", "grader/vm", "build/labvm",
				     "mk" };

int grade_secret_for(struct grade_secret *s, const char *labdir,
		     const char *ref, enum grade_secret_use use)
{
	size_t n = 0;
	int bad = 0;
	*s = (struct grade_secret){ 0 };
	if (ref) {
		s->hide[n++] = strdup(ref);
		for (size_t i = 0; i < 4; i++)
			bad |= !(s->reveal[i] = grade_text_fmt("%s/%s", ref, shown[i]));
	}
	if (use != GRADE_SECRET_BUILD_HIDDEN)
		s->hide[n++] = grade_text_fmt("%s/tests/hidden", labdir);
	if (use == GRADE_SECRET_TEST)
		s->hide[n++] = grade_text_fmt("%s/build/tests/hidden", labdir);
	for (size_t i = 0; i < n; i++)
		bad |= !s->hide[i];
	if (bad) {
		grade_secret_free(s);
		return -ENOMEM;
	}
	return 0;
}

void grade_secret_free(struct grade_secret *s)
{
	for (size_t i = 0; i < 4; i++)
		free(s->hide[i]);
	for (size_t i = 0; i < 5; i++)
		free(s->reveal[i]);
	*s = (struct grade_secret){ 0 };
}

static int set_mode(const char *labdir, const char *rel, mode_t mode)
{
	char *path = grade_text_fmt("%s/%s", labdir, rel);
	struct stat st;
	int rc = !path ? -ENOMEM : lstat(path, &st) != 0 ? (errno == ENOENT ? 0 : -errno)
		 : S_ISLNK(st.st_mode) ? -ELOOP
		 : chown(path, 0, 0) || chmod(path, mode) ? -errno : 0;
	free(path);
	return rc;
}

/*
 * One entry of build/tests/hidden (name in the folder at) made root's, through
 * descriptors opened without following a link: folders 0700 (top, the
 * folder itself, 0711: its names not listed), executables 0755 (Criterion
 * reads its own executable to find its tests: an execute-only one runs
 * none), other files 0600; anything else (a link, a FIFO) removed.
 */
static int take_one(int at, const char *name, int top)
{
	struct stat st;
	if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return unlinkat(at, name, 0) ? -errno : 0;
	int dir = S_ISDIR(st.st_mode);
	int fd = openat(at, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
			(dir ? O_DIRECTORY : 0));
	if (fd < 0)
		return -errno;
	int rc = fstat(fd, &st) ? -errno : 0;
	mode_t mode = dir ? (top ? 0711 : 0700) : (st.st_mode & S_IXUSR) ? 0755 : 0600;
	DIR *d = !rc && dir ? fdopendir(dup(fd)) : NULL;
	struct dirent *e;
	if (!rc && dir && !d)
		rc = -errno;
	while (d && !rc && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			rc = take_one(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	if (!rc && (fchown(fd, 0, 0) || fchmod(fd, mode)))
		rc = -errno;
	close(fd);
	return rc;
}

/* Without namespaces (grade_jail_by_modes), once the hidden tests are
 * built: build/tests/hidden root's, so that a visible test (its jail
 * shuts the folder, grade_jail.c) cannot read their objects or binaries,
 * and nobody can change them; a hidden test runs (and reads) its own. */
static int take_hidden_build(const char *labdir)
{
	char *tests = grade_text_fmt("%s/build/tests", labdir);
	int fd = tests ? open(tests, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
		       : -1;
	int rc = !tests ? -ENOMEM : fd < 0 ? (errno == ENOENT ? 0 : -errno)
		 : take_one(fd, "hidden", 1);
	if (fd >= 0)
		close(fd);
	free(tests);
	return rc == -ENOENT ? 0 : rc;
}

int grade_secret_modes(const char *labdir, char *const *student,
		       enum grade_secret_use next)
{
	int hidden = next == GRADE_SECRET_BUILD_HIDDEN;
	if (geteuid() != 0)
		return 0;
	int rc = set_mode(labdir, "tests/hidden", hidden ? 0755 : 0700);
	for (size_t i = 0; !rc && next != GRADE_SECRET_BUILD && student &&
	     student[i]; i++)
		rc = set_mode(labdir, student[i], hidden ? 0600 : 0644);
	if (!rc && next == GRADE_SECRET_TEST && grade_jail_by_modes())
		rc = take_hidden_build(labdir);
	return rc;
}

/*
 * The instructor's tree taken away from nobody (grade_secret_lock): what
 * was removed from which file, to give it back. Nobody reaches a file
 * through its others' bits, or its group's when the group is one a jail's
 * nobody holds (nogroup, /dev/kvm's).
 */
struct taken {
	char *path;
	dev_t dev;
	ino_t ino;
	mode_t bits;
};
static struct taken *taken;
static size_t ntaken;

static mode_t nobody_bits(const struct stat *st)
{
	gid_t kvm;
	int group = st->st_gid == GRADE_NOBODY ||
		    (grade_ns_kvm_group(&kvm) && st->st_gid == kvm);
	return group ? 077 : 07;
}

/* path's bits for nobody removed but keep's; a link, a device left. */
static int take_away(const char *path, mode_t keep)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return 0;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = fstat(fd, &st) ? -errno : 0;
	mode_t bits = st.st_mode & nobody_bits(&st) & ~keep;
	struct taken *more = !rc && bits ? realloc(taken, (ntaken + 1) * sizeof(*taken))
			     : NULL;
	if (!rc && bits && !more)
		rc = -ENOMEM;
	if (more) {
		taken = more;
		taken[ntaken] = (struct taken){ .path = strdup(path), .dev = st.st_dev,
						.ino = st.st_ino, .bits = bits };
		rc = !taken[ntaken].path ? -ENOMEM
		     : fchmod(fd, (st.st_mode & 07777) & ~bits) ? -errno : 0;
		if (!rc)
			ntaken++;
		else
			free(taken[ntaken].path);
	}
	close(fd);
	return rc;
}

/* The folders on the way to what stays shown (shown[]), tree-relative. */
static const char *const on_way[] = { ".", "grader", "build" };

static int listed(const char *rel)
{
	for (size_t i = 0; i < 4; i++)
		if (!strcmp(rel, shown[i]) || (i < 3 && !strcmp(rel, on_way[i])))
			return 1;
	return 0;
}

/* A folder on the way: passable (x) but not listable, and everything in
 * it but what is listed closed. */
static int lock_dir(const char *top, const char *rel)
{
	char *dir = grade_text_fmt("%s/%s", top, rel);
	int rc = !dir ? -ENOMEM : take_away(dir, 0111);
	DIR *d = !rc ? opendir(dir) : NULL;
	struct dirent *e;
	while (d && !rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *sub = !strcmp(rel, ".") ? strdup(e->d_name)
			    : grade_text_fmt("%s/%s", rel, e->d_name);
		char *path = sub ? grade_text_fmt("%s/%s", top, sub) : NULL;
		rc = !path ? -ENOMEM : listed(sub) ? 0 : take_away(path, 0);
		free(sub);
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
	return rc;
}

int grade_secret_lock(const char *ref)
{
	static int registered;
	if (!grade_jail_by_modes() || ntaken)
		return 0;
	char *top = realpath(ref, NULL);
	int rc = !top ? -errno : 0;
	for (size_t i = 0; !rc && i < 3; i++)
		rc = lock_dir(top, on_way[i]);
	free(top);
	if (!rc && !registered++ && atexit(grade_secret_unlock) != 0)
		rc = -ENOMEM;
	if (rc)
		grade_secret_unlock();
	return rc;
}

void grade_secret_unlock(void)
{
	struct stat st;
	while (ntaken--) {
		struct taken *t = &taken[ntaken];
		int fd = open(t->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == t->dev &&
		    st.st_ino == t->ino)
			(void)!fchmod(fd, (st.st_mode & 07777) | t->bits);
		if (fd >= 0)
			close(fd);
		free(t->path);
	}
	ntaken = 0;
	free(taken);
	taken = NULL;
}

/* Shutting a hidden folder for one jail (grade_secret_shut). */
static int revealed_under(const char *const *reveal, const char *dir)
{
	size_t n = strlen(dir);
	for (size_t i = 0; reveal && reveal[i]; i++)
		if (!strncmp(reveal[i], dir, n) && reveal[i][n] == '/')
			return 1;
	return 0;
}

static int shut_one(const char *dir, struct grade_secret_shut *s)
{
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? 0 : -errno;
	int rc = fstat(fd, &st) ? -errno : 0;
	if (!rc && st.st_uid != GRADE_NOBODY && (st.st_mode & 077)) {
		rc = fchmod(fd, st.st_mode & 0700) ? -errno : 0;
		if (!rc)
			*s = (struct grade_secret_shut){ .dev = st.st_dev, .ino = st.st_ino,
					    .mode = st.st_mode & 07777 };
	}
	close(fd);
	return rc;
}

void grade_secret_reopen(const char *const *hide,
			 const struct grade_secret_shut *s, size_t n)
{
	struct stat st;
	for (size_t i = 0; i < n; i++) {
		if (!s[i].mode)
			continue;
		int fd = open(hide[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == s[i].dev &&
		    st.st_ino == s[i].ino)
			(void)!fchmod(fd, s[i].mode);
		if (fd >= 0)
			close(fd);
	}
}

int grade_secret_shut(const char *const *hide, const char *const *reveal,
		      struct grade_secret_shut *s, size_t max, size_t *n)
{
	int rc = 0;
	*n = 0;
	for (; !rc && hide && *n < max && hide[*n]; (*n)++) {
		s[*n] = (struct grade_secret_shut){ 0 };
		if (!revealed_under(reveal, hide[*n]))
			rc = shut_one(hide[*n], &s[*n]);
	}
	if (!rc && hide && *n == max && hide[max])
		rc = -E2BIG;
	if (rc)
		grade_secret_reopen(hide, s, *n);
	return rc;
}
