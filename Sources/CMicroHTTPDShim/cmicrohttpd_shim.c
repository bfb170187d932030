#include "cmicrohttpd_shim.h"

struct MHD_Daemon *cmhd_start_daemon(unsigned int flags, const struct sockaddr *address,
                                     unsigned int thread_pool_size, size_t connection_memory_limit,
                                     unsigned int connection_timeout_seconds, unsigned int connection_limit,
                                     MHD_AccessHandlerCallback handler, cmhd_uri_log_cb uri_log,
                                     MHD_RequestCompletedCallback completed, void *cls) {
    return MHD_start_daemon(flags, 0, NULL, NULL, handler, cls,
                            MHD_OPTION_SOCK_ADDR, address,
                            MHD_OPTION_THREAD_POOL_SIZE, thread_pool_size,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, connection_memory_limit,
                            MHD_OPTION_CONNECTION_TIMEOUT, connection_timeout_seconds,
                            MHD_OPTION_CONNECTION_LIMIT, connection_limit,
                            MHD_OPTION_URI_LOG_CALLBACK, uri_log, cls,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, cls,
                            MHD_OPTION_END);
}

uint16_t cmhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}
