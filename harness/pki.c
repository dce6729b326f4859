/* Certificates for PKINIT actors, made with OpenSSL. */
#define _GNU_SOURCE
#include "pki.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Add one extension given in OpenSSL's configuration syntax. */
static int
add_ext(X509 *cert, int nid, const char *value)
{
    X509V3_CTX v3;
    X509_EXTENSION *ext;
    int ok;

    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
    ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
    if (ext == NULL)
        return 0;
    ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

/* Write a PEM object with writer to path; return 0 on success. */
static int
write_pem(const char *path, int (*writer)(FILE *, void *), void *obj)
{
    FILE *f = fopen(path, "w");
    int ok;

    if (f == NULL)
        return -1;
    ok = writer(f, obj);
    if (fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int
write_cert(FILE *f, void *obj)
{
    return PEM_write_X509(f, obj);
}

static int
write_key(FILE *f, void *obj)
{
    return PEM_write_PrivateKey(f, obj, NULL, NULL, 0, NULL, NULL);
}

int
kf_pki_client_cert(const char *certpath, const char *keypath, const char *cn,
                   char **err)
{
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    X509_NAME *name;
    int rc = -1;

    key = EVP_RSA_gen(2048);
    cert = X509_new();
    if (key == NULL || cert == NULL)
        goto cleanup;
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 7L * 86400);
    X509_set_pubkey(cert, key);
    name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(cert, name);
    /* A smart-card logon certificate: client authentication and the
     * PKINIT client key purpose (RFC 4556, id-pkinit-KPClientAuth). */
    if (!add_ext(cert, NID_key_usage, "critical,digitalSignature") ||
        !add_ext(cert, NID_ext_key_usage, "clientAuth,1.3.6.1.5.2.3.4"))
        goto cleanup;
    if (!X509_sign(cert, key, EVP_sha256()))
        goto cleanup;
    if (write_pem(certpath, write_cert, cert) != 0 ||
        write_pem(keypath, write_key, key) != 0)
        goto cleanup;
    rc = 0;

cleanup:
    if (rc != 0)
        *err = kf_strf("cannot make a certificate for %s with OpenSSL", cn);
    X509_free(cert);
    EVP_PKEY_free(key);
    return rc;
}
