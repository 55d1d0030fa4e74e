"""What every cxm object shares: ownership of the C handle and the common verbs.

An object owns exactly one C handle. It is freed once, by whichever comes
first: close(), the end of a `with` block, or garbage collection (a
weakref.finalize, which also runs at interpreter exit). After close() every
call raises ClosedError instead of reaching the library with a dangling
pointer.
"""
import contextlib
import ctypes as C
import datetime as _dt
import math
import operator
import weakref

from . import _lib as L
from ._lib import check, error, lib
from ._types import convert

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


class ClosedError(ValueError):
    """The object was closed (freed); it cannot be used any more."""


def _free(fn, handle):
    fn(handle)


class Handle:
    """Base of every class that owns a C object (`_prefix` names its family)."""

    _prefix = None  # e.g. "cxm_nps"
    __slots__ = ("_h", "_p", "_fin", "__weakref__", "_keep")

    @classmethod
    def _fn(cls, verb):
        return getattr(lib, f"{cls._prefix}_{verb}")

    def _adopt(self, handle, keep=None):
        self._h = handle
        # The handle for the argtype-free fast calls: a ready-made pointer
        # argument (what byref returns), which ctypes passes without
        # building a new argument object on every call.
        self._p = C.byref(C.c_char.from_address(handle))
        self._keep = keep  # Python objects the C object borrows (a calendar)
        self._fin = weakref.finalize(self, _free, self._fn("free"), handle)

    def _new_into(self, fn, *args, keep=None, context="create"):
        out = C.c_void_p()
        check(fn(*args, C.byref(out)), f"{type(self).__name__}: {context}")
        self._adopt(out.value, keep)

    @classmethod
    def _wrap(cls, handle, keep=None):
        obj = cls.__new__(cls)
        obj._adopt(handle, keep)
        return obj

    @property
    def closed(self):
        return self._h is None

    def close(self):
        """Frees the C object now (idempotent)."""
        if getattr(self, "_h", None) is not None:
            self._h = None
            self._p = None  # NULL: the library refuses it, no dangling pointer
            self._fin()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _handle(self):
        h = self._h
        if h is None:
            raise ClosedError(f"{type(self).__name__} is closed")
        return h

    def _fail(self, status, context, bad_index=None, bad_field=None, result=None):
        # Called only once a call failed: a closed object reached the library
        # as NULL, which it refuses; say what really happened.
        self._handle()
        raise error(status, f"{type(self).__name__}.{context}", bad_index, bad_field, result)

    def _get(self, fn, struct, cls, what, *args):
        """Runs a result call into a new `struct`; CXM_EMPTY gives `cls` with
        its statistics None (the counts the library filled in stay)."""
        raw = struct()
        st = fn(self._handle(), *args, C.byref(raw))
        if st and st != 5:
            self._fail(st, what)
        return convert(cls, raw, empty=st == 5)

    def _value(self, fn, what, *args, ctype=C.c_double):
        """Runs a call with one scalar out-parameter; CXM_EMPTY gives None."""
        out = ctype()
        st = fn(self._handle(), *args, C.byref(out))
        if st == 5:
            return None
        if st:
            self._fail(st, what)
        return out.value

    def _batch(self, fn, what, *columns):
        """Runs a batch call fn(handle, address..., count, &bad) over parallel
        buffers; each column is (data, kind, name[, record size])."""
        from ._buffers import borrow
        bad = C.c_size_t(0)
        if len(columns) == 1:  # the common case, without the ExitStack
            data, kind, name, *size = columns[0]
            with borrow(data, kind, f"{type(self).__name__}.{what} {name}", *size) as v:
                n = v.count
                st = fn(self._h, v.address, n, C.byref(bad))
            if st:
                self._fail(st, what, bad.value if bad.value < n else None)
            return self
        with contextlib.ExitStack() as stack:
            views = [stack.enter_context(borrow(c[0], c[1], f"{type(self).__name__}.{what} "
                                                f"{c[2]}", *c[3:])) for c in columns]
            n = views[0].count
            if any(v.count != n for v in views):
                raise ValueError(f"{type(self).__name__}.{what}: buffers of different lengths: " +
                                 ", ".join(f"{c[2]} {v.count}" for c, v in zip(columns, views)))
            st = fn(self._h, *(v.address for v in views), n, C.byref(bad))
        if st:
            self._fail(st, what, bad.value if bad.value < n else None)
        return self

    def clone(self):
        """An independent copy."""
        out = C.c_void_p()
        st = self._fn("clone")(self._handle(), None, C.byref(out))
        if st:
            self._fail(st, "clone")
        return type(self)._wrap(out.value, self._keep)

    __copy__ = clone

    def __deepcopy__(self, memo):
        return self.clone()


