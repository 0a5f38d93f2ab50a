#include "cpu/guard.h"

namespace {
thread_local std::string last_error;
}

namespace jk {
void set_error(const std::string& message) { last_error = message; }
void clear_error() { last_error.clear(); }
}  // namespace jk

extern "C" const char* jk_last_error(void) { return last_error.c_str(); }
