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
    if (a->size < sizeof(cxm_allocator) || a->reserved != 0 || !a->alloc || !a->free)
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

cxm_status cxm_result_check(const void *out, size_t min_size)
{
    if (!out) return CXM_INVALID_ARGUMENT;
    uint32_t size;
    memcpy(&size, out, sizeof size);
    return size >= min_size ? CXM_OK : CXM_INVALID_ARGUMENT;
}

void cxm_result_copy(void *out, const void *local, size_t local_size)
{
    uint32_t size;
    memcpy(&size, out, sizeof size);
    size_t n = size < local_size ? size : local_size;
    memcpy((char *)out + sizeof size, (const char *)local + sizeof size, n - sizeof size);
    /* Fields the caller knows but this version does not are zeroed. */
    if (size > local_size) memset((char *)out + local_size, 0, size - local_size);
}

cxm_status cxm_options_read(const void *opts, void *local, size_t local_size)
{
    memset(local, 0, local_size);
    if (!opts) return CXM_OK;
    uint32_t hdr[2];
    memcpy(hdr, opts, sizeof hdr);
    if (hdr[0] < sizeof hdr || hdr[1] != 0) return CXM_INVALID_ARGUMENT;
    const unsigned char *p = opts;
    for (size_t i = local_size; i < hdr[0]; i++)
        if (p[i] != 0) return CXM_INVALID_ARGUMENT;
    memcpy(local, opts, hdr[0] < local_size ? hdr[0] : local_size);
    ((uint32_t *)local)[0] = (uint32_t)local_size;
    return CXM_OK;
}

cxm_status cxm_record_read(const void *rec, size_t min_size, void *local, size_t local_size)
{
    if (!rec) return CXM_INVALID_ARGUMENT;
    uint32_t size;
    memcpy(&size, rec, sizeof size);
    if (size < min_size) return CXM_INVALID_ARGUMENT;
    return cxm_options_read(rec, local, local_size);
}

cxm_status cxm_record_stride(const void *recs, size_t n, size_t min_size, size_t *stride,
                             size_t *bad)
{
    *stride = 0;
    if (n == 0) return CXM_OK;
    uint32_t first;
    memcpy(&first, recs, sizeof first);
    for (size_t i = 0; i < n; i++) {
        uint32_t size;
        memcpy(&size, (const char *)recs + i * (size_t)first, sizeof size);
        if (size < min_size || size != first) {
            *bad = i;
            return CXM_INVALID_ARGUMENT;
        }
    }
    *stride = first;
    return CXM_OK;
}
