/*
** cli/sim_cmd.h — `tfc sim`: inspect and drive the simulated AWS.
*/
#ifndef TFC_SIM_CMD_H
#define TFC_SIM_CMD_H

int cmd_sim(int argc, char **argv);

#endif
