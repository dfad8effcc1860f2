"""Read and write IDX files, the binary format MNIST ships in (chapter 8,
chapters/08_mnist_data.ipynb).

An IDX file is a tiny header followed by the raw array, big-endian, in row-major (C) order::

    byte 0, 1     0x00 0x00                magic: always two zero bytes
    byte 2        element type code        0x08 uint8   0x09 int8    0x0B int16
                                           0x0C int32   0x0D float32 0x0E float64
    byte 3        rank d                   number of dimensions (1 for labels, 3 for images)
    bytes 4..4+4d d sizes                  each a big-endian unsigned 32-bit integer
    then          prod(sizes) elements     each big-endian, last index varying fastest

So MNIST's training images start ``00 00 08 03 | 00 00 EA 60 | 00 00 00 1C | 00 00 00 1C``:
uint8, rank 3, shape (60000, 28, 28), then 47,040,000 pixel bytes. Files are often gzipped;
`read_idx` recognises gzip by its first two bytes (1F 8B), not by the file name.
"""

import contextlib
import gzip as _gzip
import hashlib
import io
import os
import zlib
from pathlib import Path

import numpy as np

from ..io import atomic_write

#: IDX type code -> big-endian numpy dtype.
IDX_DTYPES = {
    0x08: np.dtype(">u1"), 0x09: np.dtype(">i1"), 0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8"),
}
GZIP_MAGIC = b"\x1f\x8b"
MAX_RANK = 64  # numpy's limit on the number of dimensions (numpy >= 2)
MAX_BYTES = 1 << 31  # refuse to read payloads above 2 GiB unless asked (gzip bombs)
_CHUNK = 1 << 20


class ChecksumError(ValueError):
    """The decompressed bytes of an IDX file do not have the expected SHA-256."""

    def __init__(self, name, expected, actual):
        self.name, self.expected, self.actual = name, expected, actual
        super().__init__(f"{name}: SHA-256 of the decompressed contents is {actual}, "
                         f"expected {expected}")


def read_idx(source, *, expected_sha256=None, name=None, max_bytes=MAX_BYTES):
    """Read an IDX file (raw or gzipped) into a numpy array in native byte order.

    `source` is a path or the file's bytes. Returns an array with the declared shape,
    e.g. (60000, 28, 28) uint8 for MNIST training images. If `expected_sha256` is given,
    the SHA-256 of the decompressed bytes must match it (else `ChecksumError`, a ValueError).
    Any bad content (wrong magic, unknown type, truncated or oversized payload, broken gzip)
    raises ValueError naming the file and the byte counts. A raw file's size is checked
    before its payload is read; from gzip, a declared payload above `max_bytes` is refused
    and never more than the declared size + 1 is decompressed (a gzip bomb is harmless).
    `name` labels messages for bytes.
    See chapter 8.
    """
    if name is None:
        name = str(source) if isinstance(source, (str, os.PathLike)) else "<bytes>"
    digest = hashlib.sha256()
    with contextlib.ExitStack() as stack:
        stream, raw_size = _open_source(source, stack)
        try:
            dtype, shape, header_size = _read_header(stream, name, digest)
            if raw_size is None:
                _check_limit(name, shape, dtype, max_bytes)
            payload = _read_payload(stream, dtype, shape, header_size, raw_size, name, digest)
        except (OSError, EOFError, zlib.error) as err:
            if raw_size is not None:  # a real I/O error on a raw file: not a content problem
                raise
            raise ValueError(f"{name}: corrupt gzip data ({type(err).__name__}: {err})") from err
    if expected_sha256 is not None and digest.hexdigest() != expected_sha256.lower():
        raise ChecksumError(name, expected_sha256.lower(), digest.hexdigest())
    return _to_array(payload, dtype, shape, name)


