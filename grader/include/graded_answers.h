/*
 * graded_answers.h: reading a lab's answers.txt, the "predict, then check"
 * questions of its README, for the tests that grade them.
 *
 *   graded_answer("answers.txt", "Q3", buf, size)
 *
 * A line "Q3: answer" holds question 3's answer. What the student wrote is
 * normalised so that the form does not cost the point: blanks, a trailing
 * '%', thousands separators (',' and '_') and parentheses around a letter
 * go, and letters are lowered ("(B)" -> "b", "16,384 %" -> "16384").
 */
#ifndef GRADER_GRADED_ANSWERS_H
#define GRADER_GRADED_ANSWERS_H

#include <stddef.h>

/* The normalised answer to question q ("Q3") in file into buf: 0, -ENOENT
 * when the file has no such line or the line is empty, -errno when the file
 * cannot be read, -ENOSPC when the answer does not fit. */
int graded_answer(const char *file, const char *q, char *buf, size_t size);

/* In a test: question q's answer in ./answers.txt is want, or the test
 * fails saying what was read. */
void graded_expect_answer(const char *q, const char *want);

#endif /* GRADER_GRADED_ANSWERS_H */
