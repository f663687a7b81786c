#ifndef FRAUDSCAN_CSQLITE_SHIM_H
#define FRAUDSCAN_CSQLITE_SHIM_H
#include <sqlite3.h>

/// Swift cannot import the SQLITE_TRANSIENT macro (a cast of -1 to a function
/// pointer); this constant carries the same value: "copy the bytes now".
static const sqlite3_destructor_type fraudscan_sqlite_transient = (sqlite3_destructor_type)-1;

#endif
