# DYSCO_SANITIZE: every target built with AddressSanitizer + UndefinedBehaviorSanitizer
# (gcc or clang). DYSCO_FUZZ (clang only) implies it and adds libFuzzer's coverage
# instrumentation; the fuzz targets themselves link -fsanitize=fuzzer (fuzz/CMakeLists.txt).
# Any UB report aborts (no recovery), so a sanitizer finding fails the test or fuzz run.
if(DYSCO_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "DYSCO_FUZZ needs clang (e.g. -DCMAKE_CXX_COMPILER=clang++-14)")
    endif()
    set(DYSCO_SANITIZE ON)
endif()
if(DYSCO_SANITIZE)
    # Asserts stay on (-UNDEBUG): they are checks the sanitizers should exercise too.
    set(DYSCO_SANITIZE_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
        -fno-omit-frame-pointer -g -UNDEBUG)
    if(DYSCO_FUZZ)
        list(APPEND DYSCO_SANITIZE_FLAGS -fsanitize=fuzzer-no-link)
    endif()
    add_compile_options(${DYSCO_SANITIZE_FLAGS})
    add_link_options(-fsanitize=address,undefined)
    message(STATUS "dyscosim: sanitizers on (${DYSCO_SANITIZE_FLAGS})")
endif()
