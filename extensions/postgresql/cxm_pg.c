/*
 * cxm_pg.c — cxm's accumulators as PostgreSQL aggregates.
 *
 * The extension does no arithmetic of its own: every state is a cxm
 * accumulator, every figure comes from a cxm result call, merge is cxm's
 * merge and the bytes of a state are cxm's encoding (validated by cxm's
 * decode on every read). What lives here is the plumbing between the two:
 *
 *  - the allocator hook, mapped to palloc in the memory context that owns
 *    the state (the aggregate context, or the expanded object's context);
 *  - statuses turned into SQL errors with a SQLSTATE;
 *  - two forms of each aggregate. The fast form keeps the accumulator as an
 *    `internal` state and serialises it only when a parallel worker hands
 *    it to the leader. The distributable form keeps it in a real varlena
 *    type (nps_state, csat_state, ...), so a state can be stored in a table,
 *    sent between servers and merged later; while the aggregate runs, that
 *    state is an expanded object holding the live accumulator, flattened
 *    into cxm's encoding only when PostgreSQL stores or sends it.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "nodes/pg_list.h"
#include "nodes/primnodes.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include <math.h>
#include <string.h>

#include <cxm.h>

#include "cxm_family.h"
#include "cxm_json.h"

PG_MODULE_MAGIC;

/* ---- allocation ------------------------------------------------------------------ */

/*
 * cxm wants memory aligned as malloc's (16 bytes on x86-64: its sums are
 * 128-bit integers); palloc guarantees MAXALIGN (8). Over-allocate by 16,
 * align up and keep palloc's pointer just before the block for the free.
 */
static void *pg_cxm_alloc(void *opaque, size_t bytes)
{
    MemoryContext cxt = (MemoryContext)opaque;
    char *raw =
        MemoryContextAllocExtended(cxt, bytes + CXM_ALIGNMENT, MCXT_ALLOC_NO_OOM | MCXT_ALLOC_HUGE);
    if (!raw) return NULL;
    char *mem = (char *)TYPEALIGN(CXM_ALIGNMENT, raw + sizeof(void *));
    ((void **)mem)[-1] = raw;
    return mem;
}

static void pg_cxm_free(void *opaque, void *ptr)
{
    (void)opaque;
    pfree(((void **)ptr)[-1]);
}

static cxm_allocator allocator_in(MemoryContext cxt)
{
    cxm_allocator a = {sizeof(cxm_allocator), 0, pg_cxm_alloc, pg_cxm_free, cxt};
    return a;
}

/* ---- statuses as SQL errors ------------------------------------------------------- */

static int sqlstate_of(cxm_status st)
{
    switch (st) {
    case CXM_OUT_OF_RANGE:
    case CXM_INVALID_ARGUMENT:
    case CXM_KIND_MISMATCH:
    case CXM_BRAND_MISMATCH:
    case CXM_CAPACITY:
    case CXM_BAD_ORDER: return ERRCODE_INVALID_PARAMETER_VALUE;
    case CXM_BAD_FORMAT:
    case CXM_UNSUPPORTED_VERSION:
    case CXM_WRONG_TYPE: return ERRCODE_INVALID_BINARY_REPRESENTATION;
    case CXM_OVERFLOW: return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
    case CXM_OUT_OF_MEMORY: return ERRCODE_OUT_OF_MEMORY;
    case CXM_BAD_STATE: return ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE;
    default: return ERRCODE_INTERNAL_ERROR;
    }
}

static void check(cxm_status st, const char *what)
{
    if (st == CXM_OK) return;
    ereport(ERROR, (errcode(sqlstate_of(st)), errmsg("%s: %s", what, cxm_status_str(st))));
}

/* ---- families ------------------------------------------------------------------- */

/* The verbs every family shares, behind one signature so the plumbing is written once. */
#define PG_FAMILY(fam, ID) FAMILY(fam, ID);
EXT_FAMILIES(PG_FAMILY)

/* ---- states ------------------------------------------------------------------------ */

/*
 * One accumulator and what the transition function remembers about the
 * configuration it was created with (so a row that asks for another kind or
 * scale is caught without asking the library on every row).
 */
typedef struct box {
    const family *f;
    cxm_allocator alloc;
    void *obj;
    bool cfg_known;
    bool cfg_const; /* the configuration arguments are constants, checked on the first row */
    int32 cfg[4];
    void *aux;         /* a per-state helper object (the SLA policy), or NULL */
    bytea *blob;       /* the bytes the helper was built from, to check later rows */
    cxm_calendar *cal; /* the SLA's business-hours calendar, or NULL */
    bytea *cal_blob;   /* the bytes it was built from */
    double *pend;      /* durations not yet handed to the library (fast form), or NULL */
    uint32 npend;
} box;

/*
 * The fast duration forms hand values to the library PEND_BATCH at a time
 * (cxm_duration_add_many: one call and one pass per batch, not per row);
 * every reader of a box flushes first, so nothing is ever read short.
 */
#define PEND_BATCH 512

/* A duration the library refused says which value, not only "out of range". */
static void check_seconds(cxm_status st, double seconds)
{
    if (st == CXM_OUT_OF_RANGE)
        ereport(ERROR,
                (errcode(sqlstate_of(st)),
                 errmsg("duration: %g seconds is not a duration", seconds),
                 errhint("A duration is finite, from 0 to %.0f seconds.", cxm_duration_max())));
    check(st, "duration");
}

static void box_flush(box *b)
{
    if (!b || b->npend == 0) return;
    uint32 n = b->npend;
    b->npend = 0;
    size_t bad = 0;
    cxm_status st = cxm_duration_add_many(b->obj, b->pend, n, &bad);
    if (st == CXM_OUT_OF_RANGE && bad < n) check_seconds(st, b->pend[bad]);
    check(st, "duration");
}

/* The distributable form's live state: an expanded object around a box. */
typedef struct xstate {
    ExpandedObjectHeader hdr;
    box b;
} xstate;

static Size xstate_flat_size(ExpandedObjectHeader *eoh);
static void xstate_flatten(ExpandedObjectHeader *eoh, void *result, Size size);
static const ExpandedObjectMethods xstate_methods = {xstate_flat_size, xstate_flatten};

static size_t encoded_len(const box *b)
{
    size_t len = 0;
    cxm_status st = b->f->encode(b->obj, NULL, 0, &len);
    if (st != CXM_OK && st != CXM_BUFFER_TOO_SMALL) check(st, "encoding a state");
    return len;
}

static Size xstate_flat_size(ExpandedObjectHeader *eoh)
{
    return VARHDRSZ + encoded_len(&((xstate *)eoh)->b);
}

static void xstate_flatten(ExpandedObjectHeader *eoh, void *result, Size size)
{
    xstate *x = (xstate *)eoh;
    size_t len = 0;
    check(x->b.f->encode(x->b.obj, (uint8_t *)VARDATA(result), size - VARHDRSZ, &len),
          "encoding a state");
    SET_VARSIZE(result, VARHDRSZ + len);
}

static MemoryContext agg_context(FunctionCallInfo fcinfo)
{
    MemoryContext cxt;
    if (AggCheckCallContext(fcinfo, &cxt)) return cxt;
    return CurrentMemoryContext;
}

static box *box_new(FunctionCallInfo fcinfo, const family *f, bool dist, Datum *out)
{
    MemoryContext parent = agg_context(fcinfo);
    if (dist) {
        MemoryContext cxt = AllocSetContextCreate(parent, "cxm state", ALLOCSET_SMALL_SIZES);
        xstate *x = MemoryContextAllocZero(cxt, sizeof(xstate));
        EOH_init_header(&x->hdr, &xstate_methods, cxt);
        x->b.f = f;
        x->b.alloc = allocator_in(cxt);
        *out = EOHPGetRWDatum(&x->hdr);
        return &x->b;
    }
    box *b = MemoryContextAllocZero(parent, sizeof(box));
    b->f = f;
    b->alloc = allocator_in(parent);
    *out = PointerGetDatum(b);
    return b;
}

static void decode_into(box *b, const bytea *bytes)
{
    check(b->f->decode((const uint8_t *)VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes), &b->alloc,
                       &b->obj),
          "decoding a state");
}

/* A state argument that this call may update in place, or NULL. */
static box *state_arg_dist(FunctionCallInfo fcinfo, int argno, const family *f, Datum *out)
{
    Datum d = PG_GETARG_DATUM(argno);
    if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d))) {
        xstate *x = (xstate *)DatumGetEOHP(d);
        if (x->hdr.eoh_methods == &xstate_methods && x->b.f == f) {
            *out = d;
            return &x->b;
        }
    }
    /* Flat bytes (stored, sent, or copied by the executor): decode into a live state. */
    bytea *bytes = PG_DETOAST_DATUM_PACKED(d);
    box *b = box_new(fcinfo, f, true, out);
    decode_into(b, bytes);
    return b;
}

/* Called on every row: the fast form's state is a pointer, inline; the state form's may need more.
 */
static inline box *state_arg(FunctionCallInfo fcinfo, int argno, const family *f, bool dist,
                             Datum *out)
{
    if (PG_ARGISNULL(argno)) return NULL;
    if (!dist) {
        *out = PG_GETARG_DATUM(argno);
        return (box *)DatumGetPointer(*out);
    }
    return state_arg_dist(fcinfo, argno, f, out);
}

/*
 * Whether argument `argno` of a transition function is a constant of the
 * query (a literal kind, profile or policy, as it nearly always is): then
 * the first row's check holds for every row, and later rows skip it.
 */
static bool arg_is_const(FunctionCallInfo fcinfo, int argno)
{
    Aggref *ag = AggGetAggref(fcinfo);
    if (!ag || argno < 1 || argno > list_length(ag->args)) return false;
    const TargetEntry *te = list_nth(ag->args, argno - 1);
    return IsA(te->expr, Const);
}

/* A state argument to read: the live one if it is, else decoded into `tmp`. */
static const box *state_read(FunctionCallInfo fcinfo, int argno, const family *f, box *tmp)
{
    Datum d = PG_GETARG_DATUM(argno);
    if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d))) {
        xstate *x = (xstate *)DatumGetEOHP(d);
        if (x->hdr.eoh_methods == &xstate_methods && x->b.f == f) return &x->b;
    }
    memset(tmp, 0, sizeof *tmp);
    tmp->f = f;
    tmp->alloc = allocator_in(CurrentMemoryContext);
    decode_into(tmp, PG_DETOAST_DATUM_PACKED(d));
    return tmp;
}

