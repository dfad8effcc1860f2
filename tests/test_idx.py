"""IDX parser: hand-made byte fixtures (raw and gzipped), every type and rank, errors, fuzzing."""

import gzip
import hashlib
import struct
import tracemalloc
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlp.data.idx import ChecksumError, read_idx, write_idx

# (bytes written by hand from the format description, the array they must decode to)
HAND_MADE = {
    "uint8 vector": (b"\x00\x00\x08\x01" b"\x00\x00\x00\x03" b"\x01\x02\xff",
                     np.array([1, 2, 255], np.uint8)),
    "int8 vector": (b"\x00\x00\x09\x01" b"\x00\x00\x00\x02" b"\xff\x80",
                    np.array([-1, -128], np.int8)),
    "int16 2x1": (b"\x00\x00\x0b\x02" b"\x00\x00\x00\x02\x00\x00\x00\x01" b"\x01\x02\xff\xfe",
                  np.array([[258], [-2]], np.int16)),
    "int32 vector": (b"\x00\x00\x0c\x01" b"\x00\x00\x00\x02" b"\x80\x00\x00\x00\x00\x01\x00\x00",
                     np.array([-2**31, 65536], np.int32)),
    "float32 1x2": (b"\x00\x00\x0d\x02" b"\x00\x00\x00\x01\x00\x00\x00\x02"
                    b"\x3f\x80\x00\x00\xc0\x20\x00\x00", np.array([[1.0, -2.5]], np.float32)),
    "float64 rank 3": (b"\x00\x00\x0e\x03" + b"\x00\x00\x00\x01" * 3
                       + b"\x3f\xf0" + b"\x00" * 6,
                       np.ones((1, 1, 1), np.float64)),
    "uint8 rank 4": (b"\x00\x00\x08\x04" + b"\x00\x00\x00\x01" * 3 + b"\x00\x00\x00\x02"
                     b"\x07\x09",
                     np.array([7, 9], np.uint8).reshape(1, 1, 1, 2)),
    "MNIST-like empty": (b"\x00\x00\x08\x03" b"\x00\x00\x00\x00\x00\x00\x00\x1c\x00\x00\x00\x1c",
                         np.zeros((0, 28, 28), np.uint8)),
}
DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: np.int16, 0x0C: np.int32,
          0x0D: np.float32, 0x0E: np.float64}
SHAPES = [(5,), (3, 4), (2, 3, 4), (2, 1, 3, 2)]


def reference_encoding(array, code):
    """Independent encoder: header with struct, payload via an explicit big-endian dtype."""
    header = struct.pack(">BBBB", 0, 0, code, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def sample_array(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, endpoint=True).astype(dtype)
    return (rng.standard_normal(shape) * 1e3).astype(dtype)


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gzip"])
@pytest.mark.parametrize("case", HAND_MADE, ids=list(HAND_MADE))
def test_hand_made_fixtures_from_bytes_and_path(case, compress, tmp_path):
    data, expected = HAND_MADE[case]
    data = gzip.compress(data) if compress else data
    path = tmp_path / "fixture.idx"
    path.write_bytes(data)
    for source in (data, path, str(path)):
        got = read_idx(source)
        assert got.dtype == expected.dtype and got.dtype.isnative
        assert got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("case", HAND_MADE, ids=list(HAND_MADE))
def test_write_idx_produces_the_hand_made_bytes(case):
    data, array = HAND_MADE[case]
    assert write_idx(None, array) == data
    assert gzip.decompress(write_idx(None, array, gzip=True)) == data


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"rank{len(s)}")
@pytest.mark.parametrize("code", DTYPES, ids=lambda c: np.dtype(DTYPES[c]).name)
def test_every_type_and_rank_raw_and_gzip(code, shape, tmp_path):
    array = sample_array(DTYPES[code], shape)
    raw = reference_encoding(array, code)
    assert write_idx(None, array) == raw
    for data in (raw, gzip.compress(raw)):
        got = read_idx(data)
        assert got.dtype == array.dtype and got.dtype.isnative and got.shape == shape
        np.testing.assert_array_equal(got, array)
    path = write_idx(tmp_path / "a.idx.gz", array, gzip=True)
    np.testing.assert_array_equal(read_idx(path), array)


def test_big_endian_input_array_is_written_correctly():
    array = np.array([1, -2, 300], dtype=">i4")
    assert read_idx(write_idx(None, array)).tolist() == [1, -2, 300]


def test_result_is_writable_native_and_independent():
    data, _ = HAND_MADE["int16 2x1"]
    got = read_idx(data)
    got[0, 0] = 5  # writable
    assert read_idx(data)[0, 0] == 258


def test_gzip_is_detected_by_magic_bytes_not_by_name(tmp_path):
    data, expected = HAND_MADE["uint8 vector"]
    (tmp_path / "really-gzip.idx").write_bytes(gzip.compress(data))
    (tmp_path / "really-raw.gz").write_bytes(data)
    np.testing.assert_array_equal(read_idx(tmp_path / "really-gzip.idx"), expected)
    np.testing.assert_array_equal(read_idx(tmp_path / "really-raw.gz"), expected)


