/* The status convention of the C ABI: every entry point returns JK_OK or an error code; the detail of the
 * last error of the calling thread is in jk_last_error(). No C++ exception, abort() or exit() crosses it. */
#ifndef JKERAS_STATUS_H
#define JKERAS_STATUS_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

enum jk_status {
  JK_OK = 0,
  JK_INVALID_ARGUMENT = 1,
  JK_OUT_OF_MEMORY = 2,
  JK_INTERNAL = 3,
  JK_UNSUPPORTED = 4
};

/* Message of the calling thread's last failed call ("" if none). */
const char* jk_last_error(void);

#ifdef __cplusplus
}
#endif
#endif