/* combine(state, state): the library's merge; a NULL side is the other. */
static Datum combine(FunctionCallInfo fcinfo, const family *f, bool dist)
{
    Datum out = (Datum)0;
    if (PG_ARGISNULL(1)) {
        if (PG_ARGISNULL(0)) PG_RETURN_NULL();
        (void)state_arg(fcinfo, 0, f, dist, &out);
        return out;
    }
    box *a = state_arg(fcinfo, 0, f, dist, &out);
    box tmp;
    if (!dist) box_flush((box *)PG_GETARG_POINTER(1));
    box_flush(a);
    const box *b = dist ? state_read(fcinfo, 1, f, &tmp) : (const box *)PG_GETARG_POINTER(1);
    if (!a) {
        a = box_new(fcinfo, f, dist, &out);
        check(f->clone(b->obj, &a->alloc, &a->obj), "copying a state");
        a->cfg_known = b->cfg_known;
        memcpy(a->cfg, b->cfg, sizeof a->cfg);
    } else {
        check(f->merge(a->obj, b->obj), "merging states");
    }
    if (b == &tmp) f->destroy(tmp.obj);
    return out;
}

/* serialise(internal) -> bytea: the library's encoding. */
static Datum serialize(FunctionCallInfo fcinfo)
{
    box *b = (box *)PG_GETARG_POINTER(0);
    box_flush(b);
    size_t len = encoded_len(b);
    bytea *out = palloc(VARHDRSZ + len);
    check(b->f->encode(b->obj, (uint8_t *)VARDATA(out), len, &len), "encoding a state");
    SET_VARSIZE(out, VARHDRSZ + len);
    PG_RETURN_BYTEA_P(out);
}

/* deserialise(bytea, internal) -> internal: the library's decode, which checks everything. */
static Datum deserialize(FunctionCallInfo fcinfo, const family *f)
{
    Datum out;
    box *b = box_new(fcinfo, f, false, &out);
    decode_into(b, PG_GETARG_BYTEA_PP(0));
    return out;
}

/* ---- the state types: text, binary and bytea forms of the encoding ---------------- */

static void validate(const family *f, const uint8_t *buf, size_t len)
{
    cxm_allocator a = allocator_in(CurrentMemoryContext);
    void *obj = NULL;
    uint32_t fam = 0, version = 0;
    check(cxm_encoded_info(buf, len, &fam, &version), "reading a state");
    if (fam != f->id)
        ereport(ERROR,
                (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                 errmsg("these bytes are not a %s_state (they hold cxm family %u)", f->name, fam)));
    check(f->decode(buf, len, &a, &obj), "reading a state");
    f->destroy(obj);
}

static Datum state_in(FunctionCallInfo fcinfo, const family *f)
{
    const char *s = PG_GETARG_CSTRING(0);
    /* The text form is bytea's hex form; the \x prefix is optional. */
    if (s[0] == '\\' && s[1] == 'x') s += 2;
    size_t n = strlen(s);
    if (n % 2 != 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                        errmsg("invalid %s_state: odd number of hex digits", f->name)));
    bytea *out = palloc(VARHDRSZ + n / 2);
    SET_VARSIZE(out, VARHDRSZ + hex_decode(s, n, VARDATA(out)));
    validate(f, (const uint8_t *)VARDATA(out), VARSIZE(out) - VARHDRSZ);
    PG_RETURN_BYTEA_P(out);
}

static Datum state_out(FunctionCallInfo fcinfo)
{
    bytea *b = PG_GETARG_BYTEA_PP(0);
    size_t n = VARSIZE_ANY_EXHDR(b);
    char *out = palloc(2 * n + 3);
    out[0] = '\\';
    out[1] = 'x';
    out[2 + hex_encode(VARDATA_ANY(b), n, out + 2)] = '\0';
    PG_RETURN_CSTRING(out);
}

static Datum state_recv(FunctionCallInfo fcinfo, const family *f)
{
    StringInfo buf = (StringInfo)PG_GETARG_POINTER(0);
    int n = buf->len - buf->cursor;
    bytea *out = palloc(VARHDRSZ + n);
    SET_VARSIZE(out, VARHDRSZ + n);
    pq_copymsgbytes(buf, VARDATA(out), n);
    validate(f, (const uint8_t *)VARDATA(out), (size_t)n);
    PG_RETURN_BYTEA_P(out);
}

