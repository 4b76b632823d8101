# Every dependency comes from a Debian 12 package (tools/setup.sh installs them).
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(SQLite3 REQUIRED)
# libpq (Debian libpq-dev): the store on PostgreSQL (docs/store.md, issue 14).
find_package(PostgreSQL REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(nlohmann_json 3.10 CONFIG REQUIRED)
find_package(tomlplusplus CONFIG REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBSERIALPORT REQUIRED IMPORTED_TARGET libserialport)

# Boost 1.74 Asio under C++20 (docs/architecture.md, "pitfalls"): coroutines must be
# switched on explicitly for clang 14 with libstdc++, and the header order problem with
# GCC 12 is handled by include/smsgw/common/net.hpp, the only file that includes Asio.
add_library(smsgw_asio INTERFACE)
target_link_libraries(smsgw_asio INTERFACE Boost::headers Threads::Threads)
target_compile_definitions(smsgw_asio INTERFACE
  BOOST_ASIO_HAS_CO_AWAIT=1
  BOOST_ASIO_HAS_STD_COROUTINE=1
  BOOST_ASIO_NO_DEPRECATED=1
  BOOST_BEAST_USE_STD_STRING_VIEW=1)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(smsgw_asio INTERFACE -fcoroutines-ts)
endif()
