/* DER reading shared by the wire decoders: bounds-checked TLVs. */
#ifndef KF_DER_H
#define KF_DER_H

#include <stddef.h>
#include <stdint.h>

/* A DER span still to be read. */
struct der {
    const uint8_t *p;
    size_t n;
};

#define T_INTEGER 0x02
#define T_BITSTRING 0x03
#define T_OCTETS 0x04
#define T_OID 0x06
#define T_SEQUENCE 0x30
#define T_GENSTRING 0x1b
#define CTX(n) (0xa0u | (n))

/* Read one TLV (single-byte tag, definite length of at most 4 bytes) from
 * d into *tag and *val; return 0 or -1 if d does not start with one. */
static inline int
der_tlv(struct der *d, unsigned *tag, struct der *val)
{
    size_t len, hdr = 2, k, nb;

    if (d->n < 2 || (d->p[0] & 0x1f) == 0x1f)
        return -1;
    len = d->p[1];
    if (len & 0x80) {
        nb = len & 0x7f;
        if (nb == 0 || nb > 4 || d->n < 2 + nb)
            return -1;
        if (nb == 1) /* the common long forms, without the loop */
            len = d->p[2];
        else if (nb == 2)
            len = ((size_t)d->p[2] << 8) | d->p[3];
        else
            for (len = 0, k = 0; k < nb; k++)
                len = (len << 8) | d->p[2 + k];
        hdr = 2 + nb;
    }
    if (len > d->n - hdr)
        return -1;
    *tag = d->p[0];
    val->p = d->p + hdr;
    val->n = len;
    d->p += hdr + len;
    d->n -= hdr + len;
    return 0;
}

/* Open a TLV of the wanted tag at the start of d. */
static inline int
der_expect(struct der *d, unsigned want, struct der *val)
{
    unsigned tag;

    return (der_tlv(d, &tag, val) == 0 && tag == want) ? 0 : -1;
}

/* Find the explicitly tagged field [n] in a SEQUENCE's contents and open
 * the TLV inside it, which must carry tag want. */
static inline int
der_field(struct der seq, unsigned n, unsigned want, struct der *out)
{
    struct der val;
    unsigned tag;

    while (seq.n > 0) {
        if (der_tlv(&seq, &tag, &val) != 0)
            return -1;
        if (tag == CTX(n))
            return der_expect(&val, want, out);
    }
    return -1;
}

/* The context-tagged fields [0] to [DER_MAX_FIELDS - 1] of a SEQUENCE,
 * located in one pass (a message's fields are looked up many times). */
#define DER_MAX_FIELDS 16

struct der_fields {
    struct der f[DER_MAX_FIELDS];
    unsigned have; /* bit n: field [n] was found */
};

/* Index a SEQUENCE's contents: the first TLV tagged [n] is field n, as
 * der_field finds it; a malformed TLV ends the SEQUENCE there. */
static inline void
der_index(struct der seq, struct der_fields *out)
{
    struct der val;
    unsigned tag, n;

    out->have = 0;
    while (seq.n > 0 && der_tlv(&seq, &tag, &val) == 0) {
        n = tag & 0x1f;
        if ((tag & 0xe0) == 0xa0 && n < DER_MAX_FIELDS &&
            !(out->have & (1u << n))) {
            out->f[n] = val;
            out->have |= 1u << n;
        }
    }
}

/* Open the TLV inside indexed field [n], which must carry tag want (what
 * der_field does, without scanning). */
static inline int
der_get(const struct der_fields *fs, unsigned n, unsigned want,
        struct der *out)
{
    struct der val;

    if (n >= DER_MAX_FIELDS || !(fs->have & (1u << n)))
        return -1;
    val = fs->f[n];
    return der_expect(&val, want, out);
}

#endif /* KF_DER_H */
