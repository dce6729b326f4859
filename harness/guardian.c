/* The guardian: a child that cleans up every lab if krbfault dies. */
#define _GNU_SOURCE
#include "guardian.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PIDS 512
#define MAX_LABS 32

static pid_t guardian_pid;
static int guardian_fd = -1;

static int
remove_entry(const char *path, const struct stat *st, int flag,
             struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void
kf_remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* What the guardian knows of the labs still open. */
struct state {
    pid_t pids[MAX_PIDS];
    size_t npids;
    char *dirs[MAX_LABS];
    bool keep[MAX_LABS];
    size_t ndirs;
};

/* Apply one line of the protocol to the state. */
static void
apply(struct state *s, char *line)
{
    size_t i;

    if (strncmp(line, "pid ", 4) == 0 && s->npids < MAX_PIDS) {
        s->pids[s->npids++] = (pid_t)atol(line + 4);
    } else if (strncmp(line, "gone ", 5) == 0) {
        pid_t pid = (pid_t)atol(line + 5);

        for (i = 0; i < s->npids; i++) {
            if (s->pids[i] == pid)
                s->pids[i] = s->pids[--s->npids];
        }
    } else if (strncmp(line, "lab ", 4) == 0 ||
               strncmp(line, "kept ", 5) == 0) {
        bool keep = line[0] == 'k';

        /* Reuse the slot of a lab already closed: one invocation may run
         * far more labs than are ever open at once. */
        for (i = 0; i < s->ndirs && s->dirs[i] != NULL; i++)
            ;
        if (i == s->ndirs && s->ndirs < MAX_LABS)
            s->ndirs++;
        if (i < s->ndirs) {
            s->keep[i] = keep;
            s->dirs[i] = strdup(line + (keep ? 5 : 4));
        }
    } else if (strncmp(line, "closed ", 7) == 0) {
        /* A torn-down lab: its processes are gone; remove its directory
         * here, off krbfault's path, unless it is kept. */
        for (i = 0; i < s->ndirs; i++) {
            if (s->dirs[i] != NULL && strcmp(s->dirs[i], line + 7) == 0) {
                if (!s->keep[i])
                    kf_remove_tree(s->dirs[i]);
                free(s->dirs[i]);
                s->dirs[i] = NULL;
            }
        }
    }
}

/* Read the protocol until krbfault's end of the pipe closes, then clean
 * up whatever is still open. */
static void
guardian_main(int rfd)
{
    struct state s;
    char buf[8192];
    size_t used = 0, i;
    ssize_t n;
    char *nl;

    memset(&s, 0, sizeof(s));
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    for (;;) {
        n = read(rfd, buf + used, sizeof(buf) - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        used += (size_t)n;
        buf[used] = '\0';
        while ((nl = strchr(buf, '\n')) != NULL) {
            *nl = '\0';
            apply(&s, buf);
            used -= (size_t)(nl + 1 - buf);
            memmove(buf, nl + 1, used + 1);
        }
        if (used == sizeof(buf) - 1)
            used = 0;
    }
    for (i = 0; i < s.npids; i++)
        kill(s.pids[i], SIGKILL);
    for (i = 0; i < s.ndirs; i++) {
        if (s.dirs[i] != NULL && !s.keep[i])
            kf_remove_tree(s.dirs[i]);
    }
    _exit(0);
}

/* At exit, let the guardian finish removing torn-down labs, so nothing
 * is left when krbfault has exited. */
static void
finish(void)
{
    int status;

    if (guardian_fd < 0)
        return;
    close(guardian_fd);
    guardian_fd = -1;
    waitpid(guardian_pid, &status, 0);
}

bool
kf_guardian_running(void)
{
    return guardian_fd >= 0;
}

int
kf_guardian_start(char **err)
{
    int fds[2], fd;
    pid_t pid;

    if (guardian_fd >= 0)
        return 0;
    if (pipe2(fds, O_CLOEXEC) != 0) {
        *err = strdup("cannot make the guardian's pipe");
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        *err = strdup("cannot start the guardian process");
        return -1;
    }
    if (pid == 0) {
        if (fds[0] != 3) {
            dup2(fds[0], 3);
            close(fds[0]);
        }
        if (close_range(4, ~0U, 0) != 0) {
            for (fd = 4; fd < 1024; fd++)
                close(fd);
        }
        guardian_main(3);
    }
    close(fds[0]);
    guardian_pid = pid;
    guardian_fd = fds[1];
    atexit(finish);
    return 0;
}

/* Send one line to the guardian. */
static void
say(const char *fmt, const char *s, long n)
{
    char line[4200];
    int len;

    if (guardian_fd < 0)
        return;
    len = s != NULL ? snprintf(line, sizeof(line), fmt, s)
                    : snprintf(line, sizeof(line), fmt, n);
    if (len > 0 && (size_t)len < sizeof(line) &&
        write(guardian_fd, line, (size_t)len) != len)
        perror("krbfault: guardian");
}

void
kf_guardian_lab(const char *dir, bool keep)
{
    say(keep ? "kept %s\n" : "lab %s\n", dir, 0);
}

void
kf_guardian_pid(pid_t pid)
{
    say("pid %ld\n", NULL, (long)pid);
}

void
kf_guardian_gone(pid_t pid)
{
    say("gone %ld\n", NULL, (long)pid);
}

void
kf_guardian_closed(const char *dir)
{
    say("closed %s\n", dir, 0);
}
