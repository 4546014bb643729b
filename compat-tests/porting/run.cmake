# Runs the porting programs, ANSI and UNICODE variants, with keys.txt as stdin (the
# server waits for a key with _getch), prints their output, and fails unless every
# program exits 0 and both variants print the same. Writes what they printed to
# OUTPUT, for tools/test.sh to compare the Linux and Windows builds.
# PROCESSES=OFF leaves out the program that starts a child (the portable backend).
#   cmake -DEMULATOR=... -DRUN_PAIR=... -DDIR=... -DSUFFIX=... -DKEYS=... -DOUTPUT=...
#         -DPROCESSES=ON -P run.cmake

# Runs a program (or run-pair and two programs); appends its stdout to `var`.
function(run var)
  execute_process(COMMAND ${EMULATOR} ${ARGN} WORKING_DIRECTORY ${DIR} INPUT_FILE ${KEYS}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  message("${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGN} failed (${rc})")
  endif()
  set(${var} "${${var}}${out}" PARENT_SCOPE)
endfunction()

foreach(variant "" "_w")
  set(text "")
  run(text ${RUN_PAIR} 60 porting_shm_server${variant}${SUFFIX} --
      porting_shm_client${variant}${SUFFIX})
  run(text ${DIR}/porting_tool${variant}${SUFFIX})
  run(text ${DIR}/porting_cxx_tool${variant}${SUFFIX})
  if(variant STREQUAL "")
    run(text ${DIR}/porting_cxx_nominmax${SUFFIX})
    run(text ${DIR}/porting_cxx_headers${SUFFIX})
  endif()
  if(PROCESSES)
    run(text ${DIR}/porting_redirect${variant}${SUFFIX})
  endif()
  string(REPLACE "\r" "" text "${text}")
  string(REPLACE "_w (exit" " (exit" text "${text}")
  # MessageBox's stand-in line (Linux) appears in run-pair's merged output only.
  string(REGEX REPLACE "Process2: [^\n]*\n" "" text "${text}")
  set(output${variant} "${text}")
endforeach()

string(REGEX REPLACE "C\\+\\+ (NOMINMAX|headers)[^\n]*\n" "" ansi_part "${output}")
if(NOT ansi_part STREQUAL output_w)
  message(FATAL_ERROR "ANSI and UNICODE print differently:\n${ansi_part}\n---\n${output_w}")
endif()
file(WRITE ${OUTPUT} "${output}")
message("ANSI and UNICODE print the same (${OUTPUT})")
