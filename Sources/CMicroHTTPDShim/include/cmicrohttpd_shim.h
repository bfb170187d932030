#ifndef CMICROHTTPD_SHIM_H
#define CMICROHTTPD_SHIM_H
// MHD_start_daemon and MHD_get_daemon_info are variadic, which Swift cannot call.
// Each function here forwards fixed, typed arguments; all logic stays in Swift.
#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <microhttpd.h>

// MHD_OPTION_URI_LOG_CALLBACK's callback: sees the request line's URI before MHD unescapes it;
// what it returns becomes the request's context pointer.
typedef void *(*cmhd_uri_log_cb)(void *cls, const char *uri, struct MHD_Connection *connection);

// Starts a daemon bound to `address` (MHD_OPTION_SOCK_ADDR) with one callback context `cls`
// for the handler, the URI logger and the completion notice. NULL when MHD refuses.
struct MHD_Daemon *cmhd_start_daemon(unsigned int flags, const struct sockaddr *address,
                                     unsigned int thread_pool_size, size_t connection_memory_limit,
                                     unsigned int connection_timeout_seconds, unsigned int connection_limit,
                                     MHD_AccessHandlerCallback handler, cmhd_uri_log_cb uri_log,
                                     MHD_RequestCompletedCallback completed, void *cls);

// MHD_DAEMON_INFO_BIND_PORT: the port the daemon listens on (the kernel's choice for port 0); 0 if unknown.
uint16_t cmhd_bound_port(struct MHD_Daemon *daemon);

#endif
