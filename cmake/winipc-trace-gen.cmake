# winipc-trace-gen.cmake - generates the tracing layer of the Linux backend from the
# public declarations, at build time:
#
#   cmake -DOUT_DIR=<dir> -DHEADERS=<header;header...> -P winipc-trace-gen.cmake
#
# Every function declared `WINIPC_API <type> <name>(<parameters>);` in HEADERS gets
#   - in winipc_rename.h (included first by posix/internal.h): `#define X winipc__impl_X`,
#     so that inside the library the implementation of X is the hidden winipc__impl_X
#     and the library's own calls go straight to it;
#   - in winipc_trace_gen.c: the exported X, an IFUNC whose resolver picks, once, when
#     the library is loaded, either winipc__impl_X itself (tracing off: a call costs
#     exactly what it cost before) or a static wrapper that formats the arguments,
#     calls winipc__impl_X and logs the result and GetLastError() (posix/trace.c).
# Win32 functions (WINAPI) are traced; the others (the CRT printf family, variadic or
# taking callbacks) are exported the same way but always resolve to the implementation.
# A function another branch adds to a header is picked up at the next build.
#
# Arguments are formatted by type, and for DWORD by parameter name (flags and access
# masks in hex, counts, sizes and times in decimal); results by type, and for the few
# functions whose failure value is not the usual one by name (see result_kind below).

cmake_minimum_required(VERSION 3.25)

if(NOT OUT_DIR OR NOT HEADERS)
  message(FATAL_ERROR "usage: cmake -DOUT_DIR=dir -DHEADERS=h1;h2 -P winipc-trace-gen.cmake")
endif()

# ---- Reading the declarations -------------------------------------------------------------

set(decls "")
foreach(header IN LISTS HEADERS)
  file(READ "${header}" text)
  # `;` separates CMake list items: carry it as `@` (no C header of ours uses `@`).
  string(REPLACE ";" "@" text "${text}")
  string(REGEX REPLACE "/\\*([^*]|\\*+[^*/])*\\*+/" " " text "${text}") # comments
  string(REGEX REPLACE "//[^\n]*" " " text "${text}")
  string(REPLACE "\\\n" " " text "${text}") # continued preprocessor lines
  string(REPLACE "\n" ";" lines "${text}")
  set(code "")
  foreach(line IN LISTS lines)
    if(NOT line MATCHES "^[ \t]*#")
      string(APPEND code " ${line}")
    endif()
  endforeach()
  string(REGEX REPLACE "[ \t]+" " " code "${code}")
  string(REGEX MATCHALL "WINIPC_API [^@{}]*@" found "${code}")
  list(APPEND decls ${found})
endforeach()

# ---- Classifying types -----------------------------------------------------------------------

# The formatter of a parameter of type `type` named `name` (posix/trace.h).
function(arg_kind type name out)
  set(kind AUTO)
  string(TOLOWER "${name}" lname)
  if(type MATCHES "\\*" OR type MATCHES "^(const )?(LP|P)[A-Z_]+$")
    set(kind PTR)
    if(type MATCHES "^(const )?(LPCSTR|PCSTR|const char \\*|const CHAR \\*)$")
      set(kind STR)
    elseif(type MATCHES "^(const )?(LPCWSTR|PCWSTR|const wchar_t \\*|const WCHAR \\*)$")
      set(kind WSTR)
    endif()
    # Text given with a length is not NUL-terminated: a pointer, not a string.
    if(name MATCHES "^(lpMultiByteStr|lpWideCharStr|lpDefaultChar|lpBuffer)$")
      set(kind PTR)
    endif()
  elseif(type MATCHES "^(HANDLE|HMODULE|HINSTANCE)$")
    set(kind HANDLE)
  elseif(type STREQUAL "BOOL")
    set(kind BOOL)
  elseif(type MATCHES "^(LARGE_INTEGER|ULARGE_INTEGER)$")
    set(kind I64)
  elseif(type MATCHES "^(LONG|INT|int|LONG_PTR|INT_PTR|SSIZE_T|LONGLONG|LONG64)$")
    set(kind DEC)
  elseif(type MATCHES "^(SIZE_T|ULONG_PTR|DWORD_PTR|size_t|ULONGLONG|DWORD64)$")
    set(kind UDEC)
  elseif(type MATCHES "^(DWORD|UINT|ULONG|WORD|ACCESS_MASK)$")
    if(lname MATCHES "errcode")
      set(kind ERROR)
    elseif(lname MATCHES "milliseconds|count|size|number|length|offset|code|^cch|^cb|revision|method|page")
      set(kind UDEC)
    else()
      set(kind HEX)
    endif()
  endif()
  set(${out} ${kind} PARENT_SCOPE)
endfunction()

