/* The guardian: a child that cleans up every lab if krbfault dies. */
#ifndef KF_GUARDIAN_H
#define KF_GUARDIAN_H

#include <stdbool.h>
#include <sys/types.h>

/* Start this process's guardian unless it runs already.  It lives until
 * this process exits; if that happens while a lab is open (even by
 * SIGKILL), it kills the lab's processes and removes its directory. */
int kf_guardian_start(char **err);

/* Tell the guardian about a lab directory (kept or not if we die). */
void kf_guardian_lab(const char *dir, bool keep);

/* Tell the guardian about a lab process, and that it has been reaped. */
void kf_guardian_pid(pid_t pid);
void kf_guardian_gone(pid_t pid);

/* Tell the guardian that a lab has been torn down: it removes the
 * directory (unless kept) in the background; krbfault waits for it at
 * exit. */
void kf_guardian_closed(const char *dir);

/* Return true if the guardian runs. */
bool kf_guardian_running(void);

/* Remove a directory tree (what the guardian does for an open lab). */
void kf_remove_tree(const char *dir);

#endif /* KF_GUARDIAN_H */
