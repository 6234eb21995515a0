/*
 * test_serial: the console device, driven as the guest drives it.
 */
#include "graded.h"
#include "serial.h"
#include "vmlab_abi.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static FILE *f;
static struct serial s;

static void setup(void)
{
	f = tmpfile();
	cr_assert(f);
	serial_init(&s, fileno(f));
}

static const char *written(void)
{
	static char buf[256];
	size_t n;

	cr_assert_eq(serial_flush(&s), 0);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	return buf;
}

GRADED(serial, thr_and_e9_print, 2, "03.2 real mode", 5, .init = setup)
{
	uint8_t c = 'h';

	cr_assert_eq(serial_io(&s, ABI_COM1_PORT, 1, &c, 1, 1), 0);
	c = 'i';
	cr_assert_eq(serial_io(&s, ABI_DEBUGCON_PORT, 1, &c, 1, 1), 0);
	cr_assert_str_eq(written(), "hi");
}

GRADED(serial, line_status_says_empty, 1, "03.2 real mode", 5, .init = setup)
{
	uint8_t lsr = 0;

	cr_assert_eq(serial_io(&s, ABI_COM1_LSR, 0, &lsr, 1, 1), 0);
	cr_assert_eq(lsr & ABI_LSR_THRE, ABI_LSR_THRE);
	cr_assert(serial_owns(ABI_COM1_LSR) && serial_owns(ABI_DEBUGCON_PORT));
	cr_assert(!serial_owns(0x80));
}

GRADED(serial, string_io_sends_every_byte, 2, "03.2 real mode", 5, .init = setup)
{
	uint8_t msg[] = "rep outsb";

	cr_assert_eq(serial_io(&s, ABI_COM1_PORT, 1, msg, 1, 9), 0);
	cr_assert_str_eq(written(), "rep outsb");
}

GRADED(serial, divisor_latch_is_not_output, 1, "03.2 real mode", 5, .init = setup)
{
	uint8_t v = 0x80, d = 3, back = 0;

	serial_io(&s, ABI_COM1_PORT + 3, 1, &v, 1, 1); /* LCR.DLAB = 1 */
	serial_io(&s, ABI_COM1_PORT, 1, &d, 1, 1);     /* divisor, low byte */
	serial_io(&s, ABI_COM1_PORT, 0, &back, 1, 1);
	cr_assert_eq(back, 3);
	cr_assert_str_eq(written(), "");
}

GRADED(serial, control_bytes_escaped, 1, "03.2 real mode", 5, .init = setup)
{
	/* Clear the screen, retitle the terminal, rewrite the line. */
	uint8_t msg[] = "a\x1b[2J\x1b]0;pwned\a\r\tb\x7f\n";

	cr_assert_eq(serial_io(&s, ABI_DEBUGCON_PORT, 1, msg, 1,
			       sizeof(msg) - 1), 0);
	cr_assert_str_eq(written(), "a\\x1b[2J\\x1b]0;pwned\\x07\\x0d\tb\\x7f\n",
			 "a guest's control bytes reach the terminal as \\xNN");
}
