# `make package`: a Debian package of the window, the command-line tool and the simulator the demo mode
# starts, made by CPack from the install rules (the .desktop file, AppStream metainfo and icon included).
# Included from the top-level CMakeLists.txt after the targets exist.

# The window installs itself in src/app; the command-line tool ships in the same package.
set_target_properties(parallax-cli PROPERTIES INSTALL_RPATH "")
install(TARGETS parallax-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

include(GNUInstallDirs)

set(PARALLAX_PACKAGE_MAINTAINER "Parallax maintainers <maintainers@users.noreply.r-seed-d6e78a84.example>"
    CACHE STRING "Maintainer field of the Debian package (Name <address>)")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME parallax)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The Parallax developers")
set(CPACK_PACKAGE_CONTACT ${PARALLAX_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "compare answers of several LLM providers side by side")
# The extended description under the summary line (CPack indents each line as Debian wants).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Parallax sends one prompt to several language-model providers at once (OpenAI,
Anthropic, Gemini, Ollama and any OpenAI-compatible server) and streams the answers
into columns with their time to first token, total time, tokens and cost.
Personal data and secrets are masked before anything leaves the machine; API keys
are kept in the system keychain. Includes parallax-cli and the parallax-mock
simulator used by the offline demo mode.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${PARALLAX_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # parallax_VERSION_ARCH.deb
# Libraries the binaries link come from dpkg-shlibdeps (dpkg-dev); plugins Qt loads at run time do not
# show up there: the SQLite driver of the database and the platform plugins that open a window.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gnome-keyring")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The build keeps debug information (RelWithDebInfo); the package does not need it.
set(CPACK_STRIP_FILES ON)
include(CPack)
