/* Small helpers shared across files: messages, time, framed sockets. */
#ifndef KF_UTIL_H
#define KF_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Format into a newly allocated string (NULL if out of memory). */
char *kf_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Milliseconds on the monotonic clock. */
double kf_now_ms(void);

/* Read exactly len bytes from fd, waiting at most timeout_ms for each
 * chunk; return 0 on success, -1 on timeout, error or end of file. */
int kf_read_full(int fd, void *buf, size_t len, int timeout_ms);

/* Read from fd into buf (NUL-terminated) until the text stop arrives, or
 * with stop NULL until end of file, waiting at most timeout_ms for each
 * chunk.  Return the bytes read, or -1 on error, timeout, a full buffer
 * before stop, or end of file before stop. */
ssize_t kf_read_until(int fd, char *buf, size_t size, const char *stop,
                      int timeout_ms);

/* Save the values of n environment variables (NULL if unset) into
 * saved, and restore them (setting or unsetting each, freeing saved). */
void kf_env_save(const char *const *names, char **saved, size_t n);
void kf_env_restore(const char *const *names, char **saved, size_t n);

/* Write all len bytes of data to fd; return 0 on success. */
int kf_write_all(int fd, const void *data, size_t len);

/* Write one message with the Kerberos-over-TCP framing (RFC 4120 7.2.2):
 * a four-byte big-endian length, then the bytes.  Return 0 on success. */
int kf_write_framed(int fd, const void *data, uint32_t len);

/* Read one framed message of at most max bytes into a new buffer. */
int kf_read_framed(int fd, char **data_out, uint32_t *len_out, uint32_t max,
                   int timeout_ms);

#endif /* KF_UTIL_H */
