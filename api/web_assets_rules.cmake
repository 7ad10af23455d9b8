# The web app (issue 15): web/ compiled into ticketd as web_assets_data.cc,
# regenerated whenever a file of web/ changes (web_assets.cmake).
file(GLOB TICKETD_WEB_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/web/*)
add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/web_assets_data.cc
  COMMAND ${CMAKE_COMMAND} -DWEB_DIR=${PROJECT_SOURCE_DIR}/web -DOUT=${CMAKE_CURRENT_BINARY_DIR}/web_assets_data.cc
          -DWORK=${CMAKE_CURRENT_BINARY_DIR}/web_assets_work -P ${CMAKE_CURRENT_SOURCE_DIR}/web_assets.cmake
  DEPENDS ${TICKETD_WEB_FILES} ${CMAKE_CURRENT_SOURCE_DIR}/web_assets.cmake
  COMMENT "Embedding web/ into ticketd"
  VERBATIM)
