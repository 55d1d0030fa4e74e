"""Zero-copy access to any object that exports a buffer.

Batch calls hand the library the address of the caller's memory: bytes,
bytearray, array.array, memoryview, mmap and numpy arrays all export it
through the buffer protocol. The element type is checked against what the C
call reads, and the memory must be C-contiguous: a mismatch raises a
TypeError or ValueError that says what was expected, rather than a silent
conversion that would copy (and allocate) the whole array.

Python lists and tuples are not buffers; they are converted once, which is
a copy by nature and documented as such at each call.
"""
import array
import ctypes as C
import sys

_api = C.pythonapi


class _PyBuffer(C.Structure):
    # Py_buffer as declared in CPython's Include/pybuffer.h (stable since 3.3).
    _fields_ = [("buf", C.c_void_p), ("obj", C.py_object), ("len", C.c_ssize_t),
                ("itemsize", C.c_ssize_t), ("readonly", C.c_int), ("ndim", C.c_int),
                ("format", C.c_char_p), ("shape", C.POINTER(C.c_ssize_t)),
                ("strides", C.POINTER(C.c_ssize_t)), ("suboffsets", C.POINTER(C.c_ssize_t)),
                ("internal", C.c_void_p)]


_get = _api.PyObject_GetBuffer
_get.argtypes = [C.py_object, C.POINTER(_PyBuffer), C.c_int]
_get.restype = C.c_int
_release = _api.PyBuffer_Release
_release.argtypes = [C.POINTER(_PyBuffer)]
_release.restype = None

_PyBUF_SIMPLE = 0

_LITTLE = sys.byteorder == "little"

# Element types the C calls read, as struct-module codes with their size.
# numpy and array.array export native codes; '=' or '<'/'>' prefixes are
# accepted when they denote the native byte order.
KINDS = {
    "uint8": ({"B"}, 1),
    "float64": ({"d"}, 8),
    "uint32": ({"I", "L"}, 4),
    "int64": ({"q", "l"}, 8),
    "record": (None, None),
}


def _norm_format(fmt):
    if fmt and fmt[0] in "@=":
        return fmt[1:]
    if fmt and fmt[0] == ("<" if _LITTLE else ">"):
        return fmt[1:]
    return fmt


class Borrowed:
    """The address and element count of a caller's buffer, held for one call.

    Use as a context manager: the buffer is released (and the exporter may
    resize or free it again) when the block ends.
    """

    __slots__ = ("_view", "_held", "address", "count")

    def __init__(self, obj, kind, what, record=None):
        mv = obj if isinstance(obj, memoryview) else memoryview(obj)
        exporter = mv.obj
        codes, size = KINDS[kind]
        if kind == "record":
            # `record` is the ctypes struct of one record.
            struct, size = record, C.sizeof(record)
            if mv.itemsize != size:
                raise TypeError(f"{what}: expected {struct.__name__} records of {size} bytes, "
                                f"got items of {mv.itemsize} bytes (format {mv.format!r})")
            names = getattr(getattr(exporter, "dtype", None), "names", None)
            if names is not None and list(names) != [f for f, _ in struct._fields_]:
                raise TypeError(f"{what}: the structured dtype's fields {list(names)} are not "
                                f"those of {struct.__name__}; build the array with that dtype")
        else:
            fmt = _norm_format(mv.format)
            if fmt not in codes or mv.itemsize != size:
                dtype = getattr(exporter, "dtype", None)
                got = f"dtype {dtype}" if dtype is not None else f"format {mv.format!r}"
                raise TypeError(
                    f"{what}: expected a buffer of {kind} (format {'/'.join(sorted(codes))}, "
                    f"{size} bytes per item), got {got} with {mv.itemsize} bytes per item; "
                    f"convert it explicitly (e.g. numpy .astype('{kind}'))")
        if mv.ndim > 1:
            raise ValueError(f"{what}: expected a one-dimensional buffer, got {mv.ndim} dimensions")
        if not mv.c_contiguous:
            raise ValueError(f"{what}: the buffer is not contiguous (a strided slice or view); "
                             "pass a contiguous copy, e.g. numpy.ascontiguousarray(x)")
        self.count = mv.nbytes // size
        self._view = _PyBuffer()
        self._held = False
        if _get(mv, C.byref(self._view), _PyBUF_SIMPLE) != 0:
            raise BufferError(f"{what}: the object refused to export its buffer")
        self._held = True
        self.address = self._view.buf

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()

    def release(self):
        if self._held:
            self._held = False
            _release(C.byref(self._view))


def borrow(obj, kind, what, record=None):
    """A Borrowed view of obj; lists, tuples and other iterables are first
    converted (a copy)."""
    if isinstance(obj, (list, tuple, range)):
        obj = _from_sequence(obj, kind, what)
    else:
        try:
            obj = memoryview(obj)
        except TypeError:
            obj = _from_sequence(list(obj), kind, what)
    return Borrowed(obj, kind, what, record)


_ARRAY_CODES = {"uint8": "B", "float64": "d", "uint32": "I", "int64": "q"}


def _from_sequence(seq, kind, what):
    code = _ARRAY_CODES.get(kind)
    if code is None:
        raise TypeError(f"{what}: expected a buffer of records")
    try:
        if kind == "float64":
            seq = [_seconds_of(x) for x in seq]
        elif kind == "uint8":
            seq = [int(x) for x in seq]
        return array.array(code, seq)
    except OverflowError as e:
        # A value that does not fit the C type: the library would refuse it
        # as out of range; say so in its terms.
        from ._lib import error
        raise error(2, f"{what}: a value does not fit {kind} ({e})") from None


def _seconds_of(x):
    ts = getattr(x, "total_seconds", None)
    return float(ts()) if ts is not None else float(x)