static Datum state_send(FunctionCallInfo fcinfo)
{
    bytea *b = PG_GETARG_BYTEA_PP(0);
    StringInfoData buf;
    pq_begintypsend(&buf);
    pq_sendbytes(&buf, VARDATA_ANY(b), (int)VARSIZE_ANY_EXHDR(b));
    PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* bytea -> state: checked like any other read. */
static Datum state_from_bytea(FunctionCallInfo fcinfo, const family *f)
{
    bytea *b = PG_GETARG_BYTEA_P_COPY(0);
    validate(f, (const uint8_t *)VARDATA(b), VARSIZE(b) - VARHDRSZ);
    PG_RETURN_BYTEA_P(b);
}

/* One SQL-callable function that forwards to a shared implementation. */
#define SQL_FUNCTION(name, call)                                                                   \
    PG_FUNCTION_INFO_V1(pgcxm_##name);                                                             \
    Datum pgcxm_##name(PG_FUNCTION_ARGS)                                                           \
    {                                                                                              \
        return call;                                                                               \
    }

/* Every SQL-callable function a family shares, from one macro. */
#define STATE_FUNCTIONS(fam)                                                                       \
    SQL_FUNCTION(fam##_state_in, state_in(fcinfo, &fam_##fam))                                     \
    SQL_FUNCTION(fam##_state_recv, state_recv(fcinfo, &fam_##fam))                                 \
    SQL_FUNCTION(fam##_from_bytea, state_from_bytea(fcinfo, &fam_##fam))                           \
    SQL_FUNCTION(fam##_combine, combine(fcinfo, &fam_##fam, false))                                \
    SQL_FUNCTION(fam##_state_combine, combine(fcinfo, &fam_##fam, true))                           \
    SQL_FUNCTION(fam##_deserialize, deserialize(fcinfo, &fam_##fam))

SQL_FUNCTION(state_out, state_out(fcinfo))
SQL_FUNCTION(state_send, state_send(fcinfo))
SQL_FUNCTION(serialize, serialize(fcinfo))

/* Bytes of a state as stored (its encoding plus the varlena header). */
PG_FUNCTION_INFO_V1(pgcxm_state_bytes);
Datum pgcxm_state_bytes(PG_FUNCTION_ARGS)
{
    PG_RETURN_INT32((int32)VARSIZE_ANY(PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0))));
}

#define PG_STATE_FUNCTIONS(fam, ID) STATE_FUNCTIONS(fam)
EXT_FAMILIES(PG_STATE_FUNCTIONS)

/* ---- result rows ------------------------------------------------------------------ */

typedef struct row {
    TupleDesc desc;
    Datum v[32];
    bool null[32];
    int n;
} row;

static void row_begin(FunctionCallInfo fcinfo, row *r)
{
    if (get_call_result_type(fcinfo, NULL, &r->desc) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "cxm: result type must be a row type");
    r->desc = BlessTupleDesc(r->desc);
    r->n = 0;
}

static void put_f8(row *r, double v, bool null)
{
    r->v[r->n] = Float8GetDatum(v);
    r->null[r->n++] = null;
}

static void put_i8(row *r, uint64_t v)
{
    r->v[r->n] = Int64GetDatum((int64)v);
    r->null[r->n++] = false;
}

static void put_i4(row *r, int32 v)
{
    r->v[r->n] = Int32GetDatum(v);
    r->null[r->n++] = false;
}

static void put_text(row *r, const char *s)
{
    r->v[r->n] = CStringGetTextDatum(s);
    r->null[r->n++] = false;
}

static void put_bool(row *r, bool v)
{
    r->v[r->n] = BoolGetDatum(v);
    r->null[r->n++] = false;
}

static HeapTuple row_tuple(row *r)
{
    if (r->n != r->desc->natts)
        elog(ERROR, "cxm: result row has %d columns, not %d", r->n, r->desc->natts);
    return heap_form_tuple(r->desc, r->v, r->null);
}

static Datum row_end(row *r)
{
    return HeapTupleGetDatum(row_tuple(r));
}

/* The element row type of the array a function returns, blessed for heap_form_tuple. */
static TupleDesc element_desc(FunctionCallInfo fcinfo, Oid *elemtype)
{
    *elemtype = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
    return BlessTupleDesc(lookup_rowtype_tupdesc_copy(*elemtype, -1));
}

static Datum rows_array(Datum *elems, int n, Oid elemtype)
{
    int16 typlen;
    bool typbyval;
    char typalign;
    get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
    return PointerGetDatum(construct_array(elems, n, elemtype, typlen, typbyval, typalign));
}

/* A result call's status: CXM_EMPTY means "no value" (NULL fields), anything else is raised. */
static bool has_value(cxm_status st, const char *what)
{
    if (st == CXM_EMPTY) return false;
    check(st, what);
    return true;
}

static double level_arg(FunctionCallInfo fcinfo, int argno)
{
    if (PG_NARGS() <= argno || PG_ARGISNULL(argno)) return 0.0;
    return PG_GETARG_FLOAT8(argno);
}

/* The fast form's and the state form's transition functions over one step. */
#define STEP_FUNCTIONS(name, step)                                                                 \
    SQL_FUNCTION(name##_step, step(fcinfo, false))                                                 \
    SQL_FUNCTION(name##_state_step, step(fcinfo, true))

/* Final function of the fast form and result function of the state type, from one macro. */
#define RESULT_FUNCTIONS(fam, rowfn)                                                               \
    PG_FUNCTION_INFO_V1(pgcxm_##fam##_final);                                                      \
    Datum pgcxm_##fam##_final(PG_FUNCTION_ARGS)                                                    \
    {                                                                                              \
        if (PG_ARGISNULL(0)) PG_RETURN_NULL();                                                     \
        box_flush((box *)PG_GETARG_POINTER(0));                                                    \
        return rowfn(fcinfo, (const box *)PG_GETARG_POINTER(0), 0.0);                              \
    }                                                                                              \
    PG_FUNCTION_INFO_V1(pgcxm_##fam##_result);                                                     \
    Datum pgcxm_##fam##_result(PG_FUNCTION_ARGS)                                                   \
    {                                                                                              \
        box tmp;                                                                                   \
        return rowfn(fcinfo, state_read(fcinfo, 0, &fam_##fam, &tmp), level_arg(fcinfo, 1));       \
    }

/* ---- NPS -------------------------------------------------------------------------- */

static uint32_t nps_kind_of(text *t)
{
    const char *s = VARDATA_ANY(t);
    size_t n = VARSIZE_ANY_EXHDR(t);
    uint32_t kind = ext_name_index(ext_nps_kind_names, CXM_NPS_RELATIONAL, s, n);
    if (kind == 0xFFFFFFFFu)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("unknown NPS kind \"%.*s\"", (int)n, s),
                        errhint("The kinds are relational, transactional and competitive.")));
    return kind;
}

/* A score the library refused says which score, not only "out of range". */
static void check_score(cxm_status st, const char *what, int32 score)
{
    if (st == CXM_OUT_OF_RANGE)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s: score %d is off the scale", what, score)));
    check(st, what);
}

/*
 * nps(score int, kind text): kinds are never blended, so a second kind is an
 * error. The kind's check runs on every row unless the kind is a literal.
 */
static Datum nps_step(FunctionCallInfo fcinfo, bool dist)
{
    Datum out = (Datum)0;
    box *b = state_arg(fcinfo, 0, &fam_nps, dist, &out);
    if (!b || !b->cfg_const) {
        if (PG_ARGISNULL(2))
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("NPS kind is NULL")));
        uint32_t kind = nps_kind_of(PG_GETARG_TEXT_PP(2));
        if (!b) {
            b = box_new(fcinfo, &fam_nps, dist, &out);
            check(cxm_nps_new(kind, 0, &b->alloc, (cxm_nps **)&b->obj), "nps");
            b->cfg_const = arg_is_const(fcinfo, 2);
        }
        if (!b->cfg_known) {
            uint32_t have, brand;
            check(cxm_nps_identity(b->obj, &have, &brand), "nps");
            b->cfg[0] = (int32)have;
            b->cfg_known = true;
        }
        if ((uint32_t)b->cfg[0] != kind)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("nps: %s and %s answers in one group",
                                   ext_nps_kind_name((uint32_t)b->cfg[0]), ext_nps_kind_name(kind)),
                            errdetail("NPS kinds are never blended: %s.",
                                      cxm_status_str(CXM_KIND_MISMATCH)),
                            errhint("Group by the kind, or filter on it.")));
    }
    if (!PG_ARGISNULL(1))
        check_score(cxm_nps_add(b->obj, PG_GETARG_INT32(1)), "nps", PG_GETARG_INT32(1));
    return out;
}

static Datum nps_result_row(FunctionCallInfo fcinfo, const cxm_nps_result *res, bool v,
                            double level)
{
    row r;
    row_begin(fcinfo, &r);
    put_f8(&r, res->nps, !v);
    put_i8(&r, res->n);
    put_i8(&r, res->promoters);
    put_i8(&r, res->passives);
    put_i8(&r, res->detractors);
    put_f8(&r, res->ci.lower, !v);
    put_f8(&r, res->ci.upper, !v);
    put_f8(&r, v ? res->ci.level : (level > 0 ? level : CXM_DEFAULT_LEVEL), false);
    put_text(&r, ext_nps_kind_name(res->kind));
    return row_end(&r);
}

static Datum nps_row(FunctionCallInfo fcinfo, const box *b, double level)
{
    cxm_nps_result res = {.size = sizeof res};
    bool v = has_value(cxm_nps_result_get(b->obj, level, CXM_NPS_ADJUSTED_WALD, &res), "nps");
    return nps_result_row(fcinfo, &res, v, level);
}

STEP_FUNCTIONS(nps, nps_step)

RESULT_FUNCTIONS(nps, nps_row)

/* nps_compare(a, b [, level]): the library's two-sample test, A - B. */
PG_FUNCTION_INFO_V1(pgcxm_nps_compare);
Datum pgcxm_nps_compare(PG_FUNCTION_ARGS)
{
    box ta, tb;
    const box *a = state_read(fcinfo, 0, &fam_nps, &ta);
    const box *b = state_read(fcinfo, 1, &fam_nps, &tb);
    cxm_nps_comparison c = {.size = sizeof c};
    check(cxm_nps_compare(a->obj, b->obj, level_arg(fcinfo, 2), CXM_NPS_ADJUSTED_WALD, &c),
          "nps_compare");
    row r;
    row_begin(fcinfo, &r);
    put_f8(&r, c.diff, false);
    put_f8(&r, c.se, false);
    put_f8(&r, c.z, false);
    put_f8(&r, c.p, false);
    put_f8(&r, c.ci.lower, false);
    put_f8(&r, c.ci.upper, false);
    put_bool(&r, c.significant != 0);
    put_f8(&r, c.ci.level, false);
    return row_end(&r);
}

/* ---- competitive panel ------------------------------------------------------------ */

static Datum panel_step(FunctionCallInfo fcinfo, bool dist)
{
    Datum out = (Datum)0;
    box *b = state_arg(fcinfo, 0, &fam_nps_panel, dist, &out);
    if (!b) {
        b = box_new(fcinfo, &fam_nps_panel, dist, &out);
        check(cxm_nps_panel_new(EXT_PANEL_CAPACITY, &b->alloc, (cxm_nps_panel **)&b->obj),
              "nps_gaps");
    }
    if (PG_ARGISNULL(1) || PG_ARGISNULL(2)) return out;
    int32 brand = PG_GETARG_INT32(1);
    if (brand < 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("nps_gaps: brand %d is negative (0 is ours)", brand)));
    check_score(cxm_nps_panel_add(b->obj, (uint32_t)brand, PG_GETARG_INT32(2)), "nps_gaps",
                PG_GETARG_INT32(2));
    return out;
}

STEP_FUNCTIONS(panel, panel_step)

/* Rows of nps_gap, one per competitor, as an array (aggregates return one value). */
static Datum panel_array(FunctionCallInfo fcinfo, const box *b, double level)
{
    uint32_t count, capacity;
    check(cxm_nps_panel_brands(b->obj, &count, &capacity), "nps_gaps");
    Oid elemtype;
    TupleDesc desc = element_desc(fcinfo, &elemtype);
    Datum *elems = palloc(sizeof(Datum) * (count ? count : 1));
    for (uint32_t i = 0; i < count; i++) {
        cxm_nps_gap g = {.size = sizeof g};
        bool v =
            has_value(cxm_nps_panel_gap(b->obj, i, level, CXM_NPS_ADJUSTED_WALD, &g), "nps_gaps");
        row r = {.desc = desc, .n = 0};
        put_i4(&r, (int32)g.brand);
        put_i8(&r, g.n_ours);
        put_i8(&r, g.n_theirs);
        put_f8(&r, g.nps_ours, !v || g.n_ours == 0);
        put_f8(&r, g.nps_theirs, !v || g.n_theirs == 0);
        put_f8(&r, g.gap, !v);
        put_f8(&r, g.p, !v);
        put_f8(&r, g.ci.lower, !v);
        put_f8(&r, g.ci.upper, !v);
        r.v[r.n] = BoolGetDatum(g.significant != 0);
        r.null[r.n++] = !v;
        elems[i] = HeapTupleGetDatum(row_tuple(&r));
    }
    return rows_array(elems, (int)count, elemtype);
}

RESULT_FUNCTIONS(nps_panel, panel_array)

/* ---- CSAT and CES ------------------------------------------------------------------ */

/* The scale arguments of a row: (min, max, threshold), 0 meaning the family's default. */
static void scale_args(FunctionCallInfo fcinfo, int first, int32 out[3])
{
    out[0] = out[1] = out[2] = 0;
    for (int i = 0; i < 3 && first + i < PG_NARGS(); i++) {
        if (PG_ARGISNULL(first + i))
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                            errmsg("a scale bound or threshold is NULL")));
        out[i] = PG_GETARG_INT32(first + i);
    }
}

/* A scale the library refused says which one and what a scale may be. */
static void check_scale(cxm_status st, const char *what, const int32 want[3])
{
    if (st == CXM_INVALID_ARGUMENT)
        ereport(ERROR,
                (errcode(sqlstate_of(st)),
                 errmsg("%s: no scale from %d to %d%s", what, want[0], want[1],
                        want[2] ? psprintf(" with threshold %d", want[2]) : ""),
                 errhint("A scale is min to max with 0 <= min < max <= %d, its threshold within "
                         "it (0: the default).",
                         cxm_scale_max_score())));
    check(st, what);
}

static void same_scale(const box *b, const int32 want[4], const char *what)
{
    if (memcmp(b->cfg, want, sizeof b->cfg) != 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s: answers on two different scales in one group", what),
                        errdetail("%s.", cxm_status_str(CXM_KIND_MISMATCH))));
}

static const char *ces_direction_name(uint32_t d)
{
    return d == CXM_CES_HIGHER_IS_EFFORT ? "effort" : "easier";
}

static uint32_t ces_direction_of(FunctionCallInfo fcinfo, int argno)
{
    if (PG_NARGS() <= argno) return CXM_CES_HIGHER_IS_EASIER;
    text *t = PG_GETARG_TEXT_PP(argno);
    const char *s = VARDATA_ANY(t);
    int n = (int)VARSIZE_ANY_EXHDR(t);
    if (n == 6 && memcmp(s, "easier", 6) == 0) return CXM_CES_HIGHER_IS_EASIER;
    if (n == 6 && memcmp(s, "effort", 6) == 0) return CXM_CES_HIGHER_IS_EFFORT;
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("unknown CES direction \"%.*s\"", n, s),
                    errhint("'easier' (CES 2.0: higher is easier) or 'effort' (CES 1.0).")));
    return 0;
}

/*
 * csat(score [, min, max [, threshold]]). The configuration is resolved by
 * the library when the state is created and remembered as the row gave it,
 * so later rows are compared with what they asked for, not with defaults.
 */
static Datum csat_step(FunctionCallInfo fcinfo, bool dist)
{
    Datum out = (Datum)0;
    box *b = state_arg(fcinfo, 0, &fam_csat, dist, &out);
    int32 want[4] = {0, 0, 0, 0};
    scale_args(fcinfo, 2, want);
    if (!b) {
        b = box_new(fcinfo, &fam_csat, dist, &out);
        cxm_csat_options o = {sizeof o, 0, want[0], want[1], want[2], 0};
        check_scale(cxm_csat_new(&o, &b->alloc, (cxm_csat **)&b->obj), "csat", want);
    }
    if (!b->cfg_known) {
        memcpy(b->cfg, want, sizeof b->cfg);
        b->cfg_known = true;
    }
    same_scale(b, want, "csat");
    if (!PG_ARGISNULL(1))
        check_score(cxm_csat_add(b->obj, PG_GETARG_INT32(1)), "csat", PG_GETARG_INT32(1));
    return out;
}

static Datum ces_step(FunctionCallInfo fcinfo, bool dist)
{
    Datum out = (Datum)0;
    box *b = state_arg(fcinfo, 0, &fam_ces, dist, &out);
    int32 want[4] = {0, 0, 0, 0};
    /* ces(score [, direction [, min, max [, threshold]]]) */
    if (PG_NARGS() > 2 && PG_ARGISNULL(2))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("CES direction is NULL")));
    want[3] = (int32)ces_direction_of(fcinfo, 2);
    scale_args(fcinfo, 3, want);
    if (!b) {
        b = box_new(fcinfo, &fam_ces, dist, &out);
        cxm_ces_options o = {sizeof o, 0, want[0], want[1], want[2], (uint32_t)want[3]};
        check_scale(cxm_ces_new(&o, &b->alloc, (cxm_ces **)&b->obj), "ces", want);
    }
    if (!b->cfg_known) {
        memcpy(b->cfg, want, sizeof b->cfg);
        b->cfg_known = true;
    }
    same_scale(b, want, "ces");
    if (!PG_ARGISNULL(1))
        check_score(cxm_ces_add(b->obj, PG_GETARG_INT32(1)), "ces", PG_GETARG_INT32(1));
    return out;
}

