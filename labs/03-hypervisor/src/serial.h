/*
 * serial: the console, a minimal 16550 UART at COM1 and the 0xE9 port.
 *
 *   serial_init()   bind the console to a host file descriptor
 *   serial_io()     one port access by the guest (a KVM_EXIT_IO)
 *   serial_flush()  write out what the guest printed so far
 *
 * The guest drives COM1 the way a driver drives real hardware: wait until
 * the line-status register (LSR, base + 5) says "transmitter empty", then
 * write the byte to the transmit register (THR, base + 0). Port 0xE9 is the
 * Bochs/QEMU debug console: every byte written there is printed.
 * Output is buffered a line at a time; the VMM flushes before it reports.
 * Control bytes other than newline and tab, and DEL, go out as \xNN: a
 * guest cannot move the cursor, clear the screen or retitle a terminal.
 */
#ifndef VMM_SERIAL_H
#define VMM_SERIAL_H

#include <stddef.h>
#include <stdint.h>

#define SERIAL_BUF 4096

struct serial {
	int fd;                 /* the host side of the console */
	uint8_t lcr, ier, mcr, scr; /* registers the guest may read back */
	uint8_t dll, dlm;       /* divisor latch (baud rate), kept, unused */
	size_t n;               /* bytes waiting in buf */
	uint8_t buf[SERIAL_BUF];
	char prefix[40];        /* put before each line ("vm2: "), or "" */
	int mid_line;           /* the last flush did not end a line */
};

void serial_init(struct serial *s, int fd);

/* Is port one of the console's? */
int serial_owns(uint16_t port);

/*
 * One access: out (1) writes size * count bytes from data, in (0) fills
 * them. A string instruction (rep outsb) arrives as count > 1.
 * Returns 0, or -errno when writing to the host fd failed.
 */
int serial_io(struct serial *s, uint16_t port, int out, uint8_t *data,
	      unsigned size, unsigned count);

/* Starts every line of output with prefix (run-many: "vm2: "). */
void serial_set_prefix(struct serial *s, const char *prefix);

/* Writes what is buffered, as one write(2). Returns 0 or -errno. */
int serial_flush(struct serial *s);

#endif /* VMM_SERIAL_H */
