# cmake -DTEST_EXE=<gfbench_tests> -DGROUP_TAGS=unit,connect,... -P check_test_groups.cmake
# Fails unless every test case of TEST_EXE has exactly one of GROUP_TAGS.
cmake_minimum_required(VERSION 3.25)

function(list_test_names out)
  execute_process(COMMAND "${TEST_EXE}" --list-test-names-only ${ARGN}
                  OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  # Catch2 v2 exits with the number of test cases listed; a crash gives text.
  if(NOT rc MATCHES "^[0-9]+$")
    message(FATAL_ERROR "${TEST_EXE} --list-test-names-only ${ARGN}: ${rc}")
  endif()
  # Keep CMake's list syntax out of the names: ';' separates, '[' ']' group.
  string(REPLACE ";" "<semicolon>" text "${text}")
  string(REPLACE "[" "<" text "${text}")
  string(REPLACE "]" ">" text "${text}")
  string(REPLACE "\n" ";" names "${text}")
  list(FILTER names EXCLUDE REGEX "^[ \t]*$")
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

string(REPLACE "," ";" tags "${GROUP_TAGS}")
list_test_names(all)
list(LENGTH all total)
if(total EQUAL 0)
  message(FATAL_ERROR "${TEST_EXE} lists no test cases")
endif()

set(grouped "")
foreach(tag IN LISTS tags)
  list_test_names(names "[${tag}]")
  list(APPEND grouped ${names})
endforeach()

set(problems "")
foreach(name IN LISTS all)
  set(count 0)
  foreach(other IN LISTS grouped)
    if(other STREQUAL name)
      math(EXPR count "${count} + 1")
    endif()
  endforeach()
  if(NOT count EQUAL 1)
    string(APPEND problems "\n  '${name}' has ${count} of the group tags")
  endif()
endforeach()

if(problems)
  message(FATAL_ERROR "each test case needs exactly one group tag (${GROUP_TAGS}):${problems}")
endif()
message(STATUS "${total} test cases, each in exactly one group of: ${GROUP_TAGS}")
