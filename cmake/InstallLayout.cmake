# Runs while installing (included by the install code of cmake/Install.cmake), when the
# prefix is known: CMAKE_INSTALL_PREFIX here is the one given to `cmake --install --prefix`
# (or /usr when CPack builds the .deb). Writes for that prefix:
#   <sysconfdir>/smsgw/smsgw.toml             config/smsgw.toml with the store in /var/lib/smsgw
#   <prefix>/lib/systemd/system/smsgw.service config/smsgw.service with ExecStart and
#                                             Documentation pointing into this prefix
# Inputs: SMSGW_SOURCE_DIR, SMSGW_BINARY_DIR and the GNUInstallDirs relative directories
# SMSGW_SYSCONFDIR, SMSGW_BINDIR, SMSGW_DOCDIR.

# The absolute form of a GNUInstallDirs directory for this prefix (the rules of
# GNUInstallDirs' CMAKE_INSTALL_FULL_<dir>: etc and var leave /usr for / and /usr, and go
# to /etc/opt/... for prefixes under /opt).
function(smsgw_full_dir out dir)
  set(prefix "${CMAKE_INSTALL_PREFIX}")
  string(REGEX REPLACE "/+$" "" prefix "${prefix}")
  if(IS_ABSOLUTE "${dir}")
    set(full "${dir}")
  elseif(dir STREQUAL "etc" OR dir STREQUAL "var")
    if(prefix STREQUAL "" OR prefix STREQUAL "/usr")
      set(full "/${dir}")
    elseif(prefix MATCHES "^/opt/")
      set(full "/${dir}${prefix}")
    else()
      set(full "${prefix}/${dir}")
    endif()
  else()
    set(full "${prefix}/${dir}")
  endif()
  set(${out} "${full}" PARENT_SCOPE)
endfunction()

# Replaces one whole line of `text`; a line that is not there is an error, so a change of
# the source file cannot silently leave a path pointing elsewhere.
function(smsgw_replace_line var file old new)
  string(FIND "${${var}}" "\n${old}\n" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "smsgw install: ${file} has no line '${old}'")
  endif()
  string(REPLACE "\n${old}\n" "\n${new}\n" replaced "${${var}}")
  set(${var} "${replaced}" PARENT_SCOPE)
endfunction()

smsgw_full_dir(smsgw_bindir "${SMSGW_BINDIR}")
smsgw_full_dir(smsgw_sysconfdir "${SMSGW_SYSCONFDIR}")
smsgw_full_dir(smsgw_docdir "${SMSGW_DOCDIR}")
smsgw_full_dir(smsgw_libdir "lib")
string(MD5 smsgw_prefix_key "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
set(smsgw_work "${SMSGW_BINARY_DIR}/install-layout/${smsgw_prefix_key}")
file(MAKE_DIRECTORY "${smsgw_work}")

set(smsgw_unit_source "${SMSGW_SOURCE_DIR}/config/smsgw.service")
file(READ "${smsgw_unit_source}" smsgw_unit)
smsgw_replace_line(smsgw_unit "${smsgw_unit_source}"
  "ExecStart=/usr/bin/smsgw serve --config /etc/smsgw/smsgw.toml"
  "ExecStart=${smsgw_bindir}/smsgw serve --config ${smsgw_sysconfdir}/smsgw/smsgw.toml")
smsgw_replace_line(smsgw_unit "${smsgw_unit_source}"
  "Documentation=file:///usr/share/doc/smsgw/README.md"
  "Documentation=file://${smsgw_docdir}/README.md")
file(WRITE "${smsgw_work}/smsgw.service" "${smsgw_unit}")

# The unit runs with ProtectSystem=strict: only its StateDirectory (/var/lib/smsgw) is
# writable, so the installed config keeps the store there.
set(smsgw_config_source "${SMSGW_SOURCE_DIR}/config/smsgw.toml")
file(READ "${smsgw_config_source}" smsgw_config)
smsgw_replace_line(smsgw_config "${smsgw_config_source}"
  "path = \"smsgw.db\""
  "path = \"/var/lib/smsgw/smsgw.db\"")
file(WRITE "${smsgw_work}/smsgw.toml" "${smsgw_config}")

file(INSTALL DESTINATION "${smsgw_libdir}/systemd/system" TYPE FILE
     FILES "${smsgw_work}/smsgw.service")
file(INSTALL DESTINATION "${smsgw_sysconfdir}/smsgw" TYPE FILE
     FILES "${smsgw_work}/smsgw.toml")
file(REMOVE_RECURSE "${smsgw_work}")
