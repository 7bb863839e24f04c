# One INTERFACE target carries warnings, Qt defines and sanitizer flags for every target.
add_library(keygate_options INTERFACE)
target_compile_definitions(keygate_options INTERFACE
    QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_CONTEXTLESS_CONNECT QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER QT_NO_FOREACH
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)
target_compile_options(keygate_options INTERFACE
    -Wall -Wextra -Wpedantic -Wcast-qual -Woverloaded-virtual -Wnon-virtual-dtor)
option(KEYGATE_SANITIZE "Build with ASan+UBSan" OFF)
if(KEYGATE_SANITIZE)
    target_compile_options(keygate_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(keygate_options INTERFACE -fsanitize=address,undefined)
endif()