/* The columns CSAT and CES share: mean, n, the share on the good side with its interval, ... */
static void put_scale(row *r, double mean, uint64_t n, uint64_t k, double pct, cxm_interval pct_ci,
                      cxm_interval mean_ci, double sd, double median, bool v)
{
    put_f8(r, mean, !v);
    put_i8(r, n);
    put_i8(r, k);
    put_f8(r, pct, !v);
    put_f8(r, pct_ci.lower, !v);
    put_f8(r, pct_ci.upper, !v);
    put_f8(r, mean_ci.lower, !v);
    put_f8(r, mean_ci.upper, !v);
    put_f8(r, sd, !v);
    put_f8(r, median, !v);
}

static double level_echo(bool v, cxm_interval ci, double level)
{
    return v ? ci.level : (level > 0 ? level : CXM_DEFAULT_LEVEL);
}

static Datum csat_result_row(FunctionCallInfo fcinfo, const cxm_csat_result *res, bool v,
                             double level)
{
    row r;
    row_begin(fcinfo, &r);
    put_scale(&r, res->mean, res->n, res->satisfied, res->satisfied_pct, res->satisfied_ci,
              res->mean_ci, res->sd, res->median, v);
    put_f8(&r, level_echo(v, res->satisfied_ci, level), false);
    put_text(&r,
             psprintf("%d-%d, satisfied >= %d", res->scale_min, res->scale_max, res->threshold));
    return row_end(&r);
}

static Datum csat_row(FunctionCallInfo fcinfo, const box *b, double level)
{
    cxm_csat_result res = {.size = sizeof res};
    bool v = has_value(cxm_csat_result_get(b->obj, level, &res), "csat");
    return csat_result_row(fcinfo, &res, v, level);
}

static Datum ces_result_row(FunctionCallInfo fcinfo, const cxm_ces_result *res, bool v,
                            double level)
{
    row r;
    row_begin(fcinfo, &r);
    put_scale(&r, res->mean, res->n, res->easy, res->easy_pct, res->easy_ci, res->mean_ci, res->sd,
              res->median, v);
    put_f8(&r, res->index, !v || !res->index_defined);
    put_f8(&r, level_echo(v, res->easy_ci, level), false);
    put_text(&r,
             psprintf("%d-%d, higher is %s, easy %s %d", res->scale_min, res->scale_max,
                      ces_direction_name(res->direction),
                      res->direction == CXM_CES_HIGHER_IS_EFFORT ? "<=" : ">=", res->threshold));
    return row_end(&r);
}

static Datum ces_row(FunctionCallInfo fcinfo, const box *b, double level)
{
    cxm_ces_result res = {.size = sizeof res};
    bool v = has_value(cxm_ces_result_get(b->obj, level, &res), "ces");
    return ces_result_row(fcinfo, &res, v, level);
}

STEP_FUNCTIONS(csat, csat_step)
STEP_FUNCTIONS(ces, ces_step)

RESULT_FUNCTIONS(csat, csat_row)
RESULT_FUNCTIONS(ces, ces_row)

/* ---- rates ------------------------------------------------------------------------- */

static Datum rate_step(FunctionCallInfo fcinfo, bool dist)
{
    Datum out = (Datum)0;
    box *b = state_arg(fcinfo, 0, &fam_rate, dist, &out);
    if (!b) {
        b = box_new(fcinfo, &fam_rate, dist, &out);
        check(cxm_rate_new(CXM_RATE_GENERIC, 0, &b->alloc, (cxm_rate **)&b->obj), "rate");
    }
    if (!PG_ARGISNULL(1)) check(cxm_rate_add(b->obj, PG_GETARG_BOOL(1) ? 1u : 0u), "rate");
    return out;
}

static Datum rate_result_row(FunctionCallInfo fcinfo, const cxm_rate_result *res, bool v,
                             double level)
{
    row r;
    row_begin(fcinfo, &r);
    put_f8(&r, res->rate, !v);
    put_i8(&r, res->successes);
    put_i8(&r, res->trials);
    put_f8(&r, res->ci.lower, !v);
    put_f8(&r, res->ci.upper, !v);
    put_f8(&r, v ? res->ci.level : (level > 0 ? level : CXM_DEFAULT_LEVEL), false);
    return row_end(&r);
}

static Datum rate_row(FunctionCallInfo fcinfo, const box *b, double level)
{
    cxm_rate_result res = {.size = sizeof res};
    bool v = has_value(cxm_rate_result_get(b->obj, level, &res), "rate");
    return rate_result_row(fcinfo, &res, v, level);
}

STEP_FUNCTIONS(rate, rate_step)
RESULT_FUNCTIONS(rate, rate_row)

/* ---- durations ---------------------------------------------------------------------- */

/* Seconds of an interval; months and days as 30 and 1 days, as EXTRACT(EPOCH ...) counts them. */
static double interval_seconds(const Interval *iv)
{
    return (double)iv->time / (double)USECS_PER_SEC +
           ((double)iv->month * DAYS_PER_MONTH + (double)iv->day) * (double)SECS_PER_DAY;
}

/* A new fast-form duration box, with its batch. */
static box *duration_box(FunctionCallInfo fcinfo, Datum *out, const char *what)
{
    box *b = box_new(fcinfo, &fam_duration, false, out);
    check(cxm_duration_new(NULL, &b->alloc, (cxm_duration **)&b->obj), what);
    b->pend = MemoryContextAlloc((MemoryContext)b->alloc.opaque, PEND_BATCH * sizeof(double));
    return b;
}

/* One value into a fast-form box: batched, handed over when the batch is full. */
static inline void duration_push(box *b, double v)
{
    b->pend[b->npend++] = v;
    if (b->npend == PEND_BATCH) box_flush(b);
}

static Datum duration_step(FunctionCallInfo fcinfo, bool dist, bool is_interval)
{
    Datum out = (Datum)0;
    box *b;
    if (!dist) {
        /* The fast form's hot path: no lookup, no call per row into the library. */
        if (PG_ARGISNULL(0))
            b = duration_box(fcinfo, &out, "duration");
        else
            b = (box *)PG_GETARG_POINTER(0), out = PG_GETARG_DATUM(0);
        if (!PG_ARGISNULL(1))
            duration_push(b, is_interval ? interval_seconds(PG_GETARG_INTERVAL_P(1))
                                         : PG_GETARG_FLOAT8(1));
        return out;
    }
    b = state_arg(fcinfo, 0, &fam_duration, dist, &out);
    if (!b) {
        b = box_new(fcinfo, &fam_duration, dist, &out);
        check(cxm_duration_new(NULL, &b->alloc, (cxm_duration **)&b->obj), "duration");
    }
    if (PG_ARGISNULL(1)) return out;
    double s = is_interval ? interval_seconds(PG_GETARG_INTERVAL_P(1)) : PG_GETARG_FLOAT8(1);
    check_seconds(cxm_duration_add(b->obj, s), s);
    return out;
}

static Datum duration_result_row(FunctionCallInfo fcinfo, const cxm_duration_result *res, bool v)
{
    row r;
    row_begin(fcinfo, &r);
    put_i8(&r, res->n);
    put_f8(&r, res->mean, !v);
    put_f8(&r, res->median, !v);
    put_f8(&r, res->p90, !v);
    put_f8(&r, res->p99, !v);
    put_f8(&r, res->min, !v);
    put_f8(&r, res->max, !v);
    put_f8(&r, res->sd, !v);
    put_f8(&r, res->sum, !v);
    return row_end(&r);
}

static Datum duration_row(FunctionCallInfo fcinfo, const box *b, double level)
{
    cxm_duration_result res = {.size = sizeof res};
    bool v = has_value(cxm_duration_result_get(b->obj, level, &res), "duration");
    return duration_result_row(fcinfo, &res, v);
}

SQL_FUNCTION(duration_step, duration_step(fcinfo, false, false))
SQL_FUNCTION(duration_step_interval, duration_step(fcinfo, false, true))
SQL_FUNCTION(duration_state_step, duration_step(fcinfo, true, false))
SQL_FUNCTION(duration_state_step_interval, duration_step(fcinfo, true, true))
RESULT_FUNCTIONS(duration, duration_row)

/* quantile(state, q) */
PG_FUNCTION_INFO_V1(pgcxm_duration_state_quantile);
Datum pgcxm_duration_state_quantile(PG_FUNCTION_ARGS)
{
    box tmp;
    const box *b = state_read(fcinfo, 0, &fam_duration, &tmp);
    double v = 0.0;
    if (!has_value(cxm_duration_quantile(b->obj, PG_GETARG_FLOAT8(1), &v), "duration quantile"))
        PG_RETURN_NULL();
    PG_RETURN_FLOAT8(v);
}

/* ---- SLA compliance under a policy given as JSON --------------------------------------- */

static uint32_t sla_metric_of(const char *s, int n)
{
    uint32_t m = ext_name_index(ext_sla_metric_names, 0, s, (size_t)n);
    if (m == 0xFFFFFFFFu)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("unknown SLA metric \"%.*s\"", n, s),
                        errhint("The metrics are first_reply, next_reply, periodic_update, "
                                "pausable_update, requester_wait, agent_work, total_resolution.")));
    return m;
}

/* The text of a jsonb argument, as the shared reader takes it. */
static char *jsonb_text(Jsonb *jb)
{
    return JsonbToCString(NULL, &jb->root, VARSIZE(jb));
}

/*
 * Keeps a copy of a configuration argument's bytes in the state's memory,
 * or says whether a later row's bytes differ from the copy.
 */
static bool same_config(const bytea *kept, const Jsonb *jb)
{
    return kept && VARSIZE(jb) == VARSIZE(kept) && memcmp(jb, kept, VARSIZE(jb)) == 0;
}

static bytea *keep_config(const box *b, const Jsonb *jb)
{
    bytea *copy = MemoryContextAlloc((MemoryContext)b->alloc.opaque, VARSIZE(jb));
    memcpy(copy, jb, VARSIZE(jb));
    return copy;
}

static void config_error(const char *what, const char *err, const char *hint)
{
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s: %s", what, err),
                    errhint("%s", hint)));
}

#define POLICY_HINT                                                                                \
    "A policy is a JSON object of metric -> array of target seconds per priority level, e.g. "     \
    "{\"first_reply\": [3600, 14400, 28800, 86400]}; null means no target for that level; "        \
    "\"clock\": \"business\" (or {\"business\": 28800} for one target) counts business hours."
#define CALENDAR_HINT                                                                              \
    "A calendar is {\"utc_offset\": \"+01:00\", \"week\": {\"mon\": [\"09:00-17:00\"], ...}, "     \
    "\"holidays\": [\"2024-12-25\"], \"offset_changes\": [{\"at\": unix seconds, "                 \
    "\"utc_offset\": \"+02:00\"}]}."

