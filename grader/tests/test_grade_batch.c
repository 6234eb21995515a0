/*
 * test_grade_batch.c: student ids from folder entries, and CSV cells a
 * spreadsheet reads as text (grade_subs_id, grade_book_cell).
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "grade_subs.h"
#include "grade_book.h"

static void id_is(const char *name, const char *want)
{
	char id[64];
	grade_subs_id(name, id, sizeof(id));
	cr_assert_str_eq(id, want, "%s", name);
}

Test(grade_batch, ids_drop_archive_suffixes_and_odd_characters)
{
	id_is("alice.tar.gz", "alice");
	id_is("bob.ZIP", "bob");
	id_is("carol.tgz", "carol");
	id_is("dave", "dave");
	id_is("e v,e\".zip", "e_v_e_");
	id_is("-rf.zip", "_rf");
	id_is("=cmd.tar", "_cmd");
	id_is("x.y.tar.xz", "x.y");
}

static void cell_is(const char *s, const char *want)
{
	char *c = grade_book_cell(s);
	cr_assert_str_eq(c, want);
	free(c);
}

Test(grade_batch, csv_cells_are_quoted_and_never_formulas)
{
	cell_is("alice", "alice");
	cell_is("01.2 memory (/16)", "01.2 memory (/16)");
	cell_is("a,b", "\"a,b\"");
	cell_is("say \"hi\"", "\"say \"\"hi\"\"\"");
	cell_is("=1+1", "'=1+1");
	cell_is("", "");
}
