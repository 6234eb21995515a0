/*
 * cli: what the program's files share. cli_main.c reads the command line,
 * opens the database and reports errors; cli_cmds.c and cli_vm.c have one
 * function per command, each of which calls the library and prints its
 * answer. Only these files print to stderr or exit, and they exit only
 * through cli_exit().
 */
#ifndef CLOUD_CLI_H
#define CLOUD_CLI_H

#include "cloud_report.h"
#include "cloud_show.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_FAIL = 1,     /* I/O, memory */
	EXIT_USAGE = 2,
	EXIT_CAPACITY = 3, /* InsufficientInstanceCapacity */
	EXIT_TOKEN = 4,    /* IdempotentParameterMismatch */
	EXIT_NOTFOUND = 5, /* no such instance, type, region, zone or place */
	EXIT_STATE = 6,    /* IncorrectInstanceState */
	EXIT_DB = 7,       /* the database is unusable */
	EXIT_FLEET = 8,    /* the fleet file is invalid */
	EXIT_CHECK = 9,    /* `cloud check` found broken invariants */
};

struct opts {
	const char *db, *fleet, *type, *region, *near, *az, *token, *policy, *from;
	long count, min, max;
	long hosts, requests, seed;
	int scan;
	int json, dot, explain, provider, boot;
	unsigned given; /* which command-specific options, by letter bit */
	char **args;
	int nargs;
};

/* The program: runs the command argv names, returns its exit code (or
 * exits early, through cli_exit). */
int cli_main(int argc, char **argv);

/* cli_main() for a harness that runs many commands in one process: an
 * early end comes back here as the exit code instead of ending the
 * process, with the database closed. (The argument fuzzer uses it.) */
int cli_caught(int argc, char **argv);

/* Ends the command with code: exit(), or back to cli_caught(). */
__attribute__((noreturn))
void cli_exit(int code);

/* Prints "cloud: " and the message on stderr, returns code. */
__attribute__((format(printf, 2, 3)))
int cli_fail_msg(int code, const char *fmt, ...);

/* Prints "cloud: " and the message on stderr, ends with code (cli_exit). */
__attribute__((noreturn, format(printf, 2, 3)))
void cli_die(int code, const char *fmt, ...);

/* Reports a failed library call (EC2's error code, err->name, if err has
 * one) and exits with the code rc calls for. */
__attribute__((noreturn))
void cli_report(const char *cmd, int rc, const struct vmlab_err *err);

/* Loads the fleet or exits. */
void cli_load(struct cloud_db *db, struct cloud_fleet *f);

/* Exits with a usage error unless only the options in allow (letters) were given. */
void cli_allow(const struct opts *o, const char *cmd, const char *allow);

/* The commands: print the answer, return 0 or -errno (output failed). */
int cli_regions(struct cloud_db *db, const struct opts *o);
int cli_types(struct cloud_db *db, const struct opts *o);
int cli_run(struct cloud_db *db, const struct opts *o);
int cli_describe(struct cloud_db *db, const struct opts *o);
int cli_act(struct cloud_db *db, const struct opts *o, enum cloud_action a);
int cli_hosts(struct cloud_db *db, const struct opts *o);
int cli_bill(struct cloud_db *db, const struct opts *o);
int cli_map(struct cloud_db *db, const struct opts *o);
int cli_check(struct cloud_db *db, const struct opts *o);
int cli_clock(struct cloud_db *db, const struct opts *o);
int cli_fail(struct cloud_db *db, const struct opts *o, int zone);
int cli_recover(struct cloud_db *db, const struct opts *o, int zone);
/* Real VMs (cli_vm.c). */
int cli_console(struct cloud_db *db, const struct opts *o);
/* Boots in's instances: 0, or the exit code, its message printed. */
int cli_boot(struct cloud_db *db, const struct cloud_insts *in, const struct cloud_fleet *f,
	     int json);
int cli_vm_restart(struct cloud_db *db, const struct cloud_insts *in, int json);
int cli_vm_end(struct cloud_db *db, char *const *ids, size_t n);
void cli_vm_notice(struct cloud_db *db);
/* simulate needs no database. */
int cli_simulate(const struct opts *o);

#endif /* CLOUD_CLI_H */