# How the result of function `fn` returning `type` is shown and when it is a failure.
function(result_kind type fn out)
  set(kind AUTO)
  if(type STREQUAL "void")
    set(kind VOID)
  elseif(type MATCHES "^(HANDLE)$")
    if(fn MATCHES "^CreateFile[AW]$")
      set(kind HANDLE_INVALID) # fails with INVALID_HANDLE_VALUE
    elseif(fn MATCHES "^GetCurrent")
      set(kind HANDLE_PSEUDO) # never fails
    else()
      set(kind HANDLE_NULL)
    endif()
  elseif(type STREQUAL "BOOL")
    set(kind BOOL)
  elseif(type STREQUAL "DWORD")
    if(fn MATCHES "Wait")
      set(kind WAIT)
    elseif(fn STREQUAL "GetLastError")
      set(kind ERROR)
    elseif(fn MATCHES "^(GetFileSize|SetFilePointer)$")
      set(kind DWORD_INVALID) # 0xFFFFFFFF and an error
    else()
      set(kind UDEC)
    endif()
  elseif(type MATCHES "\\*" OR type MATCHES "^(LPVOID|PVOID)$")
    set(kind PTR_NULL)
    if(type MATCHES "char \\*$")
      set(kind STR)
    endif()
  elseif(type MATCHES "^(int|INT)$")
    set(kind INT_ZERO) # the text conversions fail with 0
  elseif(type MATCHES "^(ULONGLONG|DWORD64|UINT64)$")
    set(kind UDEC)
  endif()
  set(${out} ${kind} PARENT_SCOPE)
endfunction()

# The trace area of function `fn` (WINIPC__TRACE_AREA_* in posix/trace.h).
function(area_of fn out)
  if(fn MATCHES "LastError")
    set(area ERROR)
  elseif(fn MATCHES "^(CloseHandle|DuplicateHandle)$|HandleInformation")
    set(area HANDLE)
  elseif(fn MATCHES "FileMapping|ViewOfFile")
    set(area MAP)
  elseif(fn MATCHES "File|^SetEndOfFile$")
    set(area FILE)
  elseif(fn MATCHES "Mutex|Event|Semaphore|Wait|SignalObject|Timer")
    set(area SYNC)
  elseif(fn MATCHES "Thread")
    set(area THREAD)
  elseif(fn MATCHES "Process")
    set(area PROCESS)
  elseif(fn MATCHES "Security")
    set(area SECURITY)
  elseif(fn MATCHES "MultiByte|WideChar|FormatMessage")
    set(area TEXT)
  else()
    set(area SYS)
  endif()
  set(${out} ${area} PARENT_SCOPE)
endfunction()

# ---- Generating ------------------------------------------------------------------------------

