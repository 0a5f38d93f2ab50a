# Real code for Turing to Hopper, plus compute_90 PTX so newer GPUs JIT it.
set(JKERAS_CUDA_ARCHITECTURES "75-real;80-real;86-real;89-real;90-real;90-virtual"
    CACHE STRING "CUDA architectures of libjkeras_cuda")
