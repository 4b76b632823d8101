# smsgw_warnings(target): the project's warning set; errors unless SMSGW_WERROR=OFF.
function(smsgw_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports Asio's awaitable frames (custom operator new/delete pair) as
    # mismatched: a false positive on every coroutine (GCC PR 106016 family).
    target_compile_options(${target} PRIVATE -Wno-mismatched-new-delete)
    # At -O3 (Release) GCC 12 warns inside inlined libstdc++ code that cannot overflow:
    # -Wrestrict in std::string concatenation (GCC PR 105329) and -Wstringop-overflow in
    # vector::insert (GCC PR 106199). Kept as warnings so a Release build still builds.
    target_compile_options(${target} PRIVATE -Wno-error=restrict -Wno-error=stringop-overflow)
  endif()
  if(SMSGW_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# smsgw_module(NAME DEPS smsgw::other ...)
# One static library per module, built from the .cpp files in its folder; its link
# line is the module's dependency list.
function(smsgw_module name)
  cmake_parse_arguments(M "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(smsgw_${name} STATIC ${sources})
  add_library(smsgw::${name} ALIAS smsgw_${name})
  target_include_directories(smsgw_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(smsgw_${name} PUBLIC ${M_DEPS})
  smsgw_warnings(smsgw_${name})
endfunction()

# smsgw_test(NAME DEPS ... [LABELS ...] [TEST_FILTER gtest-filter])
# One GoogleTest binary from the .cpp files in the calling folder; every TEST becomes
# its own ctest entry carrying LABELS (default: unit); TEST_FILTER limits which (a
# negative filter "-*/Postgres" leaves cases out, to be run another way).
function(smsgw_test name)
  cmake_parse_arguments(T "" "TEST_FILTER" "DEPS;LABELS" ${ARGN})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_executable(${name} ${sources})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    SMSGW_SOURCE_DIR="${PROJECT_SOURCE_DIR}" SMSGW_BINARY_DIR="${PROJECT_BINARY_DIR}")
  smsgw_warnings(${name})
  if(NOT T_TEST_FILTER)
    set(T_TEST_FILTER "*")
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS "${T_LABELS}" DISCOVERY_TIMEOUT 60
    TEST_FILTER "${T_TEST_FILTER}")
endfunction()
