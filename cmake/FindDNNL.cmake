# Finds oneDNN as the org.bytedeco:dnnl preset jar ships it (unpacked by Maven into DNNL_ROOT):
#   DNNL_ROOT/include/oneapi/dnnl/dnnl.h and DNNL_ROOT/libdnnl.so.3 (no unversioned libdnnl.so).
# The jar's own dnnl-config.cmake names lib/libdnnl.so, which the jar does not contain, hence this module.
# Defines the imported target DNNL::dnnl.
find_path(DNNL_INCLUDE_DIR oneapi/dnnl/dnnl.h HINTS ${DNNL_ROOT}/include NO_DEFAULT_PATH)
find_file(DNNL_LIBRARY NAMES libdnnl.so.3 libdnnl.so HINTS ${DNNL_ROOT} ${DNNL_ROOT}/lib NO_DEFAULT_PATH)
find_file(DNNL_GOMP_LIBRARY NAMES libgomp.so.1 HINTS ${DNNL_ROOT} ${DNNL_ROOT}/lib NO_DEFAULT_PATH)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(DNNL REQUIRED_VARS DNNL_INCLUDE_DIR DNNL_LIBRARY)

if(DNNL_FOUND AND NOT TARGET DNNL::dnnl)
  add_library(DNNL::dnnl SHARED IMPORTED)
  set_target_properties(DNNL::dnnl PROPERTIES
    IMPORTED_LOCATION "${DNNL_LIBRARY}"
    IMPORTED_NO_SONAME FALSE
    INTERFACE_INCLUDE_DIRECTORIES "${DNNL_INCLUDE_DIR}")
endif()
mark_as_advanced(DNNL_INCLUDE_DIR DNNL_LIBRARY DNNL_GOMP_LIBRARY)
