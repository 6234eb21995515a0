/*
 * grade_elfsyms.c: symbol names from ELF files (grade_elfsyms.h).
 *
 * Student-built files are opened without following links (the build runs
 * as nobody and could leave one); the system's libraries are found in the
 * folders Debian's dynamic linker searches.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grade_elfsyms.h"

#define MAX_LIBS 64

int grade_names_add(struct grade_names *s, const char *name, size_t len)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		char **v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strndup(name, len)))
		return -ENOMEM;
	s->n++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void grade_names_sort(struct grade_names *s)
{
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), by_name);
}

int grade_names_has(const struct grade_names *s, const char *name)
{
	return s->n && bsearch(&name, s->v, s->n, sizeof(*s->v), by_name);
}

void grade_names_free(struct grade_names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	*s = (struct grade_names){ 0 };
}

typedef int elf_fn(Elf *e, void *arg);

/* fn on each ELF object of path (each member of an archive). */
static int elf_each(const char *path, elf_fn *fn, void *arg)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK), rc = 0;
	if (fd < 0)
		return -errno;
	Elf *ar = elf_begin(fd, ELF_C_READ, NULL), *e;
	if (!ar)
		rc = -EINVAL;
	else if (elf_kind(ar) == ELF_K_AR) {
		Elf_Cmd cmd = ELF_C_READ;
		while (!rc && (e = elf_begin(fd, cmd, ar)) != NULL) {
			if (elf_kind(e) == ELF_K_ELF)
				rc = fn(e, arg);
			cmd = elf_next(e);
			elf_end(e);
		}
	} else if (elf_kind(ar) == ELF_K_ELF) {
		rc = fn(ar, arg);
	} else {
		rc = -EINVAL;
	}
	elf_end(ar);
	close(fd);
	return rc;
}

int grade_elf_symbols(Elf *e, Elf64_Word type, grade_sym_fn *fn, void *arg)
{
	Elf_Scn *scn = NULL;
	int rc = 0;
	while (!rc && (scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != type || !sh.sh_entsize ||
		    !(d = elf_getdata(scn, NULL)))
			continue;
		size_t n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 1; !rc && i < n; i++) {
			GElf_Sym sym;
			const char *name;
			if (!gelf_getsym(d, (int)i, &sym) ||
			    GELF_ST_BIND(sym.st_info) == STB_LOCAL ||
			    !(name = elf_strptr(e, sh.sh_link, sym.st_name)) || !*name)
				continue;
			rc = fn(arg, name, &sym);
		}
	}
	return rc;
}

static int add_name(void *arg, const char *name, const GElf_Sym *sym)
{
	(void)sym;
	return grade_names_add(arg, name, strlen(name));
}

/* Versioned names (write@@GLIBC_2.2.5) are in .dynsym without it. */
static int add_export(void *arg, const char *name, const GElf_Sym *sym)
{
	return sym->st_shndx == SHN_UNDEF ? 0 : grade_names_add(arg, name, strlen(name));
}

static int object_names(Elf *e, void *out)
{
	return grade_elf_symbols(e, SHT_SYMTAB, add_name, out);
}

int grade_elf_names(const char *path, struct grade_names *out)
{
	return elf_each(path, object_names, out);
}

/* The DT_NEEDED names of e, added to needed once each. */
static int add_needed(Elf *e, void *arg)
{
	struct grade_names *needed = arg;
	Elf_Scn *scn = NULL;
	int rc = 0;
	while (!rc && (scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC ||
		    !sh.sh_entsize || !(d = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; !rc && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Dyn dyn;
			const char *lib;
			if (!gelf_getdyn(d, (int)i, &dyn) || dyn.d_tag != DT_NEEDED ||
			    !(lib = elf_strptr(e, sh.sh_link, dyn.d_un.d_val)))
				continue;
			int seen = 0;
			for (size_t k = 0; k < needed->n; k++)
				seen |= !strcmp(needed->v[k], lib);
			if (!seen && needed->n < MAX_LIBS && !strchr(lib, '/'))
				rc = grade_names_add(needed, lib, strlen(lib));
		}
	}
	return rc;
}

int grade_elf_needed(const char *path, struct grade_names *needed)
{
	return elf_each(path, add_needed, needed);
}

/* One library: what it needs, and what it exports. */
static int read_lib(const char *path, struct grade_names *needed,
		    struct grade_names *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);     /* links: the system's */
	Elf *e = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	int rc = 0;
	if (e && elf_kind(e) == ELF_K_ELF) {
		rc = add_needed(e, needed);
		if (!rc)
			rc = grade_elf_symbols(e, SHT_DYNSYM, add_export, out);
	}
	elf_end(e);
	if (fd >= 0)
		close(fd);
	return rc;
}

int grade_elf_exports(struct grade_names *needed, struct grade_names *out)
{
	static const char *dirs[] = {
		"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64",
		"/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib",
	};
	for (size_t i = 0; i < needed->n; i++) {    /* needed grows meanwhile */
		for (size_t k = 0; k < sizeof(dirs) / sizeof(*dirs); k++) {
			char path[PATH_MAX];
			snprintf(path, sizeof(path), "%s/%s", dirs[k], needed->v[i]);
			if (access(path, R_OK) != 0)
				continue;
			int rc = read_lib(path, needed, out);
			if (rc)
				return rc;
			break;
		}
	}
	return 0;
}
