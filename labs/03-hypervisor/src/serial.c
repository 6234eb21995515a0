/*
 * serial: a console that is just enough of a 16550 UART.
 *
 * Registers at COM1 (0x3f8) + offset, as a driver sees them:
 *   0 THR (write) / RBR (read)   1 IER    2 IIR (read) / FCR (write)
 *   3 LCR   4 MCR   5 LSR   6 MSR   7 SCR
 * With LCR bit 7 (DLAB) set, offsets 0 and 1 are the baud-rate divisor.
 * There is no input and no interrupt: the guest polls LSR.
 */
#include "serial.h"
#include "vmlab_abi.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LCR_DLAB 0x80

void serial_init(struct serial *s, int fd)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
}

int serial_owns(uint16_t port)
{
	return port == ABI_DEBUGCON_PORT ||
	       (port >= ABI_COM1_PORT && port < ABI_COM1_PORT + 8);
}

void serial_set_prefix(struct serial *s, const char *prefix)
{
	snprintf(s->prefix, sizeof(s->prefix), "%s", prefix);
}

/*
 * Appends byte c to out as the terminal should see it: a control byte
 * (other than newline and tab) or DEL as \xNN, so that a guest cannot
 * move the cursor, clear the screen or retitle the user's terminal.
 */
static size_t shown(char *out, uint8_t c)
{
	static const char hex[] = "0123456789abcdef";

	if ((c >= 0x20 && c != 0x7f) || c == '\n' || c == '\t') {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
	return 4;
}

int serial_flush(struct serial *s)
{
	char out[sizeof(s->prefix) + 4 * SERIAL_BUF];
	size_t done = 0, len = 0;

	if (s->n == 0)
		return 0;
	/* One write per line: lines of VMs sharing stdout do not interleave. */
	if (!s->mid_line)
		len = (size_t)snprintf(out, sizeof(s->prefix), "%s", s->prefix);
	for (size_t i = 0; i < s->n; i++)
		len += shown(out + len, s->buf[i]);
	s->mid_line = s->buf[s->n - 1] != '\n';
	while (done < len) {
		ssize_t w = write(s->fd, out + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int en = errno;

			s->n = 0;
			return -en;
		}
		done += (size_t)w;
	}
	s->n = 0;
	return 0;
}

/*
 * Queues byte c for the console; a newline or a full buffer writes the
 * line out (serial_flush()). Returns 0 or -errno.
 */
__attribute__((unused)) /* called from write_reg() */
static int put(struct serial *s, uint8_t c)
{
	s->buf[s->n++] = c;
	if (c == '\n' || s->n == sizeof(s->buf))
		return serial_flush(s);
	return 0;
}

/*
 * Stage 03.2 (README "Stage 2 · real mode", step 6): the guest writes
 * byte v to port (serial_owns() said yes). Port 0xE9 (ABI_DEBUGCON_PORT)
 * prints v: put(s, v). COM1 + offset (ABI_COM1_PORT = 0x3f8), as in the
 * table at the top of this file:
 *   0  DLAB set (s->lcr & LCR_DLAB): divisor low byte s->dll, not output;
 *      else THR: the byte goes out, put(s, v)
 *   1  DLAB set: divisor high byte s->dlm; else IER (s->ier)
 *   3  LCR (s->lcr)   4  MCR (s->mcr)   7  SCR (s->scr)
 *   2, 5, 6: FCR and the read-only LSR and MSR, ignored
 * Returns 0, or what put() returns.
 */
__attribute__((unused)) /* called from serial_io() */
static int write_reg(struct serial *s, uint16_t port, uint8_t v)
{
	/* >>> SOLUTION 03.2: 0xE9 and THR print with put(); DLAB turns offsets 0, 1 into the divisor */
	if (port == ABI_DEBUGCON_PORT)
		return put(s, v);
	switch (port - ABI_COM1_PORT) {
	case 0:
		if (s->lcr & LCR_DLAB)
			s->dll = v;
		else
			return put(s, v); /* THR: the byte goes out */
		break;
	case 1:
		if (s->lcr & LCR_DLAB)
			s->dlm = v;
		else
			s->ier = v;
		break;
	case 3: s->lcr = v; break;
	case 4: s->mcr = v; break;
	case 7: s->scr = v; break;
	default: break; /* FCR, and the read-only LSR and MSR */
	}
	return 0;
	/* === STUB
	(void)s;
	(void)port;
	(void)v;
	return -ENOSYS;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.2: the byte the guest reads from port. 0xE9 answers 0xE9 (the
 * Bochs "port present" answer). COM1 + offset:
 *   0  DLAB set: s->dll; else RBR, 0 (there is no input)
 *   1  DLAB set: s->dlm; else s->ier
 *   2  IIR 0x01 (no interrupt pending)   3  s->lcr   4  s->mcr
 *   5  LSR: ABI_LSR_THRE | ABI_LSR_TEMT, the transmitter is always empty
 *      (output is instant); a guest polls this before each byte
 *   6  MSR 0xb0 (carrier, data set and clear to send)   7  s->scr
 * Stage 03.2, README "Stage 2 · real mode".
 */
__attribute__((unused)) /* called from serial_io() */
static uint8_t read_reg(const struct serial *s, uint16_t port)
{
	/* >>> SOLUTION 03.2: one answer per register; LSR says "transmitter empty" */
	if (port == ABI_DEBUGCON_PORT)
		return ABI_DEBUGCON_PORT; /* the Bochs "port present" answer */
	switch (port - ABI_COM1_PORT) {
	case 0: return (s->lcr & LCR_DLAB) ? s->dll : 0; /* RBR: no input */
	case 1: return (s->lcr & LCR_DLAB) ? s->dlm : s->ier;
	case 2: return 0x01; /* IIR: no interrupt pending */
	case 3: return s->lcr;
	case 4: return s->mcr;
	/* LSR: the transmitter is always empty, since output is instant. */
	case 5: return ABI_LSR_THRE | ABI_LSR_TEMT;
	case 6: return 0xb0; /* MSR: carrier, data set and clear to send */
	default: return s->scr;
	}
	/* === STUB
	(void)s;
	(void)port;
	return 0;
	*/
	/* <<< SOLUTION */
}

/*
 * Stage 03.2 (serial.h has the contract): size * count bytes at data, one
 * register access each. A rep outsb of 14 bytes arrives as one exit with
 * count = 14: every byte counts, in order. out: write_reg() each byte and
 * stop at its first error; in: fill each byte with read_reg().
 * Stage 03.2, README "Stage 2 · real mode".
 */
int serial_io(struct serial *s, uint16_t port, int out, uint8_t *data,
	      unsigned size, unsigned count)
{
	/* >>> SOLUTION 03.2: size * count bytes, each through write_reg() or read_reg() */
	for (unsigned i = 0; i < size * count; i++) {
		if (out) {
			int r = write_reg(s, port, data[i]);

			if (r)
				return r;
		} else {
			data[i] = read_reg(s, port);
		}
	}
	return 0;
	/* === STUB
	(void)s;
	(void)port;
	(void)out;
	(void)data;
	(void)size;
	(void)count;
	return 0;
	*/
	/* <<< SOLUTION */
}
