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

/* >>> SOLUTION 03.2: the device: transmit on THR and 0xE9, report LSR "empty" */
static int put(struct serial *s, uint8_t c)
{
	s->buf[s->n++] = c;
	if (c == '\n' || s->n == sizeof(s->buf))
		return serial_flush(s);
	return 0;
}

static int write_reg(struct serial *s, uint16_t port, uint8_t v)
{
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
}

static uint8_t read_reg(const struct serial *s, uint16_t port)
{
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
}
/* === STUB
*/
/* <<< SOLUTION */

int serial_io(struct serial *s, uint16_t port, int out, uint8_t *data,
	      unsigned size, unsigned count)
{
	/* >>> SOLUTION 03.2: every byte of a string access (count > 1) counts */
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
