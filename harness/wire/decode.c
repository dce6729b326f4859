/* krbfault decode: the Kerberos messages of a pcap file, as text or JSON. */
#define _GNU_SOURCE
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

/* Text output, gathered in a buffer of its own and written in large
 * pieces. */
static char text[1 << 20];
static size_t text_used;

/* Write out what text holds. */
static void
flush_text(FILE *out)
{
    fwrite(text, 1, text_used, out);
    text_used = 0;
}

/* The kf_wire_cb of text output: one line per message. */
static void
print_line(const kf_wire_msg *m, void *arg)
{
    if (sizeof(text) - text_used < 4096)
        flush_text(arg);
    text_used += kf_wire_msg_text(m, text + text_used, 4000);
    text[text_used++] = '\n';
}

/* The kf_wire_cb of JSON output: add the message to an array. */
static void
add_json(const kf_wire_msg *m, void *arg)
{
    json_object_array_add(arg, kf_wire_msg_json(m));
}

int
kf_decode_main(int argc, char **argv)
{
    const char *file = NULL;
    json_object *doc = NULL, *arr = NULL;
    char *err = NULL;
    int json = 0, i, rc;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr,
                    "krbfault: decode takes no option '%s' (usage: "
                    "krbfault decode FILE.pcap [--json])\n",
                    argv[i]);
            return 2;
        } else if (file != NULL) {
            fprintf(stderr, "krbfault: decode reads one file (usage: "
                            "krbfault decode FILE.pcap [--json])\n");
            return 2;
        } else
            file = argv[i];
    }
    if (file == NULL) {
        fprintf(stderr, "usage: krbfault decode FILE.pcap [--json]\n");
        return 2;
    }
    if (json)
        arr = json_object_new_array();
    rc = kf_wire_scan_pcap(file, json ? add_json : print_line,
                           json ? (void *)arr : (void *)stdout, &err);
    flush_text(stdout);
    if (rc != 0) {
        fflush(stdout);
        fprintf(stderr, "krbfault: %s\n", err);
        free(err);
        json_object_put(arr);
        return 2;
    }
    if (json) {
        doc = json_object_new_object();
        json_object_object_add(doc, "file", json_object_new_string(file));
        json_object_object_add(
            doc, "count",
            json_object_new_int64((int64_t)json_object_array_length(arr)));
        json_object_object_add(doc, "messages", arr);
        fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN),
              stdout);
        fputc('\n', stdout);
        json_object_put(doc);
    }
    fflush(stdout);
    return 0;
}
