# Finds the prebuilt DuckDB that scripts/setup installs from the npm registry.
# Input: DUCKDB_ROOT (default: <source>/.deps/duckdb). Output: target DuckDB::duckdb.
set(DUCKDB_ROOT "${PROJECT_SOURCE_DIR}/.deps/duckdb" CACHE PATH "DuckDB install prefix")
find_path(DuckDB_INCLUDE_DIR duckdb.h PATHS ${DUCKDB_ROOT}/include NO_DEFAULT_PATH)
find_library(DuckDB_LIBRARY duckdb PATHS ${DUCKDB_ROOT}/lib NO_DEFAULT_PATH)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(DuckDB
  REQUIRED_VARS DuckDB_LIBRARY DuckDB_INCLUDE_DIR
  REASON_FAILURE_MESSAGE "Run scripts/setup to install DuckDB 1.4.4 into ${DUCKDB_ROOT}.")
if(DuckDB_FOUND AND NOT TARGET DuckDB::duckdb)
  add_library(DuckDB::duckdb SHARED IMPORTED)
  set_target_properties(DuckDB::duckdb PROPERTIES
    IMPORTED_LOCATION ${DuckDB_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${DuckDB_INCLUDE_DIR})
endif()
