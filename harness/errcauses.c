/* Why a Kerberos error code appears: causes from the source documents. */
#include "errcodes.h"

#include <stddef.h>

/* One code and what usually makes a KDC or a service send it, in the
 * project's words, after the tables of documents 001 (event 4771) and
 * 002 (event 4769) and RFC 4120. */
static const struct {
    int code;
    const char *causes;
} causes[] = {
    {0x1, "The client account's own expiry date has passed. MIT sends this "
          "for an expired account; a domain controller sends 0x12 instead."},
    {0x2, "The service account's expiry date has passed."},
    {0x6, "The user name does not exist in the realm: a typo, a deleted "
          "account, or a name the client made up (a wrong realm or UPN "
          "suffix)."},
    {0x7, "Nobody holds the requested SPN: the service account never had "
          "it registered, it was registered on another name, or the client "
          "built the name from a DNS alias or a wrong host name."},
    {0x8, "Two accounts hold the same SPN (setspn -X finds them); the KDC "
          "cannot tell which key to use."},
    {0x9, "The account has no usable key; resetting its password gives it "
          "one."},
    {0xa, "A postdated ticket was asked for and the account or the realm "
          "does not allow postdating."},
    {0xb, "The requested start time lies after the end time, usually "
          "because the client's clock is far from the KDC's."},
    {0xc, "A restriction on the account refuses the logon: logon hours, "
          "workstation restrictions, a smart card or stronger method "
          "required by the target."},
    {0xd, "The KDC will not grant an option the request carries: renewing "
          "a ticket that is not renewable, delegation (S4U2Proxy) to a "
          "service the account may not delegate to."},
    {0xe, "Client and KDC (or KDC and service) share no encryption type: an "
          "RC4-only client and an AES-only account, DES still in use, or a "
          "service account whose only keys the KDC may no longer use."},
    {0xf, "A checksum type the KDC does not support, or a packet for which "
          "the receiver has no key of the right encryption type."},
    {0x10, "A smart-card logon cannot proceed: the domain controller has no "
           "KDC certificate (Domain Controller or Domain Controller "
           "Authentication template), or the right CA cannot be reached or "
           "is the wrong one."},
    {0x12, "The account is disabled, locked out after too many bad "
           "passwords, or (in AD) expired."},
    {0x17, "The user's password has expired and must be changed."},
    {0x18, "A wrong password (a wrong key for the pre-authentication). "
           "Bursts against one account point to password guessing; a "
           "password changed on one DC and not yet replicated also gives "
           "it."},
    {0x19, "Not a failure: the KDC asks for pre-authentication, which is "
           "the first answer of every normal password logon."},
    {0x1b, "The target only accepts user-to-user tickets (in AD, typically "
           "a service without an SPN of its own)."},
    {0x1f, "An integrity check failed after decryption: the ticket or "
           "authenticator was encrypted in another key of the same key "
           "version, or the message was damaged on the way."},
    {0x20, "The ticket's lifetime is over. Usually harmless: clients renew "
           "or fetch a new ticket on their own; short ticket lifetimes make "
           "it frequent."},
    {0x21, "The ticket's start time is still in the future for the server: "
           "the KDC's and the server's clocks disagree."},
    {0x22, "The same authenticator arrived twice: a replay, or a client "
           "resending a request it already sent."},
    {0x23, "The server received a ticket meant for another principal or "
           "realm (MIT: the keytab has no entry for the ticket's server)."},
    {0x24, "The ticket and the authenticator name different clients, e.g. "
           "a TGS request sent to the wrong KDC."},
    {0x25, "The clocks of client and server (or KDC) are further apart than "
           "the allowed tolerance (5 minutes by default)."},
    {0x26, "The address the request came from is not among the ticket's "
           "addresses: an address change, a proxy or NAT between client "
           "and server."},
    {0x28, "The receiver found a message of the wrong type or format."},
    {0x29, "The server could not decrypt the ticket: it is encrypted in a "
           "key the server does not hold. The SPN belongs to another "
           "account, the account's password changed on one DC only, DNS "
           "sent the client to another host, or the machine account's "
           "password differs between host and DC (System event 4)."},
    {0x2c, "The ticket names a key version the server does not hold: the "
           "service's key changed and the KDC that issued the ticket still "
           "has the old one, or the server lost its old key."},
    {0x2d, "The server has no key at all for the ticket's server name and "
           "realm."},
    {0x32, "A checksum that is not collision-proof where one is required."},
    {0x34, "The reply does not fit the UDP limit (1465 bytes on AD); the "
           "client retries over TCP. Informational unless TCP 88 is "
           "blocked."},
    {0x3c, "A generic error; the e-text says more (AD: group memberships "
           "overflowing the PAC; MIT: e.g. no usable server key)."},
    {0x3d, "A field, or a TCP length prefix with its high bit set, is "
           "longer than the implementation handles."},
    {0x3e, "The client's smart-card certificate is revoked, or its CA is "
           "not trusted by the KDC."},
    {0x3f, "The client cannot verify the KDC's certificate."},
    {0x40, "The signature on the client's PKINIT request is invalid."},
    {0x41, "The client's Diffie-Hellman parameters are weaker than the "
           "KDC's policy allows."},
    {0x42, "The certificate the client presented does not match the "
           "account it claims (document 002 lists user-to-user here; RFC "
           "4120 numbers that 0x45)."},
    {0x43, "User-to-user authentication, and the service has no TGT to "
           "offer."},
    {0x44, "The client asked the wrong realm: its account's canonical "
           "realm is elsewhere, or a cross-realm TGT went to a realm it was "
           "not issued for; often a DNS or UPN-suffix mistake."},
    {0x45, "A user-to-user ticket was required and a conventional one was "
           "sent."},
    {0, NULL},
};

const char *
kf_proto_causes(int code)
{
    size_t i;

    for (i = 0; causes[i].causes != NULL; i++) {
        if (causes[i].code == code)
            return causes[i].causes;
    }
    return NULL;
}
