# CPack: `make package` → build/keygate_<version>_amd64.deb with what packaging/CMakeLists.txt installs.
# Depends: dpkg-shlibdeps for what the binary links, plus what Qt and QtKeychain only open at run time.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME keygate)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Keygate developers")
set(CPACK_PACKAGE_CONTACT "${KEYGATE_MAINTAINER}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY keygate)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR})

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # keygate_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${KEYGATE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded at run time, invisible to dpkg-shlibdeps: the xcb/wayland/offscreen platform plugins, the SQLite
# SQL driver, libsecret (dlopened by QtKeychain) and the SVG icon engine.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6sql6-sqlite, libsecret-1-0, libqt6svg6")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring")
# The synopsis; then the extended description, plain lines and an empty one between paragraphs, which
# CPack indents by one space and turns into " ." (pre-indented text gets indented twice by CMake 3.25).
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "API-key gateway for LLM coding clients")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"Keygate sits between coding agents (Pi, the Codex CLI, OpenCode, anything
that speaks the OpenAI Responses API) and the upstream they use: a
ChatGPT/Codex subscription or an OpenAI-compatible API. It issues its own
API keys, checks them on every request, forwards with the upstream's own
credentials, streams Server-Sent Events unbuffered and counts usage per key.

It runs as a desktop console with a tray icon, or headless as a systemd
user service (keygate serve).")

include(CPack)
