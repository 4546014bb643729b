# cmake -DFILES=a.c;b.c -DSTAMP=file -P check-portable.cmake
# Fails the build when a source of the portable backend includes a Linux-only header or
# names a /proc or /sys path; portable/poison.h catches the Linux-only identifiers.
set(banned_headers
    "linux/" "asm/" "asm-generic/" "bits/" "gnu/" "features\\.h" "sys/syscall\\.h"
    "sys/epoll\\.h" "sys/eventfd\\.h" "sys/signalfd\\.h" "sys/timerfd\\.h" "sys/inotify\\.h"
    "sys/prctl\\.h" "sys/sysmacros\\.h" "sys/sendfile\\.h" "sys/vfs\\.h" "sys/statfs\\.h"
    "sys/fsuid\\.h" "sys/personality\\.h" "sys/auxv\\.h" "sys/random\\.h" "mcheck\\.h"
    "execinfo\\.h" "error\\.h" "argp\\.h" "mntent\\.h" "pty\\.h")
set(failed "")
foreach(file IN LISTS FILES)
  file(STRINGS ${file} lines)
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR n "${n} + 1")
    foreach(h IN LISTS banned_headers)
      if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*<${h}")
        string(APPEND failed "${file}:${n}: Linux-only header: ${line}\n")
      endif()
    endforeach()
    if(line MATCHES "\"/(proc|sys)/")
      string(APPEND failed "${file}:${n}: Linux-only path: ${line}\n")
    endif()
  endforeach()
endforeach()
if(failed)
  message(FATAL_ERROR "The portable backend must build on macOS and FreeBSD:\n${failed}")
endif()
file(WRITE ${STAMP} "ok\n")
