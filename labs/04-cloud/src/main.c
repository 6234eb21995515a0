/*
 * cloud: a small cloud provider on one SQLite file (lab 04).
 *
 * The program is cli_main() (cli_main.c): the command line, the database,
 * one function per command (cli_cmds.c, cli_vm.c), the exit code.
 */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
