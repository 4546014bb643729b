# The portable backend (-DWINIPC_BACKEND=portable): its sources, its compile settings,
# and the build check that it uses nothing macOS or FreeBSD lacks. Included by the top
# CMakeLists.txt, which adds WINIPC_PORTABLE_SOURCES to the shared posix/ files.

set(WINIPC_PORTABLE_SOURCES
    portable/event.c
    portable/identity.c
    portable/mutex.c
    portable/object.c
    portable/platform.c
    portable/semaphore.c
    portable/semwait.c
    portable/thread.c
    portable/timer.c
    portable/unsupported.c
    portable/wait.c)

# Where the backend keeps its files: a tmpfs where there is one (Linux), else /tmp.
if(IS_DIRECTORY /dev/shm)
  set(winipc_portable_dir /dev/shm)
else()
  set(winipc_portable_dir /tmp)
endif()
set(WINIPC_PORTABLE_DIR ${winipc_portable_dir} CACHE PATH
    "Directory of the portable backend's objects (sticky and world-writable, as /tmp is)")

# No _GNU_SOURCE: POSIX 2008 with the system's usual extensions (flock, MAP_ANONYMOUS),
# so that a GNU-only function is an undeclared one. Everything is compiled with
# portable/poison.h forced in first, which poisons Linux-only interfaces.
set(WINIPC_LIBRARY_DEFINITIONS _XOPEN_SOURCE=700 "WINIPC_PORTABLE_DIR=\"${WINIPC_PORTABLE_DIR}\"")
if(APPLE)
  list(APPEND WINIPC_LIBRARY_DEFINITIONS _DARWIN_C_SOURCE)
elseif(CMAKE_SYSTEM_NAME MATCHES "BSD")
  list(APPEND WINIPC_LIBRARY_DEFINITIONS __BSD_VISIBLE=1)
else()
  list(APPEND WINIPC_LIBRARY_DEFINITIONS _DEFAULT_SOURCE) # glibc's BSD and SVID names
endif()
set(WINIPC_LIBRARY_OPTIONS -include ${PROJECT_SOURCE_DIR}/portable/poison.h)

# How a wake semaphore is waited for with a time limit (portable/semwait.c):
# sem_timedwait where the system has it (not macOS), else a timer thread that posts the
# semaphore at the deadline. AUTO picks; the other values force one (tests and CI run
# the timer thread on Linux too, since that is what macOS runs).
set(WINIPC_PORTABLE_SEM_WAIT AUTO CACHE STRING "AUTO, TIMEDWAIT or THREAD")
set_property(CACHE WINIPC_PORTABLE_SEM_WAIT PROPERTY STRINGS AUTO TIMEDWAIT THREAD)
include(CheckSymbolExists)
set(CMAKE_REQUIRED_DEFINITIONS -D_XOPEN_SOURCE=700)
check_symbol_exists(sem_timedwait semaphore.h WINIPC_HAVE_SEM_TIMEDWAIT)
unset(CMAKE_REQUIRED_DEFINITIONS)
if(WINIPC_PORTABLE_SEM_WAIT STREQUAL "THREAD" OR
   (WINIPC_PORTABLE_SEM_WAIT STREQUAL "AUTO" AND NOT WINIPC_HAVE_SEM_TIMEDWAIT))
  list(APPEND WINIPC_LIBRARY_DEFINITIONS WINIPC_SEM_WAIT_THREAD)
elseif(NOT WINIPC_HAVE_SEM_TIMEDWAIT)
  message(FATAL_ERROR "WINIPC_PORTABLE_SEM_WAIT=TIMEDWAIT, but this system has no sem_timedwait")
endif()

# The check: no Linux-only header and no /proc or /sys path in any source the backend
# builds (portable/check-portable.cmake); the identifiers are poisoned by poison.h.
set(winipc_check_sources ${WINIPC_SOURCES} ${WINIPC_PORTABLE_SOURCES})
list(TRANSFORM winipc_check_sources PREPEND ${PROJECT_SOURCE_DIR}/)
list(APPEND winipc_check_sources ${PROJECT_SOURCE_DIR}/posix/internal.h
     ${PROJECT_SOURCE_DIR}/posix/shared.h ${PROJECT_SOURCE_DIR}/posix/platform.h
     ${PROJECT_SOURCE_DIR}/portable/portable.h ${PROJECT_SOURCE_DIR}/portable/pshared.h)
string(REPLACE ";" "$<SEMICOLON>" winipc_check_arg "${winipc_check_sources}")
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/portable-check.stamp
  COMMAND ${CMAKE_COMMAND} "-DFILES=${winipc_check_arg}"
          -DSTAMP=${PROJECT_BINARY_DIR}/portable-check.stamp
          -P ${PROJECT_SOURCE_DIR}/portable/check-portable.cmake
  DEPENDS ${winipc_check_sources} ${PROJECT_SOURCE_DIR}/portable/check-portable.cmake
  COMMENT "Checking that the portable backend uses no Linux-only header or path" VERBATIM)
add_custom_target(winipc_portable_check DEPENDS ${PROJECT_BINARY_DIR}/portable-check.stamp)