def _open_source(source, stack):
    """Return (stream of the decompressed bytes, size of a raw source or None if gzipped)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        stream = stack.enter_context(io.BytesIO(source))
    elif isinstance(source, (str, os.PathLike)):
        stream = stack.enter_context(open(source, "rb"))  # missing: FileNotFoundError
    else:
        raise TypeError(f"read_idx needs a path or bytes, got {type(source).__name__}")
    is_gzip = stream.read(2) == GZIP_MAGIC
    size = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    if not is_gzip:
        return stream, size
    return stack.enter_context(_gzip.GzipFile(fileobj=stream, mode="rb")), None


def _read_exact(stream, n, name, what, digest):
    data = stream.read(n)
    if len(data) != n:
        raise ValueError(f"{name}: truncated {what}: expected {n} bytes, got {len(data)}")
    digest.update(data)
    return data


def _read_header(stream, name, digest):
    """Parse and check the 4-byte prefix and the sizes; return (dtype, shape, header bytes)."""
    zero0, zero1, code, rank = _read_exact(stream, 4, name, "header", digest)
    if zero0 or zero1:
        raise ValueError(f"{name}: not an IDX file: expected magic bytes 00 00, "
                         f"got {zero0:02X} {zero1:02X}")
    if code not in IDX_DTYPES:
        known = ", ".join(f"0x{c:02X}" for c in IDX_DTYPES)
        raise ValueError(f"{name}: unknown IDX type code 0x{code:02X} (expected one of {known})")
    if not 1 <= rank <= MAX_RANK:
        raise ValueError(f"{name}: IDX rank must be 1..{MAX_RANK}, got {rank}")
    sizes = _read_exact(stream, 4 * rank, name, f"header (rank {rank} sizes)", digest)
    shape = tuple(int.from_bytes(sizes[i:i + 4], "big") for i in range(0, 4 * rank, 4))
    return IDX_DTYPES[code], shape, 4 + 4 * rank


def _read_payload(stream, dtype, shape, header_size, raw_size, name, digest):
    """Read exactly the declared payload; never hold more than expected + 1 bytes."""
    expected = dtype.itemsize * _product(shape)
    if raw_size is not None:  # raw file: its size is known, so check before allocating
        if raw_size - header_size != expected:
            _size_error(name, shape, dtype, expected, raw_size - header_size, exact=True)
        payload = bytearray(expected)
        got = stream.readinto(payload)
    else:  # gzip: the decompressed size is unknown until read, so read bounded chunks
        payload = bytearray()
        while len(payload) <= expected:
            chunk = stream.read(min(_CHUNK, expected + 1 - len(payload)))
            if not chunk:
                break
            payload += chunk
        got = len(payload)
    if got != expected:
        _size_error(name, shape, dtype, expected, got, exact=got < expected)
    digest.update(payload)
    return payload


def _check_limit(name, shape, dtype, max_bytes):
    expected = dtype.itemsize * _product(shape)
    if expected > max_bytes:
        raise ValueError(f"{name}: declared shape {shape} of {dtype.itemsize}-byte elements "
                         f"needs {expected} payload bytes, more than max_bytes={max_bytes}; "
                         f"the header is corrupt (or pass a larger max_bytes)")


def _size_error(name, shape, dtype, expected, got, exact):
    got_text = f"{got}" if exact else f"at least {got}"
    raise ValueError(f"{name}: declared shape {shape} of {dtype.itemsize}-byte elements needs "
                     f"{expected} payload bytes after the header, got {got_text}")


def _product(shape):
    total = 1
    for size in shape:
        total *= size
    return total


def _to_array(payload, dtype, shape, name):
    try:
        array = np.frombuffer(payload, dtype=dtype).reshape(shape)
    except ValueError as err:  # e.g. (0, 2**32-1, 2**32-1, ...) overflows numpy's size
        raise ValueError(f"{name}: declared shape {shape} is not a valid numpy shape: {err}") \
            from err
    if dtype.itemsize == 1:
        return array  # one byte per element: no byte order, no copy
    return array.astype(dtype.newbyteorder("="))


def encode_idx(array, gzip=False):
    """The IDX bytes of `array` (uint8, int8, int16, int32, float32 or float64; rank >= 1)."""
    array = np.asarray(array)
    codes = {dt.newbyteorder("="): code for code, dt in IDX_DTYPES.items()}
    native = array.dtype.newbyteorder("=")
    if native not in codes:
        raise ValueError(f"IDX has no element type for {array.dtype}; expected one of "
                         f"{', '.join(str(dt) for dt in codes)} (cast the array first)")
    if not 1 <= array.ndim <= 255 or any(size >= 2**32 for size in array.shape):
        raise ValueError(f"IDX needs rank 1..255 and sizes < 2**32, got shape {array.shape}")
    header = bytes([0, 0, codes[native], array.ndim])
    header += b"".join(size.to_bytes(4, "big") for size in array.shape)
    data = header + array.astype(native.newbyteorder(">"), copy=False).tobytes(order="C")
    return _gzip.compress(data, mtime=0) if gzip else data


def write_idx(path, array, gzip=False):
    """Write `array` as an IDX file (gzipped if `gzip`); for tests and fixtures (chapter 8).

    With `path=None` return the bytes instead. The file is written atomically: a temporary
    file in the same directory, renamed over `path` only once complete. Returns the Path.
    """
    data = encode_idx(array, gzip=gzip)
    if path is None:
        return data
    atomic_write(path, data)
    return Path(path)
