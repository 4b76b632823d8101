# What `cmake --install` puts where, and the Debian package CPack builds from it.
#
#   <prefix>/bin/smsgw, <prefix>/bin/smsgw-sim       (install() next to each target)
#   <sysconfdir>/smsgw/smsgw.toml                     example config, store in <localstatedir>/lib/smsgw
#   <prefix>/lib/systemd/system/smsgw.service         config/smsgw.service, paths set to this prefix
#   <prefix>/lib/udev/rules.d/90-smsgw.rules
#   <prefix>/share/doc/smsgw/                         README.md, docs/, the simulator's README
#   <prefix>/share/man/man1/smsgw.1.gz                generated from the CLI (src/CMakeLists.txt)
#   <prefix>/share/bash-completion/completions/smsgw  generated from the CLI as well
#
# The prefix is the one given at install time (`cmake --install build --prefix P`), not
# only CMAKE_INSTALL_PREFIX at configure time, so the unit and the config are written by
# cmake/InstallLayout.cmake while installing. <sysconfdir> and <localstatedir> follow the
# GNU layout: /etc and /var for the prefix /usr (so the .deb has /etc/smsgw/smsgw.toml),
# <prefix>/etc and <prefix>/var otherwise.
include(GNUInstallDirs)

install(CODE "
  set(SMSGW_SOURCE_DIR \"${PROJECT_SOURCE_DIR}\")
  set(SMSGW_BINARY_DIR \"${PROJECT_BINARY_DIR}\")
  set(SMSGW_SYSCONFDIR \"${CMAKE_INSTALL_SYSCONFDIR}\")
  set(SMSGW_LOCALSTATEDIR \"${CMAKE_INSTALL_LOCALSTATEDIR}\")
  set(SMSGW_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
  set(SMSGW_DOCDIR \"${CMAKE_INSTALL_DOCDIR}\")
  include(\"${PROJECT_SOURCE_DIR}/cmake/InstallLayout.cmake\")
")

install(FILES ${PROJECT_SOURCE_DIR}/udev/90-smsgw.rules DESTINATION lib/udev/rules.d)
install(FILES ${SMSGW_MAN_PAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# bash-completion's directory for completions loaded on demand (bash-completion README).
install(FILES ${SMSGW_BASH_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME smsgw)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/config/smsgw.toml
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        FILES_MATCHING PATTERN "*.md" PATTERN "*.json" PATTERN "*.yml")
install(FILES ${PROJECT_SOURCE_DIR}/tools/sim/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}
        RENAME smsgw-sim.md)

# Debian package: `cpack -G DEB` in the build directory (README.md, "Installing").
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME smsgw)
set(CPACK_PACKAGE_VENDOR smsgw)
set(CPACK_PACKAGE_CONTACT "smsgw maintainers <smsgw@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SMS gateway for banks of GSM modems")
set(CPACK_PACKAGE_DESCRIPTION
    "HTTP API, CLI and SQLite store for sending and receiving SMS through USB/serial GSM modems (AT commands in PDU mode), with operator-aware routing, delivery reports, USSD and SIM balance checks. Includes smsgw-sim, a modem simulator for demos and tests.")
# Install with DESTDIR into the staging tree and the prefix /usr (whatever
# CMAKE_INSTALL_PREFIX is), so the unit's ExecStart is /usr/bin/smsgw and the config lands
# in /etc/smsgw.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION comm)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # dpkg-shlibdeps (dpkg-dev) computes Depends
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, udev")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "curl")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/deb/postinst ${PROJECT_SOURCE_DIR}/packaging/deb/prerm
    ${PROJECT_SOURCE_DIR}/packaging/deb/postrm
    ${PROJECT_SOURCE_DIR}/packaging/deb/conffiles)
include(CPack)
