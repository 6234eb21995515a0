/*
 * grade_elfsyms.h: names of symbols, read from ELF files with libelf.
 *
 *   grade_names_*         a set of names: add, sort once, then search
 *   grade_elf_symbols     each global or weak symbol of one ELF object
 *   grade_elf_names       every global name an object or archive defines
 *                         or calls
 *   grade_elf_needed      the shared libraries a binary needs (DT_NEEDED)
 *   grade_elf_exports     what those libraries, and theirs, export
 * Files are only read, never loaded or run; grade_objcheck.h uses them.
 */
#ifndef GRADER_GRADE_ELFSYMS_H
#define GRADER_GRADE_ELFSYMS_H

#include <gelf.h>
#include <stddef.h>

struct grade_names {
	char **v;
	size_t n, cap;
};

/* 0 or -ENOMEM. */
int grade_names_add(struct grade_names *s, const char *name, size_t len);
/* Sort before searching; then grade_names_has is a binary search. */
void grade_names_sort(struct grade_names *s);
int grade_names_has(const struct grade_names *s, const char *name);
void grade_names_free(struct grade_names *s);

/* fn(arg, name, sym) for each global or weak symbol of e's sections of
 * type `type` (SHT_SYMTAB, SHT_DYNSYM); stops at fn's first nonzero. */
typedef int grade_sym_fn(void *arg, const char *name, const GElf_Sym *sym);
int grade_elf_symbols(Elf *e, Elf64_Word type, grade_sym_fn *fn, void *arg);
/* The global names (defined or not) of the object or archive at path,
 * added to out. 0, -EINVAL when it is not ELF, -errno (a link: -ELOOP). */
int grade_elf_names(const char *path, struct grade_names *out);
/* The DT_NEEDED names of the binary at path, added to needed once each. */
int grade_elf_needed(const char *path, struct grade_names *needed);
/* The names every library of needed exports, added to out; needed grows
 * with what they need in turn. A library not found is skipped. 0, -errno. */
int grade_elf_exports(struct grade_names *needed, struct grade_names *out);

#endif /* GRADER_GRADE_ELFSYMS_H */
