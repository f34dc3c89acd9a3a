# airbyte_module(NAME SOURCES ... DEPS ...): static library airbyte_<NAME>, alias airbyte::<NAME>.
# Every module sees the public headers (include/) and the module tree (src/).
function(airbyte_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(airbyte_${name} STATIC ${ARG_SOURCES})
  add_library(airbyte::${name} ALIAS airbyte_${name})
  target_include_directories(airbyte_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(airbyte_${name} PUBLIC ${ARG_DEPS})
  set_target_properties(airbyte_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# airbyte_test(NAME SOURCES ... DEPS ... LABELS ...): GoogleTest binary <NAME>_test registered
# with CTest (one CTest entry per test case, so failures name the test).
function(airbyte_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name}_test ${ARG_SOURCES})
  target_link_libraries(${name}_test PRIVATE ${ARG_DEPS} airbyte_testutil GTest::gmock_main)
  include(GoogleTest)
  gtest_discover_tests(${name}_test
    PROPERTIES LABELS "${ARG_LABELS}"
    DISCOVERY_TIMEOUT 60)
endfunction()
