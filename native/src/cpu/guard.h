/* How every CPU entry point keeps its promise of the C ABI: validate, run, and turn any C++ exception into a
 * status with a thread-local message. */
#ifndef JKERAS_CPU_GUARD_H
#define JKERAS_CPU_GUARD_H
#include <new>
#include <stdexcept>
#include <string>
#include "jkeras/status.h"

namespace jk {

struct invalid_argument : std::runtime_error { using std::runtime_error::runtime_error; };
struct unsupported : std::runtime_error { using std::runtime_error::runtime_error; };

void set_error(const std::string& message);
void clear_error();

/* Runs body (returning void) under the status convention; fn names the entry point in the message. */
template <class Body>
int guarded(const char* fn, Body&& body) noexcept {
  try {
    body();
    return JK_OK;
  } catch (const invalid_argument& e) {
    set_error(std::string(fn) + ": " + e.what());
    return JK_INVALID_ARGUMENT;
  } catch (const unsupported& e) {
    set_error(std::string(fn) + ": " + e.what());
    return JK_UNSUPPORTED;
  } catch (const std::bad_alloc&) {
    set_error(std::string(fn) + ": out of memory");
    return JK_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    set_error(std::string(fn) + ": " + e.what());
    return JK_INTERNAL;
  } catch (...) {
    set_error(std::string(fn) + ": unknown error");
    return JK_INTERNAL;
  }
}

inline void require(bool ok, const char* what) {
  if (!ok) throw invalid_argument(what);
}

/* Below this many elements a kernel runs on one thread: waking the pool costs more than it saves. */
constexpr int64_t kParallelGrain = 1 << 15;

}  // namespace jk
#endif