static int64_t unix_seconds(TimestampTz t)
{
    /* TimestampTz counts microseconds from 2000-01-01; floor to whole seconds. */
    int64 s = t / USECS_PER_SEC - (t % USECS_PER_SEC < 0 ? 1 : 0);
    return s + (int64)(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
}

/*
 * sla_compliance(policy jsonb [, calendar jsonb], priority, metric, started,
 * fulfilled): one target of one ticket, evaluated by the library against the
 * policy, in business hours of the calendar where the policy says so (a
 * NULL `fulfilled` is a target still running at the transaction's start).
 * The policy and the calendar must be the same on every row of a group:
 * each is read once per group, later rows only compare their bytes.
 */
static Datum sla_step(FunctionCallInfo fcinfo, bool dist)
{
    Datum out = (Datum)0;
    box *b = state_arg(fcinfo, 0, &fam_sla, dist, &out);
    int at = PG_NARGS() == 7 ? 3 : 2; /* the first argument after the configuration */
    if (PG_ARGISNULL(1))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("SLA policy is NULL")));
    Jsonb *jb = PG_GETARG_JSONB_P(1);
    Jsonb *cal = at == 3 && !PG_ARGISNULL(2) ? PG_GETARG_JSONB_P(2) : NULL;
    if (!b) b = box_new(fcinfo, &fam_sla, dist, &out);
    char err[192];
    if (!b->aux) {
        int business = 0;
        b->blob = keep_config(b, jb);
        const char *text = jsonb_text(jb);
        if (ext_policy_from_json(text, strlen(text), &b->alloc, (cxm_sla_policy **)&b->aux,
                                 &business, err, sizeof err) != CXM_OK)
            config_error("SLA policy", err, POLICY_HINT);
        if (cal) {
            b->cal_blob = keep_config(b, cal);
            text = jsonb_text(cal);
            if (ext_calendar_from_json(text, strlen(text), &b->alloc, &b->cal, err, sizeof err) !=
                CXM_OK)
                config_error("business-hours calendar", err, CALENDAR_HINT);
        } else if (business) {
            config_error("SLA policy", "a business-hours target needs a calendar",
                         "sla_compliance(policy, calendar, priority, metric, started, "
                         "fulfilled).");
        }
        if (!b->obj) {
            uint32_t levels;
            check(cxm_sla_policy_levels(b->aux, &levels), "SLA policy");
            check(cxm_sla_new(levels, &b->alloc, (cxm_sla **)&b->obj), "sla_compliance");
        }
    } else if (!same_config(b->blob, jb)) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("sla_compliance: two different policies in one group")));
    } else if (cal ? !same_config(b->cal_blob, cal) : b->cal_blob != NULL) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("sla_compliance: two different calendars in one group")));
    }
    if (PG_ARGISNULL(at) || PG_ARGISNULL(at + 1) || PG_ARGISNULL(at + 2)) return out;
    int32 priority = PG_GETARG_INT32(at);
    text *mt = PG_GETARG_TEXT_PP(at + 1);
    uint32_t metric = sla_metric_of(VARDATA_ANY(mt), (int)VARSIZE_ANY_EXHDR(mt));
    int64_t start = unix_seconds(PG_GETARG_TIMESTAMPTZ(at + 2));
    bool running = PG_ARGISNULL(at + 3);
    int64_t end = unix_seconds(running ? GetCurrentTransactionStartTimestamp()
                                       : PG_GETARG_TIMESTAMPTZ(at + 3));
    if (priority < 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("sla_compliance: priority %d is negative", priority)));
    cxm_sla_outcome o = {.size = sizeof o};
    cxm_status st = cxm_sla_evaluate(b->aux, b->cal, (uint32_t)priority, metric, start, end,
                                     running ? 1u : 0u, NULL, 0, &o);
    if (st == CXM_EMPTY) return out; /* no target for that priority and metric */
    uint32_t levels = 0;
    if (st == CXM_CAPACITY && cxm_sla_policy_levels(b->aux, &levels) == CXM_OK)
        ereport(
            ERROR,
            (errcode(sqlstate_of(st)),
             errmsg("sla_compliance: priority %d is not a level of the policy", priority),
             errdetail("The policy has %u levels, 0 (most urgent) to %u.", levels, levels - 1)));
    check(st, "sla_compliance");
    check(cxm_sla_add_outcome(b->obj, &o), "sla_compliance");
    return out;
}

STEP_FUNCTIONS(sla, sla_step)

/* The columns of sla_result. */
static void put_sla(row *r, uint32_t priority, uint32_t metric, const cxm_sla_result *res, bool v)
{
    put_i4(r, (int32)priority);
    r->null[r->n - 1] = (priority == CXM_SLA_ALL_PRIORITIES);
    put_text(r, ext_sla_metric_names[metric]);
    put_i8(r, res->achieved);
    put_i8(r, res->breached);
    put_i8(r, res->active);
    put_f8(r, res->compliance_pct, !v);
    put_f8(r, res->ci.lower, !v);
    put_f8(r, res->ci.upper, !v);
    put_f8(r, res->lateness_mean, res->breached == 0);
    put_f8(r, res->lateness_max, res->breached == 0);
}

/* One row per metric and priority (then all priorities, NULL) that saw an outcome. */
static Datum sla_array(FunctionCallInfo fcinfo, const box *b, double level)
{
    uint32_t levels;
    check(cxm_sla_levels(b->obj, &levels), "sla_compliance");
    Oid elemtype;
    TupleDesc desc = element_desc(fcinfo, &elemtype);
    Datum *elems = palloc(sizeof(Datum) * CXM_SLA_METRIC_COUNT * (levels + 1));
    int n = 0;
    for (uint32_t m = 0; m < CXM_SLA_METRIC_COUNT; m++) {
        for (uint32_t i = 0; i <= levels; i++) {
            uint32_t p = i < levels ? i : CXM_SLA_ALL_PRIORITIES;
            cxm_sla_result res = {.size = sizeof res};
            bool v = has_value(cxm_sla_result_get(b->obj, p, m, level, &res), "sla_compliance");
            if (res.achieved + res.breached + res.active == 0) continue;
            row r = {.desc = desc, .n = 0};
            put_sla(&r, p, m, &res, v);
            elems[n++] = HeapTupleGetDatum(row_tuple(&r));
        }
    }
    return rows_array(elems, n, elemtype);
}

RESULT_FUNCTIONS(sla, sla_array)

/* ---- the ticket roll-up --------------------------------------------------------------- */

static uint32_t fcr_profile_of(text *t)
{
    const char *s = VARDATA_ANY(t);
    int n = (int)VARSIZE_ANY_EXHDR(t);
    uint32_t p = ext_name_index(ext_fcr_profile_names, CXM_FCR_ZENDESK, s, (size_t)n);
    if (p == 0xFFFFFFFFu)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("unknown FCR profile \"%.*s\"", n, s),
                        errhint("'zendesk' (one-touch) or 'freshdesk' (no customer reply after "
                                "the first contact).")));
    return p;
}

/* Columns of cxm_ticket, in order. */
enum {
    T_CREATED = 1,
    T_FIRST_REPLY,
    T_FIRST_SOLVED,
    T_LAST_SOLVED,
    T_REOPENS,
    T_AGENT_REPLIES,
    T_CUSTOMER_REPLIES,
    T_PRIORITY,
    T_SELF_SERVICE,
    T_CSAT,
    T_CES,
    T_CHANNEL,
    T_TOPIC,
    T_AGENT,
    T_NPS, /* appended with the ticket's whole story */
    T_TRANSFERS,
    T_HANDLE_TIME,
    T_UNRESOLVED
};

static int64_t ticket_time(HeapTupleHeader t, int att)
{
    bool isnull;
    Datum d = GetAttributeByNum(t, (AttrNumber)att, &isnull);
    return isnull ? 0 : unix_seconds(DatumGetTimestampTz(d));
}

static uint32_t ticket_count(HeapTupleHeader t, int att, const char *name)
{
    bool isnull;
    Datum d = GetAttributeByNum(t, (AttrNumber)att, &isnull);
    if (isnull) return 0;
    int32 v = DatumGetInt32(d);
    if (v < 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("ticket_rollup: %s = %d is negative", name, v)));
    return (uint32_t)v;
}

/* A group id column: NULL is "no group" (the ticket counts in the others only). */
static uint32_t ticket_id(HeapTupleHeader t, int att, const char *name)
{
    bool isnull;
    (void)GetAttributeByNum(t, (AttrNumber)att, &isnull);
    return isnull ? CXM_ROLLUP_NONE : ticket_count(t, att, name);
}

#define ROLLUP_OPTIONS_HINT                                                                        \
    "Options are {\"channels\": 8, \"topics\": 32, \"priorities\": 4, \"agents\": 100}: ids "      \
    "0 .. n - 1 per group kind; for cells of two dimensions \"crosses\": [[\"channel\", "          \
    "\"priority\"]]; for SLA figures per group add \"sla\": <policy>, \"as_of\": "                 \
    "<Unix seconds> and, for business-hours targets, \"calendar\": <calendar>."

/*
 * Reads the roll-up options of a row into `o` (the policy in *policy, for
 * the caller to free once the roll-up copied it); the calendar and the
 * options' bytes stay with the state.
 */
static void rollup_options(box *b, Jsonb *opt, cxm_rollup_options *o, cxm_sla_policy **policy)
{
    char err[192];
    const char *text = jsonb_text(opt);
    b->blob = keep_config(b, opt);
    if (ext_rollup_options_from_json(text, strlen(text), &b->alloc, o, policy, &b->cal, err,
                                     sizeof err) != CXM_OK)
        config_error("ticket_rollup options", err, ROLLUP_OPTIONS_HINT);
}

/*
 * ticket_rollup(ticket cxm_ticket, fcr_profile [, options jsonb]): one
 * ticket into the overall group and its channel's, topic's and priority's.
 */