def test_multi_member_gzip_is_one_stream():
    data, expected = HAND_MADE["int32 vector"]
    two_members = gzip.compress(data[:10]) + gzip.compress(data[10:])
    np.testing.assert_array_equal(read_idx(two_members), expected)


def test_checksum_of_decompressed_bytes(tmp_path):
    data, _ = HAND_MADE["float32 1x2"]
    good = hashlib.sha256(data).hexdigest()
    read_idx(gzip.compress(data), expected_sha256=good)
    read_idx(data, expected_sha256=good.upper())
    with pytest.raises(ChecksumError) as info:
        read_idx(gzip.compress(data), expected_sha256="0" * 64, name="x.gz")
    assert isinstance(info.value, ValueError)
    assert good in str(info.value) and "0" * 64 in str(info.value) and "x.gz" in str(info.value)


VALID = HAND_MADE["int16 2x1"][0]  # 12-byte header + 4 payload bytes
BAD_FILES = {
    "empty": (b"", r"truncated header: expected 4 bytes, got 0"),
    "short header": (b"\x00\x00", r"truncated header: expected 4 bytes, got 2"),
    "bad magic": (b"\x01\x00" + VALID[2:], r"magic bytes 00 00, got 01 00"),
    "text file": (b"hello world\n", r"magic bytes 00 00, got 68 65"),
    "unknown type": (b"\x00\x00\x0a" + VALID[3:], r"unknown IDX type code 0x0A"),
    "rank 0": (b"\x00\x00\x08\x00", r"rank must be 1\.\.64, got 0"),
    "rank 200": (b"\x00\x00\x08\xc8" + b"\x00\x00\x00\x01" * 200 + b"\x01", r"rank must be"),
    "sizes cut": (VALID[:9], r"rank 2 sizes\): expected 8 bytes, got 5"),
    "payload cut": (VALID[:-1], r"needs 4 payload bytes after the header, got 3"),
    "payload extra": (VALID + b"\x00", r"needs 4 payload bytes after the header, got 5"),
    "huge sizes": (b"\x00\x00\x0e\x03" + b"\xff\xff\xff\xff" * 3 + b"\x00" * 8,
                   rf"needs {8 * (2**32 - 1) ** 3} payload bytes after the header, got 8"),
}


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gzip"])
@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_files_raise_valueerror_naming_file_and_counts(case, compress, tmp_path):
    data, message = BAD_FILES[case]
    path = tmp_path / f"{case.replace(' ', '-')}.idx"
    path.write_bytes(gzip.compress(data) if compress else data)
    if compress and case == "payload extra":  # gzip: the total size is unknown until read
        message = message.replace("got 5", "got at least 5")
    if compress and case == "huge sizes":  # gzip: refused before decompressing anything
        message = message.replace(" after the header, got 8", ", more than max_bytes")
    with pytest.raises(ValueError, match=message) as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_gzip_declaring_more_than_max_bytes_is_refused_before_decompressing():
    data = write_idx(None, np.zeros(100, np.uint8), gzip=True)
    with pytest.raises(ValueError, match=r"needs 100 payload bytes, more than max_bytes=99"):
        read_idx(data, max_bytes=99)
    assert read_idx(data, max_bytes=100).shape == (100,)
    raw = write_idx(None, np.zeros(100, np.uint8))  # a raw file's real size is known: no limit
    assert read_idx(raw, max_bytes=99).shape == (100,)


def test_zero_size_dimension_with_huge_others_is_a_valueerror():
    data = b"\x00\x00\x08\x04" + b"\x00" * 4 + b"\xff\xff\xff\xff" * 3  # shape (0, 4e9, 4e9, 4e9)
    with pytest.raises(ValueError, match="not a valid numpy shape"):
        read_idx(data)


GZIP_DAMAGE = {
    "cut in the middle": lambda gz: gz[: len(gz) // 2],
    "cut before the trailer": lambda gz: gz[:-4],
    "garbage after magic": lambda gz: gz[:2] + b"\x00" * 30,
    "wrong CRC": lambda gz: gz[:-8] + bytes([gz[-8] ^ 0xFF]) + gz[-7:],
    "flipped deflate bytes": lambda gz: gz[:12] + bytes(b ^ 0x55 for b in gz[12:20]) + gz[20:],
    "trailing garbage": lambda gz: gz + b"garbage!",
}


@pytest.mark.parametrize("case", GZIP_DAMAGE, ids=list(GZIP_DAMAGE))
def test_damaged_gzip_raises_valueerror(case, tmp_path):
    array = sample_array(np.float64, (50, 4))
    gz = GZIP_DAMAGE[case](write_idx(None, array, gzip=True))
    (tmp_path / "damaged.gz").write_bytes(gz)
    with pytest.raises(ValueError, match="damaged.gz"):
        read_idx(tmp_path / "damaged.gz")


def test_missing_file_is_filenotfounderror_not_valueerror(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "nope.idx")
    with pytest.raises(TypeError):
        read_idx(12345)


def _gzip_bomb(header, n_zero_bytes):
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts, block = [z.compress(header)], bytes(1 << 20)
    for _ in range(n_zero_bytes >> 20):
        parts.append(z.compress(block))
    return b"".join(parts) + z.flush()


def test_gzip_bomb_is_detected_with_bounded_memory():
    header = b"\x00\x00\x08\x01\x00\x00\x03\xe8"  # declares 1000 bytes
    bomb = _gzip_bomb(header, 32 << 20)  # ... but inflates to 32 MiB
    assert len(bomb) < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"needs 1000 payload bytes.*got at least 1001"):
            read_idx(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, f"peak {peak} bytes while reading a 32 MiB bomb"


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gzip"])
def test_huge_declared_sizes_allocate_nothing(compress):
    data = b"\x00\x00\x08\x02\x00\x10\x00\x00\x00\x00\x10\x00" + b"\x01" * 100  # 2**32 bytes
    data = gzip.compress(data) if compress else data
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="needs 4294967296 payload bytes"):
            read_idx(data)  # raw: file size checked first; gzip: above max_bytes
        with pytest.raises(ValueError, match=r"needs 4294967296 payload bytes.*got 100"):
            read_idx(data, max_bytes=1 << 40)  # limit lifted: still no big allocation
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20


