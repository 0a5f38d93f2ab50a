/* The whole C ABI of libjkeras. */
#ifndef JKERAS_H
#define JKERAS_H
#include "status.h"
#include "memory.h"
#include "eltwise.h"
#include "reduce.h"
#include "gemm.h"
#include "random.h"
#include "optim.h"
#include "index.h"
#include "conv.h"
#include "pool.h"
#include "resize.h"
#include "rnn.h"
#endif
