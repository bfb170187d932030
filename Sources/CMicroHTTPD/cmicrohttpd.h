// microhttpd.h wants the socket types declared first; it does not include them itself on every libc.
#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <microhttpd.h>