static Datum rollup_step(FunctionCallInfo fcinfo, bool dist)
{
    Datum out = (Datum)0;
    box *b = state_arg(fcinfo, 0, &fam_rollup, dist, &out);
    if (PG_ARGISNULL(2))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("FCR profile is NULL")));
    uint32_t profile = fcr_profile_of(PG_GETARG_TEXT_PP(2));
    Jsonb *opt = PG_NARGS() > 3 && !PG_ARGISNULL(3) ? PG_GETARG_JSONB_P(3) : NULL;
    if (!b) {
        b = box_new(fcinfo, &fam_rollup, dist, &out);
        cxm_rollup_options o = {.size = sizeof o, .times = EXT_ROLLUP_TIMES};
        cxm_sla_policy *policy = NULL;
        if (opt) rollup_options(b, opt, &o, &policy);
        cxm_status st = cxm_rollup_new(profile, &o, &b->alloc, (cxm_rollup **)&b->obj);
        cxm_sla_policy_free(policy);
        check(st, "ticket_rollup");
    } else if (opt && !b->blob && b->obj) {
        /* A state decoded from bytes: its capacities must be the ones this row asks for. */
        cxm_rollup_options want = {.size = sizeof want}, have = {.size = sizeof have};
        cxm_sla_policy *policy = NULL;
        uint32_t p;
        rollup_options(b, opt, &want, &policy);
        cxm_sla_policy_free(policy);
        check(cxm_rollup_config(b->obj, &p, &have), "ticket_rollup");
        if (want.channels != have.channels || want.topics != have.topics ||
            want.agents != have.agents || want.open != have.open ||
            want.agent_kind != have.agent_kind || want.crosses != have.crosses ||
            memcmp(want.cross, have.cross, sizeof want.cross) != 0 ||
            (want.priorities ? want.priorities : 4) != have.priorities)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("ticket_rollup: the options differ from the state's")));
        if (b->cal) check(cxm_rollup_attach_calendar(b->obj, b->cal), "ticket_rollup");
    } else if (opt ? !same_config(b->blob, opt) : b->blob != NULL) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("ticket_rollup: two different option sets in one group")));
    }
    if (!b->cfg_known) {
        cxm_rollup_options o = {.size = sizeof o};
        uint32_t have;
        check(cxm_rollup_config(b->obj, &have, &o), "ticket_rollup");
        b->cfg[0] = (int32)have;
        b->cfg_known = true;
    }
    if ((uint32_t)b->cfg[0] != profile)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("ticket_rollup: two FCR profiles in one group"),
                        errdetail("%s.", cxm_status_str(CXM_KIND_MISMATCH))));
    if (PG_ARGISNULL(1)) return out;
    HeapTupleHeader t = PG_GETARG_HEAPTUPLEHEADER(1);
    bool isnull;
    cxm_ticket k = {.size = sizeof k};
    k.created = ticket_time(t, T_CREATED);
    (void)GetAttributeByNum(t, T_CREATED, &isnull);
    if (isnull) /* the library would only say "out of range" */
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("ticket_rollup: ticket refused: its created time is NULL"),
                        errhint("Every ticket has a creation time; NULL is for the times it "
                                "has not reached yet.")));
    k.first_reply = ticket_time(t, T_FIRST_REPLY);
    k.first_solved = ticket_time(t, T_FIRST_SOLVED);
    k.last_solved = ticket_time(t, T_LAST_SOLVED);
    k.reopens = ticket_count(t, T_REOPENS, "reopens");
    k.agent_replies = ticket_count(t, T_AGENT_REPLIES, "agent_replies");
    k.customer_replies = ticket_count(t, T_CUSTOMER_REPLIES, "customer_replies");
    k.priority = ticket_id(t, T_PRIORITY, "priority");
    k.channel = ticket_id(t, T_CHANNEL, "channel");
    k.topic = ticket_id(t, T_TOPIC, "topic");
    k.agent = ticket_id(t, T_AGENT, "agent");
    Datum d = GetAttributeByNum(t, T_SELF_SERVICE, &isnull);
    if (!isnull && DatumGetBool(d)) k.flags |= CXM_TICKET_SELF_SERVICE;
    d = GetAttributeByNum(t, T_CSAT, &isnull);
    if (!isnull) {
        k.flags |= CXM_TICKET_HAS_CSAT;
        k.csat = DatumGetInt32(d);
    }
    d = GetAttributeByNum(t, T_CES, &isnull);
    if (!isnull) {
        k.flags |= CXM_TICKET_HAS_CES;
        k.ces = DatumGetInt32(d);
    }
    d = GetAttributeByNum(t, T_NPS, &isnull);
    int32 nps = isnull ? 0 : DatumGetInt32(d);
    bool has_nps = !isnull;
    d = GetAttributeByNum(t, T_HANDLE_TIME, &isnull);
    double handle = isnull ? 0.0 : DatumGetFloat8(d);
    d = GetAttributeByNum(t, T_UNRESOLVED, &isnull);
    ext_ticket_story(&k, has_nps, nps, ticket_count(t, T_TRANSFERS, "transfers"), handle,
                     !isnull && DatumGetBool(d));
    uint32_t field = CXM_TICKET_FIELD_NONE;
    cxm_status st = cxm_rollup_add(b->obj, &k, &field);
    if (st == CXM_CAPACITY && field == CXM_TICKET_FIELD_NONE)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg(EXT_ROLLUP_FULL),
                        errhint("Raise \"open\" or \"memory_budget\" in the options.")));
    if (st != CXM_OK)
        ereport(ERROR, (errcode(sqlstate_of(st)),
                        errmsg("ticket_rollup: ticket refused: %s", cxm_status_str(st)),
                        errdetail("The field at fault is %s.", cxm_ticket_field_str(field))));
    return out;
}

STEP_FUNCTIONS(rollup, rollup_step)

static void put_time(row *r, const cxm_rollup *ru, uint32_t group, uint32_t id, uint32_t time)
{
    cxm_rollup_time_result t = {.size = sizeof t};
    /* A state stored before handle time was kept has none: NULL, not an error. */
    bool v = ext_rollup_keeps(ru, time) &&
             has_value(cxm_rollup_time_get(ru, group, id, time, &t), "ticket_rollup");
    put_f8(r, t.mean, !v);
    put_f8(r, t.median, !v);
    put_f8(r, t.p90, !v);
}

/* The figures of one group of the roll-up (the overall group: every ticket). */
static Datum rollup_group_row(FunctionCallInfo fcinfo, const cxm_rollup *ru, uint32_t group,
                              uint32_t id, double level)
{
    cxm_rollup_result res = {.size = sizeof res};
    (void)has_value(cxm_rollup_result_get(ru, group, id, level, &res), "ticket_rollup");
    cxm_csat_result cs = {.size = sizeof cs};
    bool csv = has_value(cxm_rollup_csat_get(ru, group, id, level, &cs), "ticket_rollup");
    cxm_ces_result ce = {.size = sizeof ce};
    bool cev = has_value(cxm_rollup_ces_get(ru, group, id, level, &ce), "ticket_rollup");
    cxm_nps_result np = {.size = sizeof np};
    bool npv = has_value(cxm_rollup_nps_get(ru, group, id, level, CXM_NPS_ADJUSTED_WALD, &np),
                         "ticket_rollup");
    row r;
    row_begin(fcinfo, &r);
    put_i8(&r, res.tickets);
    put_i8(&r, res.solved);
    put_i8(&r, res.open);
    put_i8(&r, res.reopened);
    put_f8(&r, res.fcr.rate, !res.has_fcr);
    put_f8(&r, res.fcr.ci.lower, !res.has_fcr);
    put_f8(&r, res.fcr.ci.upper, !res.has_fcr);
    put_f8(&r, res.reopen.rate, !res.has_reopen);
    put_f8(&r, res.deflection.rate, !res.has_deflection);
    put_f8(&r, cs.mean, !csv);
    put_f8(&r, cs.satisfied_pct, !csv);
    put_f8(&r, ce.mean, !cev);
    put_time(&r, ru, group, id, CXM_ROLLUP_FIRST_REPLY);
    put_time(&r, ru, group, id, CXM_ROLLUP_FULL_RESOLUTION);
    put_text(&r, cxm_fcr_profile_str(res.fcr_profile));
    put_i8(&r, res.unresolved);
    put_f8(&r, res.unresolved_share.rate, !res.has_unresolved_share);
    put_i8(&r, res.transferred);
    put_f8(&r, res.transfer_rate.rate, !res.has_transfer_rate);
    put_f8(&r, np.nps, !npv);
    put_time(&r, ru, group, id, CXM_ROLLUP_HANDLE_TIME);
    return row_end(&r);
}

static Datum rollup_row(FunctionCallInfo fcinfo, const box *b, double level)
{
    return rollup_group_row(fcinfo, b->obj, CXM_ROLLUP_OVERALL, 0, level);
}

RESULT_FUNCTIONS(rollup, rollup_row)

/* A name among `names` (NULL-terminated), or an error listing them. */
static uint32_t name_arg(FunctionCallInfo fcinfo, int argno, const char *const *names,
                         const char *what)
{
    if (PG_ARGISNULL(argno))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s is NULL", what)));
    text *t = PG_GETARG_TEXT_PP(argno);
    uint32_t i = ext_name_index(names, 0, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
    if (i == 0xFFFFFFFFu) {
        StringInfoData all;
        initStringInfo(&all);
        for (int k = 0; names[k]; k++)
            appendStringInfo(&all, "%s%s", k ? ", " : "", names[k]);
        ereport(ERROR,
                (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                 errmsg("unknown %s \"%.*s\"", what, (int)VARSIZE_ANY_EXHDR(t), VARDATA_ANY(t)),
                 errhint("One of %s.", all.data)));
    }
    return i;
}

static uint32_t group_id_arg(FunctionCallInfo fcinfo, int argno)
{
    if (PG_ARGISNULL(argno) || PG_GETARG_INT32(argno) < 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("a roll-up group id is a number from 0")));
    return (uint32_t)PG_GETARG_INT32(argno);
}

/*
 * A per-group reader's arguments: the roll-up state, then (group, id), or
 * for a cell of a cross (dimension, id, dimension, id) with k = 2: the
 * reader's own arguments come two places later.
 */
static const cxm_rollup *group_args(FunctionCallInfo fcinfo, int k, box *tmp, uint32_t *group,
                                    uint32_t *id)
{
    *group = name_arg(fcinfo, 1, ext_rollup_group_names, "roll-up group");
    *id = group_id_arg(fcinfo, 2);
    uint32_t second = k ? name_arg(fcinfo, 3, ext_rollup_group_names, "roll-up group") : 0;
    uint32_t second_id = k ? group_id_arg(fcinfo, 4) : 0;
    const cxm_rollup *ru = state_read(fcinfo, 0, &fam_rollup, tmp)->obj;
    char why[192];
    cxm_status st = ext_rollup_target(ru, group, id, k != 0, second, second_id, why, sizeof why);
    if (st == CXM_INVALID_ARGUMENT)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s", why)));
    check(st, "roll-up group");
    return ru;
}

/*
 * Every per-group reader twice: pgcxm_<name> takes (state, group, id, ...)
 * and pgcxm_<name>_cell (state, dimension, id, dimension, id, ...), the
 * cell of a cross; both run <name>_at with k, the shift of the arguments
 * after the group.
 */
