# Cross-compiling for 64-bit Windows with Debian's mingw-w64.
#   cmake -S . -B build-mingw -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-w64.cmake
# ctest then runs the Windows binaries under Wine (see CMakeLists.txt).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(WINIPC_MINGW_TRIPLET x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${WINIPC_MINGW_TRIPLET}-gcc)
set(CMAKE_RC_COMPILER ${WINIPC_MINGW_TRIPLET}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${WINIPC_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