class Encodable(Handle):
    """An object with encode/decode: to_bytes(), from_bytes() and pickle."""

    __slots__ = ()

    def to_bytes(self):
        """The library's portable encoding (checksummed, versioned)."""
        h = self._handle()
        enc = self._fn("encode")
        need = C.c_size_t(0)
        enc(h, None, 0, C.byref(need))
        buf = (C.c_uint8 * need.value)()
        st = enc(h, buf, need.value, C.byref(need))
        if st:
            self._fail(st, "to_bytes")
        return bytes(buf)

    @classmethod
    def from_bytes(cls, data):
        """Decodes bytes from to_bytes() (of this class); every field is checked."""
        with _bytes_of(data) as b:
            out = C.c_void_p()
            st = cls._fn("decode")(b.address, b.count, None, C.byref(out))
        if st:
            raise error(st, f"{cls.__name__}.from_bytes")
        return cls._wrap(out.value)

    def __reduce__(self):
        return (type(self).from_bytes, (self.to_bytes(),))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self.to_bytes() == other.to_bytes()

    __hash__ = None


class Accumulator(Encodable):
    """An accumulator: merge (+, +=), reset, plus the encoding."""

    __slots__ = ()

    def merge(self, *others):
        """Adds everything of each other accumulator into this one (all or nothing each)."""
        h = self._handle()
        fn = self._fn("merge")
        for o in others:
            if type(o) is not type(self):
                raise TypeError(f"cannot merge {type(o).__name__} into {type(self).__name__}")
            st = fn(h, o._handle())
            if st:
                self._fail(st, "merge")
        return self

    def __iadd__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self.merge(other)

    def __add__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        out = self.clone()
        try:
            return out.merge(other)
        except BaseException:
            out.close()
            raise

    def reset(self):
        """Empties the accumulator; its configuration stays."""
        st = self._fn("reset")(self._handle())
        if st:
            self._fail(st, "reset")
        return self


def _bytes_of(data):
    from ._buffers import borrow
    return borrow(data, "uint8", "encoded bytes")


def declare_verbs(prefix, merge=True, encode=True, reset=True):
    """Declares the C signatures of a family's common verbs."""
    vp, sz, szp = C.c_void_p, C.c_size_t, C.POINTER(C.c_size_t)
    L.sig(f"{prefix}_free", None, vp)
    L.status_fn(f"{prefix}_clone", vp, vp, C.POINTER(vp))
    if merge:
        L.status_fn(f"{prefix}_merge", vp, vp)
    if reset:
        L.status_fn(f"{prefix}_reset", vp)
    if encode:
        L.status_fn(f"{prefix}_encode", vp, vp, sz, szp)
        L.status_fn(f"{prefix}_decode", vp, sz, vp, C.POINTER(vp))


def level_of(level):
    """The level argument: None means the library's default (0 selects it)."""
    return 0.0 if level is None else float(level)


def whole(x, what="argument"):
    """An int from an int (or anything with __index__: numpy integers, enums) or a float with
    no fraction (4.0, as a column with gaps gives it); 4.5, NaN or a str is an error, never
    truncated or parsed."""
    try:
        return operator.index(x)
    except TypeError:
        pass
    if isinstance(x, (str, bytes)) or not hasattr(x, "__float__"):
        raise TypeError(f"{what}: expected a whole number, not {type(x).__name__}: {x!r}")
    f = float(x)
    if not math.isfinite(f) or f != int(f):
        raise ValueError(f"{what}: {x!r} is not a whole number")
    return int(f)


def timestamp(t, what="time"):
    """Unix seconds from an int, an integral float or a datetime (naive = UTC)."""
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=_dt.timezone.utc)
        d = t - _EPOCH
        return d.days * 86400 + d.seconds + (1 if d.microseconds >= 500000 else 0)
    if isinstance(t, _dt.date):
        raise TypeError(f"{what}: a date is not an instant; pass a datetime")
    if isinstance(t, float):
        if not math.isfinite(t) or t != int(t):
            raise ValueError(f"{what}: {t!r} is not a whole number of seconds")
        return int(t)
    if isinstance(t, (str, bytes)):
        raise TypeError(f"{what}: a time is Unix seconds or a datetime, not {type(t).__name__}: "
                        f"{t!r} (datetime.fromisoformat parses ISO text)")
    return whole(t, what)


def seconds(x):
    """Seconds as a float, from a number or a timedelta."""
    ts = getattr(x, "total_seconds", None)
    if ts is not None:
        return float(ts())
    if isinstance(x, (str, bytes)):  # float("5") would parse it
        raise TypeError(f"seconds are a number or a timedelta, not {type(x).__name__}: {x!r}")
    return float(x)


def whole_seconds(x, what="duration"):
    """Whole seconds from an int or a timedelta (int64 arguments)."""
    if isinstance(x, _dt.timedelta):
        return x.days * 86400 + x.seconds + (1 if x.microseconds >= 500000 else 0)
    return timestamp(x, what)


def _fits(lo, hi, name):
    def conv(x, what="argument"):
        v = whole(x, what)
        if not lo <= v <= hi:
            raise error(2, f"{what}: {x!r} does not fit {name}")
        return v
    conv.__name__ = name
    return conv


# ctypes silently truncates integers to the C type; these refuse instead, so
# 2**32 + 1 never becomes 1.
u32 = _fits(0, (1 << 32) - 1, "uint32")
i32 = _fits(-(1 << 31), (1 << 31) - 1, "int32")
u64 = _fits(0, (1 << 64) - 1, "uint64")
i64 = _fits(-(1 << 63), (1 << 63) - 1, "int64")
