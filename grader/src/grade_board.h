/*
 * grade_board.h: the scoreboard a person reads.
 *
 * Per lab, its total, a line per stage and the first warnings; then every
 * failed test with its reason and the command that reruns it; a build
 * failure shows the end of the compiler's output. Colour only when asked (a
 * terminal). Every string is escaped (control characters as \xNN) and every
 * command shell-quoted: names and messages come from untrusted code.
 */
#ifndef GRADER_GRADE_BOARD_H
#define GRADER_GRADE_BOARD_H

#include <stdio.h>

#include "grade_lab.h"

/* Print the board of labs to f; colour adds ANSI colours. */
void grade_board_print(FILE *f, const struct grade_lab *labs, size_t n,
		       int colour);
/* The failures, with reasons and rerun commands (none: prints nothing). */
void grade_board_failures(FILE *f, const struct grade_lab *labs, size_t n,
			  int colour);
/* The board and failures of the visible tests only, with a line saying
 * hidden tests exist: results.json's top-level output, which Gradescope
 * shows to students at once. malloc'd, or NULL. */
char *grade_board_visible(const struct grade_lab *labs, size_t n);
/* The command that reruns t as printed (malloc'd; NULL when memory ran
 * out): every word shell-quoted, in labvm's form when the lab ran there,
 * "hidden test (not in your tree)" for a hidden test. */
char *grade_board_rerun(const struct grade_lab *l, const struct grade_test *t);
/* log (a build's output) as a student may read it: what the compiler said
 * about a hidden test's source is one line naming the functions involved.
 * *hid is set when something was left out. malloc'd, or NULL. */
char *grade_board_student_log(const char *log, int *hid);
/* The rubric (grade --list). */
void grade_board_list(FILE *f, const struct grade_lab *labs, size_t n);

#endif /* GRADER_GRADE_BOARD_H */
