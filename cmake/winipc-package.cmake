# Debian packages of winipc (Linux), made from the install components:
#
#   cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build build/release && (cd build/release && cpack -G DEB)
#
#   libwinipc0      the shared library, the winipc command, winipc(1) and winipc(7)
#   libwinipc-dev   headers, the static library, winipc.pc and the CMake package;
#                   depends on libwinipc0 of the same version
#
# The version is the project's (include/winipc.h). Dependencies on the C library come
# from dpkg-shlibdeps (dpkg-dev) when it is installed, else an explicit libc6.

set(CPACK_PACKAGE_NAME winipc)
set(CPACK_PACKAGE_VENDOR winipc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEB_COMPONENT_INSTALL ON)

set(CPACK_DEBIAN_PACKAGE_MAINTAINER "winipc developers <winipc@invalid>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # <package>_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libwinipc${PROJECT_VERSION_MAJOR})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# CPack puts the project's summary first and indents these lines.
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
    "winipc lets Windows programs that use named file mappings, mutexes, events and
semaphores build and run unchanged on Linux, with Windows return values, errors
and object lifetime. This package has the shared library, the winipc command
that lists and manages live objects, and the manual pages.")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON) # a shlibs file for libwinipc0

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libwinipc-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "The development files of winipc: headers (including a <windows.h> for Linux),
the static library, the pkg-config file and the CMake package.")
set(CPACK_COMPONENT_DEV_DEPENDS runtime)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON) # libwinipc-dev: Depends libwinipc0 (= version)

find_program(WINIPC_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(WINIPC_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "libc6 (>= 2.34)")
endif()

include(CPack)
