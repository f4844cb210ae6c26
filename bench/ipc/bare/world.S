/*
 * world.S — the XPC benchmarks in the bare-metal fallback world (bench-world.h): the same sources
 * as the kernel's system (bench/ipc/xpc/system.json), one domain each where the kernel has one
 * process each. Used only when the kernel's XPC support cannot run that system; the harness
 * labels every figure measured here.
 */
#include "bench-world.h"
#include "world.h"

XW_BEGIN
#include "../xpc/client.S"
#include "../xpc/server.S"
#include "../xpc/hop.S"
#include "../xpc/kv.S"
#include "../xpc/store.S"

/* the order of xEntries in bench/ipc/xpc/system.json (world.h numbers them) */
XW_ENTRIES_BEGIN
        XW_ENTRY(2, bare_one)
        XW_ENTRY(2, bare_rt)
        XW_ENTRY(2, x_stamp)
        XW_ENTRY(2, x_null)
        XW_ENTRY(3, hop_entry)
        XW_ENTRY(4, hop_entry)
        XW_ENTRY(5, hop_entry)
        XW_ENTRY(6, hop_entry)
        XW_ENTRY(7, kv_entry)
        XW_ENTRY(8, store_entry)
XW_ENTRIES_END