#define GROUP_READER(name)                                                                         \
    static Datum name##_at(FunctionCallInfo fcinfo, int k);                                        \
    SQL_FUNCTION(name, name##_at(fcinfo, 0))                                                       \
    SQL_FUNCTION(name##_cell, name##_at(fcinfo, 2))                                                \
    static Datum name##_at(FunctionCallInfo fcinfo, int k)

/* rollup_group(state, group, id [, level]): the figures of one group. */
GROUP_READER(rollup_group)
{
    box tmp;
    uint32_t group, id;
    const cxm_rollup *ru = group_args(fcinfo, k, &tmp, &group, &id);
    return rollup_group_row(fcinfo, ru, group, id, level_arg(fcinfo, 3 + k));
}

/* rollup_time(state, group, id, time): a time of one group as duration_result. */
GROUP_READER(rollup_time)
{
    box tmp;
    uint32_t group, id;
    const cxm_rollup *ru = group_args(fcinfo, k, &tmp, &group, &id);
    uint32_t time =
        ext_rollup_time_ids[name_arg(fcinfo, 3 + k, ext_rollup_time_names, "roll-up time")];
    cxm_duration_result res = {.size = sizeof res};
    bool v = has_value(cxm_rollup_duration_get(ru, group, id, time, 0.0, &res), "rollup_time");
    return duration_result_row(fcinfo, &res, v);
}

/* rollup_quantile(state, group, id, time, q): any quantile of a time of one group. */
GROUP_READER(rollup_quantile)
{
    box tmp;
    uint32_t group, id;
    const cxm_rollup *ru = group_args(fcinfo, k, &tmp, &group, &id);
    uint32_t time =
        ext_rollup_time_ids[name_arg(fcinfo, 3 + k, ext_rollup_time_names, "roll-up time")];
    double v = 0.0;
    if (!has_value(cxm_rollup_quantile(ru, group, id, time, PG_GETARG_FLOAT8(4 + k), &v),
                   "rollup_quantile"))
        PG_RETURN_NULL();
    PG_RETURN_FLOAT8(v);
}

/* rollup_csat(state, group, id [, level]) and rollup_ces: the answers of one group. */
#define ROLLUP_SCALE_READER(fam)                                                                   \
    GROUP_READER(rollup_##fam)                                                                     \
    {                                                                                              \
        box tmp;                                                                                   \
        uint32_t group, id;                                                                        \
        const cxm_rollup *ru = group_args(fcinfo, k, &tmp, &group, &id);                           \
        double level = level_arg(fcinfo, 3 + k);                                                   \
        cxm_##fam##_result res = {.size = sizeof res};                                             \
        bool v = has_value(cxm_rollup_##fam##_get(ru, group, id, level, &res), "rollup_" #fam);    \
        return fam##_result_row(fcinfo, &res, v, level);                                           \
    }

ROLLUP_SCALE_READER(csat)
ROLLUP_SCALE_READER(ces)

/*
 * rollup_sla(state, group, id, metric [, level]): first reply or total
 * resolution of one group, under the policy of the roll-up's options.
 */
GROUP_READER(rollup_sla)
{
    box tmp;
    uint32_t group, id;
    const cxm_rollup *ru = group_args(fcinfo, k, &tmp, &group, &id);
    uint32_t metric = name_arg(fcinfo, 3 + k, ext_sla_metric_names, "SLA metric");
    cxm_sla_result res = {.size = sizeof res};
    cxm_status st = cxm_rollup_sla_get(ru, group, id, metric, level_arg(fcinfo, 4 + k), &res);
    if (st == CXM_INVALID_ARGUMENT)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("rollup_sla: this roll-up has no SLA policy"),
                        errhint("Give one in the options: ticket_rollup_state(ticket, profile, "
                                "'{\"sla\": {...}, \"as_of\": <Unix seconds>}').")));
    if (st == CXM_OUT_OF_RANGE && metric != CXM_SLA_FIRST_REPLY &&
        metric != CXM_SLA_TOTAL_RESOLUTION)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("rollup_sla: a roll-up keeps first_reply and total_resolution")));
    bool v = has_value(st, "rollup_sla");
    row r;
    row_begin(fcinfo, &r);
    put_sla(&r, res.priority, metric, &res, v);
    return row_end(&r);
}

/* rollup_nps(state, group, id [, level]): the transactional NPS of one group, with its interval. */
GROUP_READER(rollup_nps)
{
    box tmp;
    uint32_t group, id;
    const cxm_rollup *ru = group_args(fcinfo, k, &tmp, &group, &id);
    double level = level_arg(fcinfo, 3 + k);
    cxm_nps_result res = {.size = sizeof res};
    bool v = has_value(cxm_rollup_nps_get(ru, group, id, level, CXM_NPS_ADJUSTED_WALD, &res),
                       "rollup_nps");
    return nps_result_row(fcinfo, &res, v, level);
}

/*
 * rollup_rate(state, group, id, rate [, level]): one rate of one group with
 * its Wilson interval: fcr, reopen, deflection, unresolved (share of the
 * closed tickets closed without a resolution) or transfer (share of the
 * tickets transferred at least once).
 */
GROUP_READER(rollup_rate)
{
    box tmp;
    uint32_t group, id;
    const cxm_rollup *ru = group_args(fcinfo, k, &tmp, &group, &id);
    uint32_t which = name_arg(fcinfo, 3 + k, ext_rollup_rate_names, "roll-up rate");
    double level = level_arg(fcinfo, 4 + k);
    cxm_rollup_result res = {.size = sizeof res};
    (void)has_value(cxm_rollup_result_get(ru, group, id, level, &res), "rollup_rate");
    int v;
    const cxm_rate_result *rate = ext_rollup_rate(&res, which, &v);
    return rate_result_row(fcinfo, rate, v != 0, level);
}

static void put_f8_array(row *r, const double *v, int n, bool null)
{
    Datum *d = palloc(sizeof(Datum) * (n > 0 ? n : 1));
    for (int i = 0; i < n; i++)
        d[i] = Float8GetDatum(v[i]);
    r->v[r->n] = null ? (Datum)0
                      : PointerGetDatum(construct_array(d, n, FLOAT8OID, sizeof(float8),
                                                        FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
    r->null[r->n++] = null;
}

/*
 * rollup_survival(state, group, id, as_of [, times float8[] [, level]]): the
 * group's resolution time with its open tickets censored at as_of (Kaplan-
 * Meier), next to the closed-only mean and median; survival[i] is the share
 * of tickets not resolved times[i] seconds after creation. Needs the
 * open-ticket index ("open" in the options).
 */
GROUP_READER(rollup_survival)
{
    box tmp;
    uint32_t group, id;
    const cxm_rollup *ru = group_args(fcinfo, k, &tmp, &group, &id);
    int64_t as_of = unix_seconds(PG_GETARG_TIMESTAMPTZ(3 + k));
    Datum *elems = NULL;
    bool *nulls = NULL;
    int n = 0;
    if (PG_NARGS() > 4 + k)
        deconstruct_array(PG_GETARG_ARRAYTYPE_P(4 + k), FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
                          TYPALIGN_DOUBLE, &elems, &nulls, &n);
    double *times = palloc(sizeof(double) * (n > 0 ? n : 1));
    double *surv = palloc(sizeof(double) * (n > 0 ? n : 1));
    for (int i = 0; i < n; i++) {
        if (nulls[i])
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                            errmsg("rollup_survival: a time is NULL")));
        times[i] = DatumGetFloat8(elems[i]);
    }
    double level = level_arg(fcinfo, 5 + k);
    cxm_survival_result res = {.size = sizeof res};
    cxm_status st =
        cxm_rollup_survival_get_at(ru, group, id, as_of, level, times, surv, (size_t)n, &res);
    if (st == CXM_INVALID_ARGUMENT)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("rollup_survival: this roll-up keeps no open-ticket index"),
                        errhint("Give its capacity in the options: '{\"open\": 10000}' (tickets "
                                "open at once).")));
    if (st == CXM_BAD_ORDER)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("rollup_survival: as_of is before the creation of an open ticket")));
    bool v = has_value(st, "rollup_survival");
    row r;
    row_begin(fcinfo, &r);
    put_i8(&r, res.n);
    put_i8(&r, res.resolved);
    put_i8(&r, res.open);
    put_f8(&r, res.median, !v || !res.median_reached);
    put_f8(&r, res.median_ci.lower, !v || !res.ci_lower_reached);
    put_f8(&r, res.median_ci.upper, !v || !res.ci_upper_reached);
    put_f8(&r, res.survival_end, !v);
    put_f8(&r, res.closed_mean, !v || !res.has_closed);
    put_f8(&r, res.closed_median, !v || !res.has_closed);
    put_f8(&r, res.open_share, !v);
    put_f8(&r, res.oldest_open, !v || !res.has_oldest_open);
    put_f8_array(&r, surv, n, !v);
    put_f8(&r, level > 0 ? level : CXM_DEFAULT_LEVEL, false);
    return row_end(&r);
}

/* rollup_agent(state, agent): tickets assigned to one agent, and of those solved now. */
PG_FUNCTION_INFO_V1(pgcxm_rollup_agent);
Datum pgcxm_rollup_agent(PG_FUNCTION_ARGS)
{
    box tmp;
    const box *b = state_read(fcinfo, 0, &fam_rollup, &tmp);
    if (PG_GETARG_INT32(1) < 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("an agent id is a number from 0")));
    cxm_rollup_agent_result res = {.size = sizeof res};
    (void)has_value(cxm_rollup_agent_get(b->obj, (uint32_t)PG_GETARG_INT32(1), &res),
                    "rollup_agent");
    row r;
    row_begin(fcinfo, &r);
    put_i4(&r, PG_GETARG_INT32(1));
    put_i8(&r, res.tickets);
    put_i8(&r, res.solved);
    return row_end(&r);
}

/* ---- customer churn ------------------------------------------------------------------- */

/*
 * customer_churn(at_start, at_end, cancelled, returning, due, renewed,
 * mrr_start, mrr_end): one customer's period (MRR in minor units; NULL = 0).
 */
static Datum churn_step(FunctionCallInfo fcinfo, bool dist)
{
    Datum out = (Datum)0;
    box *b = state_arg(fcinfo, 0, &fam_churn, dist, &out);
    if (!b) {
        b = box_new(fcinfo, &fam_churn, dist, &out);
        check(cxm_churn_new(0, &b->alloc, (cxm_churn **)&b->obj), "customer_churn");
    }
    static const uint32_t flag[6] = {CXM_CHURN_AT_START,  CXM_CHURN_AT_END, CXM_CHURN_CANCELLED,
                                     CXM_CHURN_RETURNING, CXM_CHURN_DUE,    CXM_CHURN_RENEWED};
    cxm_churn_customer c = {.size = sizeof c};
    for (int i = 0; i < 6; i++)
        if (!PG_ARGISNULL(1 + i) && PG_GETARG_BOOL(1 + i)) c.flags |= flag[i];
    c.mrr_start = PG_ARGISNULL(7) ? 0 : PG_GETARG_INT64(7);
    c.mrr_end = PG_ARGISNULL(8) ? 0 : PG_GETARG_INT64(8);
    check(cxm_churn_add(b->obj, &c), "customer_churn");
    return out;
}

STEP_FUNCTIONS(churn, churn_step)

