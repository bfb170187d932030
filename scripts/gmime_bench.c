/* GMime 3 peer for scripts/bench: parse each file, walk every part and decode every leaf
 * (transfer encoding, and charset to UTF-8 for text) into a counting null stream.
 *   gmime_bench ROOT MANIFEST RUNS      -> one JSON line, best of RUNS
 * Build: cc -O2 gmime_bench.c $(pkg-config --cflags --libs gmime-3.0)
 */
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { char *data; size_t len; } blob;

static gint64 sink;

static void decode_leaf(GMimeObject *parent, GMimeObject *part, gpointer user) {
    (void)parent; (void)user;
    if (GMIME_IS_MESSAGE_PART(part)) return;              /* descended by g_mime_message_foreach */
    if (!GMIME_IS_PART(part)) return;
    GMimeDataWrapper *content = g_mime_part_get_content((GMimePart *)part);
    if (!content) return;
    GMimeStream *null = g_mime_stream_null_new();
    GMimeStream *out = null;
    GMimeContentType *ct = g_mime_object_get_content_type(part);
    const char *charset = g_mime_content_type_get_parameter(ct, "charset");
    if (g_mime_content_type_is_type(ct, "text", "*") && charset) {
        GMimeStream *filtered = g_mime_stream_filter_new(null);
        GMimeFilter *f = g_mime_filter_charset_new(charset, "UTF-8");
        if (f) { g_mime_stream_filter_add((GMimeStreamFilter *)filtered, f); g_object_unref(f); }
        out = filtered;
    }
    sink += g_mime_data_wrapper_write_to_stream(content, out);
    g_mime_stream_flush(out);
    if (out != null) g_object_unref(out);
    g_object_unref(null);
}

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: gmime_bench ROOT MANIFEST RUNS\n"); return 64; }
    g_mime_init();
    FILE *m = fopen(argv[2], "r");
    if (!m) { perror(argv[2]); return 66; }
    blob *blobs = NULL; size_t n = 0, cap = 0, total = 0;
    char line[4096];
    while (fgets(line, sizeof line, m)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line) continue;
        char path[8192]; snprintf(path, sizeof path, "%s/%s", argv[1], line);
        FILE *f = fopen(path, "rb");
        if (!f) { perror(path); return 66; }
        fseek(f, 0, SEEK_END); long len = ftell(f); fseek(f, 0, SEEK_SET);
        char *d = malloc(len ? len : 1);
        if (fread(d, 1, len, f) != (size_t)len) { fclose(f); return 74; }
        fclose(f);
        if (n == cap) { cap = cap ? cap * 2 : 256; blobs = realloc(blobs, cap * sizeof *blobs); }
        blobs[n].data = d; blobs[n].len = len; n++; total += len;
    }
    fclose(m);
    int runs = atoi(argv[3]);
    double best = 1e9;
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        for (size_t i = 0; i < n; i++) {
            GMimeStream *s = g_mime_stream_mem_new_with_buffer(blobs[i].data, blobs[i].len);
            GMimeParser *p = g_mime_parser_new_with_stream(s);
            GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
            if (msg) {
                g_mime_message_foreach(msg, decode_leaf, NULL);
                g_object_unref(msg);
            }
            g_object_unref(p);
            g_object_unref(s);
        }
        double t = now() - t0;
        if (t < best) best = t;
    }
    printf("{\"messages\": %zu, \"bytes\": %zu, \"best_s\": %.4f, \"MB_per_s\": %.2f, \"msgs_per_s\": %.1f, \"checksum\": %lld, \"gmime\": \"%d.%d.%d\"}\n",
           n, total, best, total / best / 1e6, n / best, (long long)sink, gmime_major_version, gmime_minor_version, gmime_micro_version);
    return 0;
}
