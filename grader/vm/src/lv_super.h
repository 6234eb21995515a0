/*
 * lv_super.h: running QEMU and watching it until the machine is gone.
 *
 * The supervisor copies ttyS1/ttyS2 to its own stdout/stderr as bytes
 * arrive, keeps the console's last lines, and recognises two of them:
 *   "labvm-status: exit N" / "signal N"   COMMAND's end, sent by /init
 *   "Kernel panic - not syncing: ..."      the guest kernel gave up
 *   "labvm-ready"      /init waits for its run: a machine to save (then
 *                      the supervisor writes mon_cmds to QEMU's monitor)
 *   "labvm-restored"   a restored machine found its run
 * Whatever happens, QEMU does not outlive it: QEMU is killed on timeout and
 * on SIGINT/SIGTERM/SIGHUP, and the kernel kills it (PR_SET_PDEATHSIG) if
 * labvm itself dies by SIGKILL.
 */
#ifndef LV_SUPER_H
#define LV_SUPER_H

#include <stddef.h>

enum lv_end {
	LV_END_EXIT,       /* COMMAND exited: code is its status */
	LV_END_SIGNAL,     /* COMMAND was killed: code is the signal */
	LV_END_PANIC,      /* the guest kernel panicked */
	LV_END_NOSTATUS,   /* QEMU ended without a status line */
	LV_END_TIMEOUT,    /* the timeout passed: QEMU killed */
	LV_END_STOPPED,    /* labvm got a signal (code): QEMU killed */
};

#define LV_CONSOLE_KEEP 8192

struct lv_result {
	enum lv_end end;
	int code;
	int qemu_status;                  /* QEMU's wait status */
	char console[LV_CONSOLE_KEEP];    /* the console's last bytes */
	char panic[256];                  /* the panic line, if any */
	int ready, restored;              /* those lines were seen */
};

/* The pipes between QEMU and labvm; -1 where unused. */
struct lv_pipes {
	int console[2], out[2], err[2];   /* [0] labvm reads, [1] QEMU writes */
	int mon[2];                       /* QEMU's stdin: [0] QEMU reads, [1] labvm writes */
	const char *mon_cmds;             /* written to mon[1] at "labvm-ready" */
};

/* Creates the three pipes (read ends close-on-exec), and the monitor's
 * when mon_cmds is not NULL. Returns 0 or -errno. */
int lv_pipes_open(struct lv_pipes *p, const char *mon_cmds);
void lv_pipes_close(struct lv_pipes *p);

/*
 * Starts argv (QEMU) and supervises it until it exits, timeout_s passes
 * (0: never), or labvm gets SIGINT/SIGTERM/SIGHUP. With p == NULL QEMU
 * keeps labvm's terminal (the shell). verbose copies the console to stderr.
 * Returns 0 and fills r, or -errno when QEMU could not be started.
 */
int lv_super_run(char *const *argv, struct lv_pipes *p, unsigned timeout_s,
		 int verbose, struct lv_result *r);

/*
 * Reads one console line (without "\r\n") into r: a status line sets
 * r->end and r->code and returns 1; a panic line sets r->panic; else 0.
 */
int lv_super_console_line(const char *line, struct lv_result *r);

#endif
