/*
** state/lock.h — the state lock (internal to state/; commands use StMgr).
*/
#ifndef TFC_STATE_LOCK_H
#define TFC_STATE_LOCK_H

#include "state/state.h"

typedef struct StLock StLock;

/* Takes the lock for a state path, retrying until timeout seconds passed.
** On failure adds Terraform's "Error acquiring the state lock" diagnostic
** with the holder's Lock Info and returns NULL. */
StLock *st_lock_acquire(const char *state_path, const char *operation, double timeout, bool quiet,
                        DiagList *dl);
void st_lock_release(StLock *l);
/* fsync of the folder holding path, so a rename or unlink is durable. */
bool st_fsync_dir(const char *path);

#endif
