/*
 * grade_objcheck.c: the student's objects before linking (grade_objcheck.h).
 *
 * Three name sets (grade_elfsyms.h): what the shared libraries of the
 * lab's binaries export (.dynsym, following DT_NEEDED), what the lab's
 * other objects define or call (tests, plumbing), and the API (the global
 * functions the instructor's version of each student file defines, read
 * from its source: the house style puts a definition's name at the start
 * of a line). Files under build/ are written by the build, which runs as
 * nobody: they are read, never run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grade_elfsyms.h"
#include "grade_lab.h"
#include "grade_marker.h"
#include "grade_objcheck.h"
#include "grade_text.h"

#define MAX_SHOWN 5

/* What one check collects. */
struct scan {
	struct grade_names libs;    /* exported by the shared libraries */
	struct grade_names others;  /* defined or called by the lab's other objects */
	struct grade_names api;     /* defined by the instructor's student files */
	struct grade_names needed;  /* shared libraries to read (DT_NEEDED) */
	char *why;                  /* the violations found, one a line */
	int shown, found;
	const char *src;            /* the student's file being checked */
};

/* path (lab-relative) is one of the student's files' objects? */
static int is_student_obj(const char *rel, char *const files[], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(files[i]);
		if (!strncmp(rel, "build/", 6) && !strncmp(rel + 6, files[i], len - 2) &&
		    !strcmp(rel + 6 + len - 2, ".o"))
			return 1;
	}
	return 0;
}

/* The test binaries' libraries and the lab's other objects. */
static int read_lab(const char *labdir, char *const files[], size_t n,
		    struct scan *s)
{
	static const char *pats[] = {
		"build/tests/test_*", "build/tests/hidden/test_*", "build/*.o",
		"build/*/*.o", "build/*/*/*.o",
	};
	int rc = 0;
	for (size_t p = 0; !rc && p < sizeof(pats) / sizeof(*pats); p++) {
		char pat[PATH_MAX];
		glob_t g;
		snprintf(pat, sizeof(pat), "%s/%s", labdir, pats[p]);
		if (glob(pat, 0, NULL, &g) != 0)
			continue;
		for (size_t i = 0; !rc && i < g.gl_pathc; i++) {
			const char *path = g.gl_pathv[i], *rel = path + strlen(labdir) + 1;
			size_t len = strlen(path);
			if (p < 2 && len > 2 && (!strcmp(path + len - 2, ".o") ||
						 !strcmp(path + len - 2, ".d")))
				continue;
			if (p < 2)
				rc = grade_elf_needed(path, &s->needed);
			else if (!is_student_obj(rel, files, n))
				rc = grade_elf_names(path, &s->others);
			if (rc == -EINVAL || rc == -ELOOP)   /* not an object */
				rc = 0;
		}
		globfree(&g);
	}
	return rc ? rc : grade_elf_exports(&s->needed, &s->libs);
}

/* The name defined by a line of C source at file scope ("int f(...)",
 * "const char *f(..."), or 0: a static one, a declaration (;), a type. */
