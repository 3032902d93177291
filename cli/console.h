/*
** cli/console.h — `tfc console`: evaluate expressions typed (or piped) one
** per line and print their values as `terraform console` does.
*/
#ifndef TFC_CONSOLE_H
#define TFC_CONSOLE_H

int cmd_console(int argc, char **argv);

#endif
