"""Finding and loading libcxm, and the errors it reports.

The library is looked for, in order, at the path in the CXM_LIBRARY
environment variable, in the directory pkg-config gives for the `cxm`
package, and through the system loader (ld.so's cache and paths). The error
raised when all three fail names every place that was tried.
"""
import ctypes as C
import os
import shutil
import subprocess

SONAME = "libcxm.so.0"


class LibraryNotFound(ImportError):
    """libcxm could not be loaded from any of the places tried."""


def _pkg_config_libdir():
    exe = shutil.which("pkg-config")
    if not exe:
        return None, "pkg-config: not installed"
    try:
        out = subprocess.run([exe, "--variable=libdir", "cxm"], capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as e:
        return None, f"pkg-config: {e}"
    if out.returncode != 0 or not out.stdout.strip():
        return None, "pkg-config: no package 'cxm' (is PKG_CONFIG_PATH set?)"
    return out.stdout.strip(), None


def _load():
    tried = []
    env = os.environ.get("CXM_LIBRARY")
    if env:
        try:
            return C.CDLL(env), env
        except OSError as e:
            tried.append(f"CXM_LIBRARY={env}: {e}")
    else:
        tried.append("CXM_LIBRARY: not set")
    libdir, why = _pkg_config_libdir()
    if libdir:
        path = os.path.join(libdir, SONAME)
        try:
            return C.CDLL(path), path
        except OSError as e:
            tried.append(f"pkg-config libdir {path}: {e}")
    else:
        tried.append(why)
    try:
        return C.CDLL(SONAME), SONAME
    except OSError as e:
        tried.append(f"system loader {SONAME}: {e}")
    raise LibraryNotFound(
        "cannot load the cxm C library; tried:\n  - " + "\n  - ".join(tried) +
        "\nInstall libcxm (meson install) or set CXM_LIBRARY to the path of " + SONAME)


lib, path = _load()

# A second view of the same loaded library whose functions get no argtypes:
# ctypes then skips its per-argument conversion objects, which is most of the
# cost of a call. Only the scalar adds use it, with a c_void_p handle and an
# int that the caller has range-checked (ctypes would truncate it silently).
fast = C.CDLL(path, handle=lib._handle)

# ---- signatures ---------------------------------------------------------------

u8p = C.POINTER(C.c_uint8)
vp = C.c_void_p
sz = C.c_size_t
szp = C.POINTER(C.c_size_t)
u32 = C.c_uint32
u32p = C.POINTER(C.c_uint32)
i32 = C.c_int32
i64 = C.c_int64
u64 = C.c_uint64
dbl = C.c_double
vpp = C.POINTER(C.c_void_p)


def sig(name, restype, *argtypes):
    """Declares a function of the library and returns it."""
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


def status_fn(name, *argtypes):
    return sig(name, C.c_int, *argtypes)


# The status calls and the helpers every module uses.
sig("cxm_status_str", C.c_char_p, C.c_int)
sig("cxm_status_count", u32)
sig("cxm_version_string", C.c_char_p)
sig("cxm_version_number", u32)
noop = sig("cxm_noop", u32)
sig("cxm_alignment", sz)
sig("cxm_scale_max_score", i32)
sig("cxm_default_level", dbl)
status_fn("cxm_encoded_info", vp, sz, u32p, u32p)


# ---- errors --------------------------------------------------------------------

class CxmError(Exception):
    """A status other than CXM_OK from the library.

    `status` is the numeric cxm_status, `message` the library's own words for
    it; `bad_index` (batch calls) and `bad_field` (tickets) say what was
    refused when the library named it.
    """

    status = None

    def __init__(self, status, context="", bad_index=None, bad_field=None):
        self.status = status
        self.message = lib.cxm_status_str(status).decode()
        self.bad_index = bad_index
        self.bad_field = bad_field
        text = f"{context}: {self.message}" if context else self.message
        if bad_index is not None:
            text += f" (first bad element at index {bad_index})"
        if bad_field is not None:
            text += f" (field {bad_field})"
        super().__init__(f"{text} [status {status}]")


# Status numbers are pinned by the header (cxm/common.h); the messages come
# from the library.
class InvalidArgumentError(CxmError, ValueError):
    status = 1


class OutOfRangeError(CxmError, ValueError):
    status = 2


class OutOfMemoryError(CxmError, MemoryError):
    status = 3


class KindMismatchError(CxmError, ValueError):
    status = 4


class EmptyError(CxmError):
    status = 5


class CountOverflowError(CxmError, OverflowError):
    status = 6


class BufferTooSmallError(CxmError):
    status = 7


class BadFormatError(CxmError, ValueError):
    status = 8


class UnsupportedVersionError(CxmError, ValueError):
    status = 9


class BrandMismatchError(CxmError, ValueError):
    status = 10


class CapacityError(CxmError):
    status = 11


class BadOrderError(CxmError, ValueError):
    status = 12


class BadStateError(CxmError):
    status = 13


class WrongTypeError(CxmError, TypeError):
    status = 14


class ExpiredError(CxmError, ValueError):
    """An event older than a series' horizon: its bucket was retired."""
    status = 15


_ERRORS = {cls.status: cls for cls in (
    InvalidArgumentError, OutOfRangeError, OutOfMemoryError, KindMismatchError, EmptyError,
    CountOverflowError, BufferTooSmallError, BadFormatError, UnsupportedVersionError,
    BrandMismatchError, CapacityError, BadOrderError, BadStateError, WrongTypeError,
    ExpiredError)}


def error(status, context="", bad_index=None, bad_field=None):
    """The exception for a status (a plain CxmError for one this module does not know)."""
    return _ERRORS.get(status, CxmError)(status, context, bad_index, bad_field)


def check(status, context=""):
    if status:
        raise error(status, context)