static size_t api_name(const char *line, size_t len, const char **name)
{
	static const char *skip[] = { "static", "typedef", "extern", "__attribute__" };
	const char *paren = memchr(line, '(', len), *end;
	if (!len || !(line[0] == '_' || (line[0] >= 'a' && line[0] <= 'z') ||
		      (line[0] >= 'A' && line[0] <= 'Z')) ||
	    !paren || memchr(line, ';', len))
		return 0;
	for (size_t i = 0; i < sizeof(skip) / sizeof(*skip); i++)
		if (!strncmp(line, skip[i], strlen(skip[i])))
			return 0;
	for (end = paren; end > line && end[-1] == ' '; end--)
		;
	const char *p = end;
	while (p > line && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
			    (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9')))
		p--;
	*name = p;
	return (size_t)(end - p);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t n = 0;
	if (!f)
		return NULL;
	if (getdelim(&text, &n, '\0', f) < 0) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

/* The global functions the instructor's src files define. */
static int read_api(const char *ref_lab, char *const files[], size_t n,
		    struct scan *s)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", ref_lab, files[i]);
		char *text = slurp(path);
		if (!text)
			return -errno;
		for (const char *l = text; !rc && *l;) {
			size_t len = strcspn(l, "\n"), k;
			const char *name;
			if ((k = api_name(l, len, &name)) != 0)
				rc = grade_names_add(&s->api, name, k);
			l += len + (l[len] == '\n');
		}
		free(text);
	}
	return rc;
}

/* One violation, as a line of s->why (the first MAX_SHOWN of them). */
static int refuse(struct scan *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int refuse(struct scan *s, const char *fmt, ...)
{
	va_list ap;
	char *line = NULL;
	s->found++;
	if (s->shown >= MAX_SHOWN)
		return 0;
	va_start(ap, fmt);
	int k = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (k < 0)
		return -ENOMEM;
	s->shown++;
	int rc = grade_text_cat(&s->why, "%s%s", s->why ? "\n" : "", line);
	free(line);
	return rc;
}

static const char *harness_prefix(const char *name)
{
	static const char *pre[] = { "cr_", "criterion_", "graded_", "bxf_", "nn_" };
	for (size_t i = 0; i < sizeof(pre) / sizeof(*pre); i++)
		if (!strncmp(name, pre[i], strlen(pre[i])))
			return pre[i];
	return NULL;
}

static int check_symbol(void *arg, const char *name, const GElf_Sym *sym)
{
	struct scan *s = arg;
	const char *src = s->src;
	if (sym->st_shndx == SHN_UNDEF)
		return 0;
	if (GELF_ST_TYPE(sym->st_info) == STT_GNU_IFUNC)
		return refuse(s, "%s: %s is an IFUNC (its resolver runs while the "
			      "program loads, before the tests): make it a plain function",
			      src, name);
	if (!strcmp(name, "main"))
		return refuse(s, "%s defines main(): the lab's main is given (main.c) "
			      "and the tests bring their own; remove it", src);
	if (grade_names_has(&s->api, name))
		return 0;
	const char *who = grade_names_has(&s->libs, name) ? "the C library (or a library "
			  "the tests load) exports" : harness_prefix(name) ? "the test "
			  "harness reserves" : grade_names_has(&s->others, name) ? "the tests "
			  "or the lab's given files use" : NULL;
	if (!who)
		return 0;
	return refuse(s, "%s defines %s, a name %s: the tests would run yours "
		      "instead. Rename it or make it static", src, name, who);
}

static int is_bad_section(const char *name)
{
	static const char *bad[] = {
		".init_array", ".fini_array", ".preinit_array", ".ctors", ".dtors",
		".init", ".fini",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		size_t n = strlen(bad[i]);
		if (!strncmp(name, bad[i], n) && (name[n] == '\0' || name[n] == '.'))
			return 1;
	}
	return 0;
}

static int check_sections(Elf *e, const char *src, struct scan *s)
{
	Elf_Scn *scn = NULL;
	size_t shstr;
	int rc = 0;
	if (elf_getshdrstrndx(e, &shstr) != 0)
		return refuse(s, "%s: its object file has no section names", src);
	while (!rc && (scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		const char *name;
		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(e, shstr, sh.sh_name)))
			continue;
		if (is_bad_section(name) || sh.sh_type == SHT_INIT_ARRAY ||
		    sh.sh_type == SHT_FINI_ARRAY || sh.sh_type == SHT_PREINIT_ARRAY)
			rc = refuse(s, "%s has a %s section: code that runs before or "
				    "after the tests (__attribute__((constructor)) or "
				    "destructor). Remove it", src, name);
	}
	return rc;
}

static int check_object(Elf *e, const char *src, struct scan *s)
{
	int rc = check_sections(e, src, s);
	s->src = src;
	return rc ? rc : grade_elf_symbols(e, SHT_SYMTAB, check_symbol, s);
}

static int check_files(const char *labdir, char *const files[], size_t n,
		       struct scan *s)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		char path[PATH_MAX];
		size_t len = strlen(files[i]);
		snprintf(path, sizeof(path), "%s/build/%.*s.o", labdir,
			 (int)(len > 2 ? len - 2 : len), files[i]);
		if (access(path, F_OK) != 0 && errno == ENOENT)
			continue;               /* a file this lab does not build */
		Elf *e;
		int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			return refuse(s, "%s: its object cannot be read (%s)", files[i],
				      strerror(errno));
		if (!(e = elf_begin(fd, ELF_C_READ, NULL)) || elf_kind(e) != ELF_K_ELF)
			rc = refuse(s, "%s: its object is not an ELF object", files[i]);
		else
			rc = check_object(e, files[i], s);
		elf_end(e);
		close(fd);
	}
	return rc;
}

