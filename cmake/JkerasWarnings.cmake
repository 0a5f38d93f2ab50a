# Warnings for our own C++ sources.
set(JKERAS_WARNINGS -Wall -Wextra -Wno-unused-parameter -Wno-unknown-pragmas)