static Datum churn_row(FunctionCallInfo fcinfo, const box *b, double level)
{
    cxm_churn_customer_result c = {.size = sizeof c};
    bool cv = has_value(cxm_churn_customer_result_get(b->obj, level, &c), "customer_churn");
    cxm_churn_renewal_result rn = {.size = sizeof rn};
    bool rv = has_value(cxm_churn_renewal_result_get(b->obj, level, &rn), "customer_churn");
    cxm_churn_revenue_result m = {.size = sizeof m};
    bool mv = has_value(cxm_churn_revenue_result_get(b->obj, &m), "customer_churn");
    row r;
    row_begin(fcinfo, &r);
    put_f8(&r, c.churn_rate, !cv);
    put_i8(&r, c.customers_start);
    put_i8(&r, c.lost);
    put_i8(&r, c.gained);
    put_i8(&r, c.customers_end);
    put_f8(&r, c.churn_ci.lower, !cv);
    put_f8(&r, c.churn_ci.upper, !cv);
    put_f8(&r, c.retention_rate, !cv);
    put_f8(&r, rn.renewal_rate, !rv);
    put_f8(&r, m.gross_revenue_churn, !mv);
    put_f8(&r, m.net_revenue_retention, !mv);
    return row_end(&r);
}

RESULT_FUNCTIONS(churn, churn_row)

/* ---- period-over-period comparisons ------------------------------------------------ */

static Datum comparison_row(FunctionCallInfo fcinfo, const cxm_comparison *c, const char *what)
{
    row r;
    row_begin(fcinfo, &r);
    put_text(&r, what);
    put_text(&r, c->test == CXM_TEST_WELCH ? "welch" : "proportions");
    put_f8(&r, c->value_a, false);
    put_f8(&r, c->value_b, false);
    put_f8(&r, c->diff, false);
    put_f8(&r, c->ci.lower, false);
    put_f8(&r, c->ci.upper, false);
    put_f8(&r, c->p, false);
    put_bool(&r, c->significant != 0);
    put_f8(&r, c->se, false);
    put_f8(&r, c->statistic, false);
    put_f8(&r, c->df, c->test != CXM_TEST_WELCH);
    put_i8(&r, c->n_a);
    put_i8(&r, c->n_b);
    put_f8(&r, c->ci.level, false);
    return row_end(&r);
}

/* Two states of one family compared by a library test: name(a, b [, level]). */
#define COMPARE_FUNCTION(sqlname, fam, call, what)                                                 \
    PG_FUNCTION_INFO_V1(pgcxm_##sqlname);                                                          \
    Datum pgcxm_##sqlname(PG_FUNCTION_ARGS)                                                        \
    {                                                                                              \
        box ta, tb;                                                                                \
        const box *a = state_read(fcinfo, 0, &fam_##fam, &ta);                                     \
        const box *b = state_read(fcinfo, 1, &fam_##fam, &tb);                                     \
        cxm_comparison c = {.size = sizeof c};                                                     \
        check(call(a->obj, b->obj, level_arg(fcinfo, 2), &c), #sqlname);                           \
        return comparison_row(fcinfo, &c, what);                                                   \
    }

COMPARE_FUNCTION(csat_compare, csat, cxm_csat_compare_mean, "csat mean")
COMPARE_FUNCTION(csat_compare_satisfied, csat, cxm_csat_compare_satisfied, "csat satisfied %")
COMPARE_FUNCTION(ces_compare, ces, cxm_ces_compare_mean, "ces mean")
COMPARE_FUNCTION(ces_compare_easy, ces, cxm_ces_compare_easy, "ces easy %")
COMPARE_FUNCTION(rate_compare, rate, cxm_rate_compare, "rate")
COMPARE_FUNCTION(churn_compare, churn, cxm_churn_compare_churn, "churn rate")
COMPARE_FUNCTION(renewal_compare, churn, cxm_churn_compare_renewal, "renewal rate")

/* sla_compare(a, b, metric [, priority [, level]]): compliance %, NULL priority = all. */
PG_FUNCTION_INFO_V1(pgcxm_sla_compare);
Datum pgcxm_sla_compare(PG_FUNCTION_ARGS)
{
    box ta, tb;
    const box *a = state_read(fcinfo, 0, &fam_sla, &ta);
    const box *b = state_read(fcinfo, 1, &fam_sla, &tb);
    text *mt = PG_GETARG_TEXT_PP(2);
    uint32_t metric = sla_metric_of(VARDATA_ANY(mt), (int)VARSIZE_ANY_EXHDR(mt));
    uint32_t priority = CXM_SLA_ALL_PRIORITIES;
    if (PG_NARGS() > 3 && !PG_ARGISNULL(3)) {
        if (PG_GETARG_INT32(3) < 0)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("sla_compare: priority %d is negative", PG_GETARG_INT32(3))));
        priority = (uint32_t)PG_GETARG_INT32(3);
    }
    cxm_comparison c = {.size = sizeof c};
    check(cxm_sla_compare(a->obj, b->obj, priority, metric, level_arg(fcinfo, 4), &c),
          "sla_compare");
    return comparison_row(fcinfo, &c, "sla compliance %");
}

static Datum share_row(FunctionCallInfo fcinfo, const box *b, double threshold, double level)
{
    cxm_duration_share s = {.size = sizeof s};
    bool v = has_value(cxm_duration_share_within(b->obj, threshold, level, &s), "share_within");
    row r;
    row_begin(fcinfo, &r);
    put_f8(&r, s.share, !v);
    put_i8(&r, s.n);
    put_f8(&r, s.within, !v);
    put_f8(&r, s.ci.lower, !v);
    put_f8(&r, s.ci.upper, !v);
    put_f8(&r, threshold, false);
    return row_end(&r);
}

/* share_within(duration_state, threshold seconds [, level]): "answered within 1 hour". */
PG_FUNCTION_INFO_V1(pgcxm_share_within);
Datum pgcxm_share_within(PG_FUNCTION_ARGS)
{
    box tmp;
    const box *b = state_read(fcinfo, 0, &fam_duration, &tmp);
    return share_row(fcinfo, b, PG_GETARG_FLOAT8(1), level_arg(fcinfo, 2));
}

/*
 * The fast forms with a parameter: duration_quantile(value, q) and
 * duration_share_within(value, threshold). The parameter must be the same
 * on every row of a group; it travels with the state between parallel
 * workers, as 8 bytes ahead of the library's encoding.
 */
static double param_of(const box *b)
{
    double p;
    memcpy(&p, b->cfg, sizeof p);
    return p;
}

static Datum duration_param_step(FunctionCallInfo fcinfo, bool value_is_interval,
                                 bool param_is_interval, const char *what)
{
    Datum out = (Datum)0;
    box *b;
    if (PG_ARGISNULL(2))
        ereport(ERROR,
                (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s: parameter is NULL", what)));
    double p = param_is_interval ? interval_seconds(PG_GETARG_INTERVAL_P(2)) : PG_GETARG_FLOAT8(2);
    if (PG_ARGISNULL(0)) {
        b = duration_box(fcinfo, &out, what);
        memcpy(b->cfg, &p, sizeof p);
        b->cfg_known = true;
    } else {
        b = (box *)PG_GETARG_POINTER(0), out = PG_GETARG_DATUM(0);
        if (param_of(b) != p)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("%s: the parameter changes within a group (%g, then %g)", what,
                                   param_of(b), p)));
    }
    if (PG_ARGISNULL(1)) return out;
    duration_push(b, value_is_interval ? interval_seconds(PG_GETARG_INTERVAL_P(1))
                                       : PG_GETARG_FLOAT8(1));
    return out;
}

SQL_FUNCTION(quantile_step, duration_param_step(fcinfo, false, false, "duration_quantile"))
SQL_FUNCTION(quantile_step_interval, duration_param_step(fcinfo, true, false, "duration_quantile"))
SQL_FUNCTION(share_step, duration_param_step(fcinfo, false, false, "duration_share_within"))
SQL_FUNCTION(share_step_interval, duration_param_step(fcinfo, true, true, "duration_share_within"))

PG_FUNCTION_INFO_V1(pgcxm_param_serialize);
Datum pgcxm_param_serialize(PG_FUNCTION_ARGS)
{
    box *b = (box *)PG_GETARG_POINTER(0);
    box_flush(b);
    size_t len = encoded_len(b);
    bytea *out = palloc(VARHDRSZ + 8 + len);
    memcpy(VARDATA(out), b->cfg, 8);
    check(b->f->encode(b->obj, (uint8_t *)VARDATA(out) + 8, len, &len), "encoding a state");
    SET_VARSIZE(out, VARHDRSZ + 8 + len);
    PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(pgcxm_param_deserialize);
Datum pgcxm_param_deserialize(PG_FUNCTION_ARGS)
{
    bytea *in = PG_GETARG_BYTEA_PP(0);
    size_t len = VARSIZE_ANY_EXHDR(in);
    if (len < 8)
        ereport(ERROR, (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                        errmsg("reading a state: %s", cxm_status_str(CXM_BAD_FORMAT))));
    Datum out;
    box *b = box_new(fcinfo, &fam_duration, false, &out);
    memcpy(b->cfg, VARDATA_ANY(in), 8);
    b->cfg_known = true;
    check(b->f->decode((const uint8_t *)VARDATA_ANY(in) + 8, len - 8, &b->alloc, &b->obj),
          "decoding a state");
    return out;
}

PG_FUNCTION_INFO_V1(pgcxm_quantile_final);
Datum pgcxm_quantile_final(PG_FUNCTION_ARGS)
{
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    box *b = (box *)PG_GETARG_POINTER(0);
    box_flush(b);
    double v = 0.0;
    if (!has_value(cxm_duration_quantile(b->obj, param_of(b), &v), "duration_quantile"))
        PG_RETURN_NULL();
    PG_RETURN_FLOAT8(v);
}

PG_FUNCTION_INFO_V1(pgcxm_share_final);
Datum pgcxm_share_final(PG_FUNCTION_ARGS)
{
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    box *b = (box *)PG_GETARG_POINTER(0);
    box_flush(b);
    return share_row(fcinfo, b, param_of(b), 0.0);
}

/* duration_compare(a, b [, level]): change of the median, distribution-free interval. */
PG_FUNCTION_INFO_V1(pgcxm_duration_compare);
Datum pgcxm_duration_compare(PG_FUNCTION_ARGS)
{
    box ta, tb;
    const box *a = state_read(fcinfo, 0, &fam_duration, &ta);
    const box *b = state_read(fcinfo, 1, &fam_duration, &tb);
    cxm_duration_median_comparison c = {.size = sizeof c};
    check(cxm_duration_compare_median(a->obj, b->obj, level_arg(fcinfo, 2), &c),
          "duration_compare");
    row r;
    row_begin(fcinfo, &r);
    put_f8(&r, c.median_a, false);
    put_f8(&r, c.median_b, false);
    put_f8(&r, c.diff, false);
    put_f8(&r, c.ci.lower, false);
    put_f8(&r, c.ci.upper, false);
    put_bool(&r, c.significant != 0);
    put_i8(&r, c.n_a);
    put_i8(&r, c.n_b);
    put_f8(&r, c.ci.level, false);
    return row_end(&r);
}
