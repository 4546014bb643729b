# Runs a sample's ANSI and UNICODE pairs through run-pair and fails unless they print
# the same thing (program names' "_w" suffix and line ends aside). Writes the output
# to OUTPUT so that tools/test.sh can compare the Linux and Windows builds too.
#   cmake -DRUN_PAIR=... -DEMULATOR=... -DDIR=... -DA=... -DA_ARG=... [-DB=... -DB_ARG=...]
#         -DSUFFIX=... -DOUTPUT=... -P compare.cmake
function(run_variant variant out)
  set(second "")
  if(B) # else A starts its peer itself
    set(second -- ${B}${variant}${SUFFIX} ${B_ARG})
  endif()
  execute_process(
    COMMAND ${EMULATOR} ${RUN_PAIR} 60 ${A}${variant}${SUFFIX} ${A_ARG} ${second}
    WORKING_DIRECTORY ${DIR} OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the${variant} pair failed (${rc}):\n${text}")
  endif()
  string(REPLACE "\r" "" text "${text}")
  string(REPLACE "_w (exit" " (exit" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

run_variant("" ansi)
run_variant("_w" wide)
if(NOT ansi STREQUAL wide)
  message(FATAL_ERROR "ANSI and UNICODE builds print differently:\n${ansi}\n---\n${wide}")
endif()
file(WRITE ${OUTPUT} "${ansi}")
message("ANSI and UNICODE print the same (${OUTPUT})")
