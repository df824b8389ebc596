# steper_add_plugin(NAME SOURCES...): a plugin shared library, placed where the host finds it.
# Installed with the package config, so out-of-tree plugins use the same function.
function(steper_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  set_property(GLOBAL APPEND PROPERTY STEPER_PLUGIN_TARGETS ${name})
  # The public API only: a plugin that needs more of the host fails to link here, not at load.
  target_link_libraries(${name} PRIVATE steper::api)
  if(NOT STEPER_SANITIZE)  # sanitized plugins leave the runtime's symbols to the executable
    target_link_options(${name} PRIVATE LINKER:--no-undefined)
  endif()
  set_target_properties(${name} PROPERTIES
    PREFIX "libsteper_"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED STEPER_PLUGIN_BUILD_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${STEPER_PLUGIN_BUILD_DIR})
  endif()
  if(DEFINED STEPER_PLUGIN_INSTALL_DIR AND NOT STEPER_PLUGIN_SKIP_INSTALL)
    install(TARGETS ${name} LIBRARY DESTINATION ${STEPER_PLUGIN_INSTALL_DIR})
  endif()
endfunction()
