/*
 * status.c — status messages, version queries and the function twins of the
 * public constants (for bindings that cannot read macros).
 */
#include "internal.h"

#ifndef CXM_VERSION_STRING
#error "CXM_VERSION_STRING must come from the build"
#endif

const char *cxm_status_str(cxm_status status)
{
    switch (status) {
    case CXM_OK: return "ok";
    case CXM_INVALID_ARGUMENT: return "invalid argument";
    case CXM_OUT_OF_RANGE: return "value out of range";
    case CXM_OUT_OF_MEMORY: return "out of memory";
    case CXM_KIND_MISMATCH: return "kind or configuration mismatch";
    case CXM_EMPTY: return "empty: no data";
    case CXM_OVERFLOW: return "count or sum would overflow";
    case CXM_BUFFER_TOO_SMALL: return "buffer too small";
    case CXM_BAD_FORMAT: return "bad encoded format";
    case CXM_UNSUPPORTED_VERSION: return "unsupported format version";
    case CXM_BRAND_MISMATCH: return "brand mismatch";
    case CXM_CAPACITY: return "beyond the capacity fixed at creation";
    case CXM_BAD_ORDER: return "timestamps out of order";
    case CXM_BAD_STATE: return "event not valid in current state";
    case CXM_WRONG_TYPE: return "encoded bytes hold another accumulator type";
    case CXM_EXPIRED: return "event older than the series' horizon";
    }
    return "unknown status";
}

uint32_t cxm_status_count(void)
{
    return CXM_STATUS_COUNT;
}
const char *cxm_version_string(void)
{
    return CXM_VERSION_STRING;
}
uint32_t cxm_version_number(void)
{
    return CXM_VERSION_NUMBER;
}
uint32_t cxm_noop(void)
{
    return 0;
}
size_t cxm_alignment(void)
{
    return CXM_ALIGNMENT;
}
double cxm_default_level(void)
{
    return CXM_DEFAULT_LEVEL;
}
