// The one place that includes Boost.Asio (docs/architecture.md, pitfalls 1-4).
//
// GCC 12 in C++20 mode needs <utility> before <boost/asio.hpp>; clang 14 with
// libstdc++ needs BOOST_ASIO_HAS_CO_AWAIT (set by the smsgw_asio CMake target, and
// repeated here so that tools reading this header alone agree).
#pragma once

#include <utility>  // must precede Asio (GCC 12, C++20)

#ifndef BOOST_ASIO_HAS_CO_AWAIT
#define BOOST_ASIO_HAS_CO_AWAIT 1
#endif
#ifndef BOOST_ASIO_HAS_STD_COROUTINE
#define BOOST_ASIO_HAS_STD_COROUTINE 1
#endif

#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace smsgw {
namespace asio = boost::asio;
using boost::system::error_code;
template <class T = void>
using awaitable = asio::awaitable<T>;
inline constexpr auto use_awaitable = asio::use_awaitable;
}  // namespace smsgw