def test_write_idx_is_atomic_and_returns_path(tmp_path, monkeypatch):
    target = tmp_path / "out.idx"
    assert write_idx(target, np.arange(3, dtype=np.uint8)) == target
    assert read_idx(target).tolist() == [0, 1, 2]

    def failing_replace(src, dst):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr("mlp.data.idx.os.replace", failing_replace)
    with pytest.raises(OSError, match="simulated"):
        write_idx(target, np.arange(5, dtype=np.uint8))
    assert read_idx(target).tolist() == [0, 1, 2]  # old file intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.idx"]  # no temp left


@pytest.mark.parametrize("array", [np.arange(3, dtype=np.int64), np.array([True]),
                                   np.float32(1.0), np.array([1 + 2j])],
                         ids=["int64", "bool", "0-d", "complex"])
def test_write_idx_rejects_what_idx_cannot_hold(array, tmp_path):
    with pytest.raises(ValueError, match="IDX"):
        write_idx(tmp_path / "x.idx", array)
    assert list(tmp_path.iterdir()) == []


# ---- fuzzing: whatever the bytes, read_idx returns an array or raises ValueError -------------

def fuzz(n):
    return settings(max_examples=n, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def read_or_valueerror(data):
    """The property: an array consistent with its own header, or a ValueError; nothing else."""
    try:
        array = read_idx(data)
    except ValueError:
        return None
    assert isinstance(array, np.ndarray) and array.dtype.isnative
    return array


@fuzz(300)
@given(st.binary(max_size=200))
def test_fuzz_random_bytes(data):
    read_or_valueerror(data)
    read_or_valueerror(b"\x00\x00" + data)  # past the magic, into type/rank/sizes
    read_or_valueerror(b"\x1f\x8b" + data)  # claims to be gzip


VALID_FILES = [write_idx(None, sample_array(DTYPES[c], s, seed=i), gzip=gz)
               for i, (c, s) in enumerate([(0x08, (3, 4)), (0x0E, (2, 2, 2)), (0x0B, (7,)),
                                            (0x0D, (1, 2, 1, 3))])
               for gz in (False, True)]


@fuzz(250)
@given(st.sampled_from(VALID_FILES), st.data())
def test_fuzz_truncations_of_a_valid_file(valid, data):
    cut = data.draw(st.integers(0, len(valid) - 1))
    with pytest.raises(ValueError):
        read_idx(valid[:cut])
    with pytest.raises(ValueError):  # extra bytes (not zeros: gzip allows zero padding)
        read_idx(valid + b"\x01" + data.draw(st.binary(max_size=20)))


@fuzz(250)
@given(st.sampled_from(VALID_FILES[::2]), st.data())
def test_fuzz_bad_headers(valid, data):
    header_size = 4 + 4 * valid[3]
    position = data.draw(st.integers(0, header_size - 1))
    value = data.draw(st.integers(0, 255).filter(lambda v: v != valid[position]))
    mutated = valid[:position] + bytes([value]) + valid[position + 1:]
    array = read_or_valueerror(mutated)
    if array is not None:  # only a type code of the same width can still be consistent
        assert position == 2 and array.nbytes == len(valid) - header_size
    gz = read_or_valueerror(gzip.compress(mutated))
    assert (gz is None) == (array is None)


@fuzz(250)
@given(st.sampled_from(sorted(DTYPES)),
       st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=6),
       st.binary(max_size=64), st.booleans())
def test_fuzz_huge_declared_sizes(code, shape, payload, compress):
    data = bytes([0, 0, code, len(shape)]) + struct.pack(f">{len(shape)}I", *shape) + payload
    needed = np.dtype(DTYPES[code]).itemsize * int(np.prod(shape, dtype=object))
    try:
        array = read_idx(gzip.compress(data) if compress else data)
    except ValueError as err:  # a size mismatch, or a 0-sized shape numpy cannot represent
        assert needed != len(payload) or "not a valid numpy shape" in str(err)
    else:
        assert needed == len(payload) and array.shape == tuple(shape)