set(rename "/* Generated by cmake/winipc-trace-gen.cmake from the public headers: do not edit. */
#ifndef WINIPC_RENAME_H
#define WINIPC_RENAME_H
/* Inside the library the exported functions are hidden; trace_gen.c exports them. */
#define WINIPC_API __attribute__((visibility(\"hidden\")))
")
set(impls "")
set(bodies "")
set(names "")
foreach(decl IN LISTS decls)
  string(REGEX REPLACE "@$" "" decl "${decl}")
  if(NOT decl MATCHES "^WINIPC_API ([^(]*[^A-Za-z0-9_(])([A-Za-z_][A-Za-z0-9_]*) ?\\((.*)\\) ?$")
    message(FATAL_ERROR "winipc-trace-gen: cannot read the declaration `${decl}`")
  endif()
  set(ret "${CMAKE_MATCH_1}")
  set(fn "${CMAKE_MATCH_2}")
  set(params "${CMAKE_MATCH_3}")
  if(fn IN_LIST names)
    continue()
  endif()
  list(APPEND names ${fn})
  set(winapi FALSE)
  if(ret MATCHES "(^|[^A-Za-z0-9_])WINAPI([^A-Za-z0-9_]|$)")
    set(winapi TRUE)
  endif()
  string(REGEX REPLACE "(^|[^A-Za-z0-9_])WINAPI([^A-Za-z0-9_]|$)" "\\1 \\2" ret "${ret}")
  string(STRIP "${ret}" ret)
  string(REGEX REPLACE " \\*" "*" ret_c "${ret}")
  string(REGEX REPLACE "\\*" " *" ret_c "${ret_c}")
  string(STRIP "${params}" params)

  string(APPEND rename "#define ${fn} winipc__impl_${fn}\n")
  string(APPEND impls "extern __typeof__(${fn}) winipc__impl_${fn} WINIPC__TRACE_HIDDEN;\n")

  set(traced ${winapi})
  if(params MATCHES "\\.\\.\\.|\\(")
    set(traced FALSE)
  endif()
  if(NOT traced)
    string(APPEND bodies "
static __typeof__(${fn}) *resolve_${fn}(void) WINIPC__RESOLVER __attribute__((used));
static __typeof__(${fn}) *resolve_${fn}(void)
{
    return winipc__impl_${fn};
}
__typeof__(${fn}) ${fn} __attribute__((ifunc(\"resolve_${fn}\")));
")
    continue()
  endif()

  # The parameters: `type name` each, split on commas (no parentheses in them).
  set(plist "")
  set(args "")
  set(fmt "")
  set(i 0)
  if(NOT params STREQUAL "void" AND NOT params STREQUAL "")
    string(REPLACE "," ";" parts "${params}")
    foreach(p IN LISTS parts)
      string(STRIP "${p}" p)
      set(ptype "${p}") # unnamed unless it ends with a name after its type
      set(pname "a${i}")
      if(p MATCHES "^(.*[^A-Za-z0-9_ ] *|.*[A-Za-z0-9_] +)([A-Za-z_][A-Za-z0-9_]*)$")
        set(ptype "${CMAKE_MATCH_1}")
        set(pname "${CMAKE_MATCH_2}")
      endif()
      string(STRIP "${ptype}" ptype)
      string(REGEX REPLACE " *\\* *" " *" ptype "${ptype}")
      arg_kind("${ptype}" "${pname}" kind)
      list(APPEND plist "${ptype} ${pname}")
      list(APPEND args "${pname}")
      string(APPEND fmt "    winipc__trace_arg(&t, WINIPC__TRACE_${kind}, &${pname}, sizeof ${pname});\n")
      math(EXPR i "${i} + 1")
    endforeach()
    string(REPLACE ";" ", " plist "${plist}")
    string(REPLACE ";" ", " args "${args}")
    string(REPLACE " *" " *" plist "${plist}")
  else()
    set(plist "void")
  endif()
  result_kind("${ret}" "${fn}" rkind)
  area_of("${fn}" area)

  string(APPEND bodies "
static ${ret_c} WINAPI trace_${fn}(${plist})
{
    struct winipc__trace_call t;
")
  if(rkind STREQUAL "VOID")
    string(APPEND bodies "
    winipc__trace_begin(&t, \"${fn}\");
${fmt}")
    if(fn MATCHES "^Exit") # does not return: log first
      string(APPEND bodies "    winipc__trace_end(&t, WINIPC__TRACE_R_VOID, NULL, 0);
    winipc__impl_${fn}(${args});
}
")
    else()
      string(APPEND bodies "    winipc__trace_started(&t);
    winipc__impl_${fn}(${args});
    winipc__trace_end(&t, WINIPC__TRACE_R_VOID, NULL, 0);
}
")
    endif()
  else()
    string(APPEND bodies "    ${ret_c} r;

    winipc__trace_begin(&t, \"${fn}\");
${fmt}    winipc__trace_started(&t);
    r = winipc__impl_${fn}(${args});
    winipc__trace_end(&t, WINIPC__TRACE_R_${rkind}, &r, sizeof r);
    return r;
}
")
  endif()
  string(APPEND bodies "
static __typeof__(${fn}) *resolve_${fn}(void) WINIPC__RESOLVER __attribute__((used));
static __typeof__(${fn}) *resolve_${fn}(void)
{
    return winipc__trace_wanted(WINIPC__TRACE_AREA_${area}) ? trace_${fn} : winipc__impl_${fn};
}
__typeof__(${fn}) ${fn} __attribute__((ifunc(\"resolve_${fn}\")));
")
endforeach()
string(APPEND rename "#endif\n")

# Error names, from the ERROR_* definitions (the first name of each value).
set(errors "")
set(seen_values "")
foreach(header IN LISTS HEADERS)
  file(STRINGS "${header}" defs REGEX "^#define ERROR_[A-Z0-9_]+ [0-9]+L?$")
  foreach(d IN LISTS defs)
    string(REGEX REPLACE "^#define (ERROR_[A-Z0-9_]+) ([0-9]+)L?$" "\\1;\\2" pair "${d}")
    list(GET pair 0 ename)
    list(GET pair 1 evalue)
    if(NOT evalue IN_LIST seen_values)
      list(APPEND seen_values ${evalue})
      string(APPEND errors "    case ${evalue}:\n        return \"${ename}\";\n")
    endif()
  endforeach()
endforeach()

# Every scanned header, for the few (conio, toolhelp) that winipc.h does not include.
set(includes "")
foreach(header IN LISTS HEADERS)
  string(APPEND includes "#include \"${header}\"\n")
endforeach()

set(source "/* Generated by cmake/winipc-trace-gen.cmake from the public headers: do not edit. */
#include \"trace.h\"
${includes}
#include <stddef.h>

${impls}
const char *winipc__error_name(DWORD code)
{
    switch (code) {
${errors}    default:
        return NULL;
    }
}
${bodies}")

string(REPLACE "@" ";" rename "${rename}")
string(REPLACE "@" ";" source "${source}")
file(WRITE "${OUT_DIR}/winipc_rename.h" "${rename}")
file(WRITE "${OUT_DIR}/winipc_trace_gen.c" "${source}")
