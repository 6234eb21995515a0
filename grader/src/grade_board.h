/*
 * grade_board.h: the scoreboard a person reads.
 *
 * Per lab, its total and a line per stage; then every failed test with its
 * reason and the command that reruns it; a build failure shows the end of
 * the compiler's output. Colour only when asked (a terminal).
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
/* The rubric (grade --list). */
void grade_board_list(FILE *f, const struct grade_lab *labs, size_t n);

#endif /* GRADER_GRADE_BOARD_H */
