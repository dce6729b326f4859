/* Certificates for PKINIT actors, made with OpenSSL. */
#ifndef KF_PKI_H
#define KF_PKI_H

/* Write a self-signed smart-card logon certificate for cn and its RSA
 * key, as PEM files.  Return 0, or -1 with *err set. */
int kf_pki_client_cert(const char *certpath, const char *keypath,
                       const char *cn, char **err);

#endif /* KF_PKI_H */