static void scan_free(struct scan *s)
{
	grade_names_free(&s->libs);
	grade_names_free(&s->others);
	grade_names_free(&s->api);
	grade_names_free(&s->needed);
	free(s->why);
}

int grade_objcheck_lab(const char *labdir, const char *ref_lab,
		       char *const files[], size_t nfiles, char **found,
		       struct vmlab_err *err)
{
	struct scan s = { 0 };
	int rc;
	*found = NULL;
	vmlab_err_clear(err);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return vmlab_fail(err, -ENOSYS, "libelf is too old for this grader");
	rc = read_lab(labdir, files, nfiles, &s);
	if (!rc)
		rc = read_api(ref_lab ? ref_lab : labdir, files, nfiles, &s);
	grade_names_sort(&s.libs);
	grade_names_sort(&s.others);
	grade_names_sort(&s.api);
	if (!rc)
		rc = check_files(labdir, files, nfiles, &s);
	if (rc) {
		vmlab_fail(err, rc, "checking the objects of %s: %s", labdir,
			   strerror(-rc));
	} else if (s.found) {
		*found = grade_text_fmt("%s%s", s.why ? s.why : "",
					s.found > s.shown ? "\n(and more like these)" : "");
		rc = -EPERM;
	}
	scan_free(&s);
	return rc;
}

static int is_c(const char *name)
{
	size_t n = strlen(name);
	return n > 2 && !strcmp(name + n - 2, ".c");
}

int grade_objcheck_files(const char *ref_lab, char ***files, size_t *n)
{
	char pat[PATH_MAX];
	glob_t g;
	int rc = 0;
	*files = NULL;
	*n = 0;
	snprintf(pat, sizeof(pat), "%s/src/*.c", ref_lab);
	if (glob(pat, 0, NULL, &g) != 0)
		return 0;
	char **v = calloc(g.gl_pathc, sizeof(*v));
	for (size_t i = 0; v && !rc && i < g.gl_pathc; i++) {
		char *text = is_c(g.gl_pathv[i]) ? slurp(g.gl_pathv[i]) : NULL, *out = NULL;
		int regions = 0, line;
		if (text && grade_marker_strip(text, NULL, &out, &regions, &line, NULL) == -ENOMEM)
			rc = -ENOMEM;
		if (regions > 0 && !(v[(*n)++] = strdup(g.gl_pathv[i] + strlen(ref_lab) + 1)))
			rc = -ENOMEM;
		free(text);
		free(out);
	}
	globfree(&g);
	if (!v || rc) {
		grade_objcheck_free(v, *n);
		*n = 0;
		return -ENOMEM;
	}
	*files = v;
	return 0;
}

void grade_objcheck_free(char **files, size_t n)
{
	for (size_t i = 0; files && i < n; i++)
		free(files[i]);
	free(files);
}

int grade_objcheck(struct grade_lab *l)
{
	const char *ref = l->ref_dir ? l->ref_dir : l->dir;
	char **files = NULL, *found = NULL;
	struct vmlab_err err;
	size_t n = 0;
	vmlab_err_clear(&err);
	int rc = grade_objcheck_files(ref, &files, &n);
	if (!rc)
		rc = grade_objcheck_lab(l->dir, ref, files, n, &found, &err);
	grade_objcheck_free(files, n);
	if (rc == -EPERM) {
		free(l->problem);
		l->problem = grade_text_fmt("your code was not run: the lab scores 0 "
					    "until these are fixed:\n%s", found);
		l->built = 0;
		rc = 0;
	} else if (rc) {                /* fail closed: nothing runs unchecked */
		free(l->problem);
		l->problem = err.msg[0] ? strdup(err.msg) :
			     grade_text_fmt("checking the objects of %s: %s",
					    l->rel, strerror(-rc));
		l->built = 0;
	}
	free(found);
	return rc;
}
