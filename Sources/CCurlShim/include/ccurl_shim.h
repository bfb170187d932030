#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call.
// Each function here forwards one argument kind; all logic stays in Swift.
#include <curl/curl.h>

typedef size_t (*ccurl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*ccurl_debug_cb)(CURL *h, curl_infotype type, char *data, size_t size, void *userdata);

CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v);
CURLcode ccurl_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode ccurl_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode ccurl_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode ccurl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
CURLcode ccurl_setopt_data_cb(CURL *h, CURLoption o, ccurl_data_cb cb);
CURLcode ccurl_setopt_debug_cb(CURL *h, ccurl_debug_cb cb);

CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *out);
CURLcode ccurl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *out);
CURLcode ccurl_getinfo_double(CURL *h, CURLINFO i, double *out);
CURLcode ccurl_getinfo_string(CURL *h, CURLINFO i, const char **out);
// CURLINFO_ACTIVESOCKET: the socket of a CONNECT_ONLY connection, to wait on with poll().
CURLcode ccurl_getinfo_socket(CURL *h, CURLINFO i, curl_socket_t *out);

#endif
