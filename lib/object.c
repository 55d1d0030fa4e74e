/*
 * object.c — allocation and placement of every accumulator, and the
 * sized-struct rules (result and options structs) the whole API follows.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void *libc_alloc(void *opaque, size_t bytes)
{
    (void)opaque;
    return malloc(bytes);
}

static void libc_free(void *opaque, void *ptr)
{
    (void)opaque;
    free(ptr);
}

cxm_status cxm_alloc_resolve(const cxm_allocator *a, cxm_allocator *out)
{
    if (!a) {
        *out = (cxm_allocator){sizeof(cxm_allocator), 0, libc_alloc, libc_free, NULL};
        return CXM_OK;
    }
    if (!cxm_size_ok(CXM_SIZES(a), a->size) || a->reserved != 0 || !a->alloc || !a->free)
        return CXM_INVALID_ARGUMENT;
    *out = *a;
    out->size = sizeof(cxm_allocator);
    return CXM_OK;
}

cxm_status cxm_obj_new(const cxm_allocator *a, size_t bytes, uint32_t family, void **out)
{
    cxm_allocator al;
    cxm_status st = cxm_alloc_resolve(a, &al);
    if (st != CXM_OK) return st;
    cxm_obj *o = al.alloc(al.opaque, bytes);
    if (!o) return CXM_OUT_OF_MEMORY;
    memset(o, 0, bytes);
    o->family = family;
    o->placed = 0;
    o->alloc = al;
    *out = o;
    return CXM_OK;
}

cxm_status cxm_obj_place(void *mem, size_t size, size_t bytes, uint32_t family, void **out)
{
    if (!mem || ((uintptr_t)mem % CXM_ALIGNMENT) != 0) return CXM_INVALID_ARGUMENT;
    if (size < bytes) return CXM_BUFFER_TOO_SMALL;
    cxm_obj *o = mem;
    memset(o, 0, bytes);
    o->family = family;
    o->placed = 1;
    (void)cxm_alloc_resolve(NULL, &o->alloc);
    *out = o;
    return CXM_OK;
}

cxm_status cxm_obj_make(bool place, void *mem, size_t size, const cxm_allocator *a, size_t bytes,
                        uint32_t family, void **out)
{
    return place ? cxm_obj_place(mem, size, bytes, family, out)
                 : cxm_obj_new(a, bytes, family, out);
}

void cxm_obj_free(void *obj)
{
    cxm_obj *o = obj;
    if (!o || o->placed) return;
    o->alloc.free(o->alloc.opaque, o);
}

cxm_status cxm_obj_clone(const void *src, size_t bytes, const cxm_allocator *a, void **out)
{
    const cxm_obj *s = src;
    cxm_allocator al;
    cxm_status st = cxm_alloc_resolve(a ? a : &s->alloc, &al);
    if (st != CXM_OK) return st;
    cxm_obj *o = al.alloc(al.opaque, bytes);
    if (!o) return CXM_OUT_OF_MEMORY;
    memcpy(o, src, bytes);
    o->placed = 0;
    o->alloc = al;
    *out = o;
    return CXM_OK;
}

void cxm_obj_zero_body(void *obj, size_t bytes)
{
    memset((char *)obj + sizeof(cxm_obj), 0, bytes - sizeof(cxm_obj));
}

/* ---- sized structs: the rows of sizes.h ------------------------------------ */

#define CXM_SIZES_DEFINE(type, ...)                                                                \
    const cxm_sizes cxm_sizes_##type = {                                                           \
        #type,                                                                                     \
        (uint32_t)sizeof(type),                                                                    \
        (uint32_t)(sizeof((uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t)),                          \
        {__VA_ARGS__}};
CXM_SIZED_STRUCTS(CXM_SIZES_DEFINE)
#undef CXM_SIZES_DEFINE

#define CXM_SIZES_LIST(type, ...) &cxm_sizes_##type,
const cxm_sizes *const cxm_sizes_all[] = {CXM_SIZED_STRUCTS(CXM_SIZES_LIST)};
#undef CXM_SIZES_LIST
const size_t cxm_sizes_all_count = sizeof cxm_sizes_all / sizeof cxm_sizes_all[0];

bool cxm_size_ok(const cxm_sizes *t, uint32_t size)
{
    for (uint32_t i = 0; i < t->n; i++)
        if (t->size[i] == size) return true;
    return false;
}

static uint32_t size_of(const void *p)
{
    uint32_t size;
    memcpy(&size, p, sizeof size);
    return size;
}

cxm_status cxm_result_check(const void *out, const cxm_sizes *sizes)
{
    return out && cxm_size_ok(sizes, size_of(out)) ? CXM_OK : CXM_INVALID_ARGUMENT;
}

void cxm_result_copy(void *out, const void *local, size_t local_size)
{
    uint32_t size = size_of(out);
    size_t n = size < local_size ? size : local_size;
    memcpy((char *)out + sizeof size, (const char *)local + sizeof size, n - sizeof size);
}

cxm_status cxm_options_read(const void *opts, const cxm_sizes *sizes, void *local,
                            size_t local_size)
{
    memset(local, 0, local_size);
    if (!opts) return CXM_OK;
    uint32_t hdr[2];
    memcpy(hdr, opts, sizeof hdr);
    if (!cxm_size_ok(sizes, hdr[0]) || hdr[1] != 0) return CXM_INVALID_ARGUMENT;
    memcpy(local, opts, hdr[0] < local_size ? hdr[0] : local_size);
    ((uint32_t *)local)[0] = (uint32_t)local_size;
    return CXM_OK;
}

cxm_status cxm_record_read(const void *rec, const cxm_sizes *sizes, void *local, size_t local_size)
{
    if (!rec) return CXM_INVALID_ARGUMENT;
    return cxm_options_read(rec, sizes, local, local_size);
}

cxm_status cxm_record_stride(const void *recs, size_t n, const cxm_sizes *sizes, size_t *stride,
                             size_t *bad)
{
    *stride = 0;
    if (n == 0) return CXM_OK;
    uint32_t first = size_of(recs);
    /* Element 0's size is checked once, before it serves as the stride; the rest must equal it. */
    if (!cxm_size_ok(sizes, first)) {
        *bad = 0;
        return CXM_INVALID_ARGUMENT;
    }
    for (size_t i = 1; i < n; i++)
        if (size_of((const char *)recs + i * (size_t)first) != first) {
            *bad = i;
            return CXM_INVALID_ARGUMENT;
        }
    *stride = first;
    return CXM_OK;
}
