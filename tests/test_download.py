"""Downloads against a loopback HTTP server serving small fake IDX files (no internet needed)."""

import dataclasses
import gzip
import hashlib
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

import mlp.data.mnist
import mlp.data.download
from mlp.data.mnist import download_dataset, load_mnist, main
from mlp.data.download import DataNotFoundError, cache_root, download_file
from mlp.data.idx import read_idx, write_idx

NAME = "t10k-labels-idx1-ubyte"


def fake_files():
    """Four tiny IDX files with MNIST's names: name -> decompressed bytes."""
    rng = np.random.default_rng(1)
    arrays = {"train-images-idx3-ubyte": rng.integers(0, 256, (12, 28, 28), dtype=np.uint8),
              "train-labels-idx1-ubyte": (np.arange(12) % 10).astype(np.uint8),
              "t10k-images-idx3-ubyte": rng.integers(0, 256, (8, 28, 28), dtype=np.uint8),
              "t10k-labels-idx1-ubyte": (np.arange(8) % 10).astype(np.uint8)}
    return {name: write_idx(None, a) for name, a in arrays.items()}


FILES = fake_files()
SHA256 = {name: hashlib.sha256(data).hexdigest() for name, data in FILES.items()}


class Loopback:
    """What the server serves: URL path -> (body, mode); mode "ok", "truncate" or "hang"."""

    def __init__(self, port):
        self.port, self.routes, self.hits = port, {}, []
        self.release = threading.Event()

    def url(self, folder="mirror"):
        return f"http://127.0.0.1:{self.port}/{folder}/"

    def serve(self, folder="mirror", mode="ok", files=None):
        for name, data in (files or FILES).items():
            self.routes[f"/{folder}/{name}.gz"] = (gzip.compress(data, mtime=0), mode)


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state.hits.append(self.path)
            if self.path not in state.routes:
                return self.send_error(404)
            body, mode = state.routes[self.path]
            if mode == "hang":
                state.release.wait(10)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body) + 1000 * (mode == "truncate")))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if mode == "truncate" else body)
            self.close_connection = True  # then the socket closes: a cut connection

        def log_message(self, *args):
            pass
    return Handler


@pytest.fixture
def server(monkeypatch):
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), None)
    httpd.block_on_close = False
    state = Loopback(httpd.server_address[1])
    httpd.RequestHandlerClass = make_handler(state)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    state.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def refused_url():
    """A loopback port that is bound but not listening: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/mnist/"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    monkeypatch.setenv("MLP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MLP_MNIST_DIR", raising=False)


def listing(directory):
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_good_file_is_verified_and_stored_gzipped(server, tmp_path):
    server.serve()
    path = download_file(NAME, tmp_path / "c", SHA256[NAME], [server.url()], progress=False)
    assert path == tmp_path / "c" / f"{NAME}.gz"
    assert gzip.decompress(path.read_bytes()) == FILES[NAME]
    assert read_idx(path).tolist() == [0, 1, 2, 3, 4, 5, 6, 7]
    assert listing(tmp_path / "c") == [f"{NAME}.gz"]  # no temp file left
    assert server.hits == [f"/mirror/{NAME}.gz"]


def test_corrupted_file_checksum_error_leaves_nothing(server, tmp_path):
    server.serve(files={NAME: write_idx(None, np.zeros(8, np.uint8))})  # valid IDX, wrong data
    with pytest.raises(DataNotFoundError) as info:
        download_file(NAME, tmp_path / "c", SHA256[NAME], [server.url()], progress=False)
    message = str(info.value)
    assert "SHA-256" in message and SHA256[NAME] in message
    assert hashlib.sha256(write_idx(None, np.zeros(8, np.uint8))).hexdigest() in message
    assert listing(tmp_path / "c") == []


def test_html_instead_of_data_is_rejected(server, tmp_path):
    server.routes[f"/mirror/{NAME}.gz"] = (b"<html>captive portal</html>", "ok")
    with pytest.raises(DataNotFoundError, match="not an IDX file"):
        download_file(NAME, tmp_path / "c", SHA256[NAME], [server.url()], progress=False)
    assert listing(tmp_path / "c") == []


def test_connection_dropped_mid_file_leaves_nothing(server, tmp_path):
    server.serve(mode="truncate")
    body = len(gzip.compress(FILES["train-images-idx3-ubyte"], mtime=0))
    with pytest.raises(DataNotFoundError, match=rf"closed early: expected {body + 1000} bytes, "
                                                rf"got {body // 2}"):
        download_file("train-images-idx3-ubyte", tmp_path / "c",
                      SHA256["train-images-idx3-ubyte"], [server.url()], progress=False)
    assert listing(tmp_path / "c") == []


def test_first_mirror_refused_then_second_mirror_succeeds(server, refused_url, tmp_path):
    server.serve()
    path = download_file(NAME, tmp_path, SHA256[NAME], [refused_url, server.url()],
                         progress=False)
    assert read_idx(path).shape == (8,) and listing(tmp_path) == [f"{NAME}.gz"]


def test_first_mirror_404_then_second_mirror_succeeds(server, tmp_path):
    server.serve(folder="good")
    path = download_file(NAME, tmp_path, SHA256[NAME], [server.url("empty"), server.url("good")],
                         progress=False)
    assert read_idx(path).shape == (8,)
    assert server.hits == [f"/empty/{NAME}.gz", f"/good/{NAME}.gz"]


def test_first_mirror_corrupt_then_second_mirror_succeeds(server, tmp_path):
    server.serve(folder="bad", files={NAME: FILES[NAME][:-1]})
    server.serve(folder="good")
    path = download_file(NAME, tmp_path, SHA256[NAME], [server.url("bad"), server.url("good")],
                         progress=False)
    assert gzip.decompress(path.read_bytes()) == FILES[NAME] and listing(tmp_path) == [path.name]


def test_no_server_at_all_gives_one_clear_error(refused_url, tmp_path):
    other = refused_url.replace("/mnist/", "/other/")
    with pytest.raises(DataNotFoundError) as info:
        download_file(NAME, tmp_path, SHA256[NAME], [refused_url, other], progress=False)
    assert isinstance(info.value, OSError) and len(info.value.tried) == 2
    message = str(info.value)
    assert f"{refused_url}{NAME}.gz" in message and f"{other}{NAME}.gz" in message
    assert "Connection refused" in message and str(tmp_path) in message
    assert listing(tmp_path) == []


def test_a_silent_server_times_out(server, tmp_path):
    server.serve(mode="hang")
    start = time.monotonic()
    with pytest.raises(DataNotFoundError, match="timed out"):
        download_file(NAME, tmp_path, SHA256[NAME], [server.url()], timeout=0.3, progress=False)
    assert time.monotonic() - start < 5 and listing(tmp_path) == []


def test_progress_is_plain_text_off_a_terminal_and_silent_when_disabled(server, tmp_path, capsys):
    server.serve()
    download_file(NAME, tmp_path / "a", SHA256[NAME], [server.url()])
    err = capsys.readouterr().err
    assert f"Downloading {server.url()}{NAME}.gz" in err and " bytes in " in err
    download_file(NAME, tmp_path / "b", SHA256[NAME], [server.url()], progress=False)
    assert capsys.readouterr().err == ""
    download_file(NAME, tmp_path / "c", SHA256[NAME], [server.url()], progress=True)  # tqdm bar
    assert (tmp_path / "c" / f"{NAME}.gz").is_file()


@pytest.fixture
def fake_mnist(server, monkeypatch):
    """mlp.data.mnist.MNIST with the fake files' checksums and sizes, mirrors on the loopback."""
    server.serve()
    monkeypatch.setattr(mlp.data.mnist, "MNIST", dataclasses.replace(
        mlp.data.mnist.MNIST, sha256=SHA256, n_train=12, n_test=8))
    monkeypatch.setattr(mlp.data.download, "MNIST_MIRRORS", (server.url(),))
    return server


def test_load_mnist_downloads_into_the_cache_then_reuses_it(fake_mnist, tmp_path):
    (X, y), (X_test, y_test) = load_mnist(progress=False)
    assert X.shape == (12, 784) and X_test.shape == (8, 784) and y_test.tolist() == list(range(8))
    cache = tmp_path / "cache" / "mnist"
    assert listing(cache) == sorted(f"{name}.gz" for name in FILES)
    hits = len(fake_mnist.hits)
    (X2, _), _ = load_mnist(progress=False)
    assert len(fake_mnist.hits) == hits and np.array_equal(X, X2)  # served from the cache


def test_load_mnist_offline_says_how_to_place_the_files(refused_url, tmp_path):
    with pytest.raises(DataNotFoundError) as info:
        load_mnist(mirrors=[refused_url], progress=False)
    message = str(info.value)
    for expected in [f"{refused_url}train-images-idx3-ubyte.gz", "Connection refused",
                     "To install by hand", "train-labels-idx1-ubyte.gz",
                     str(tmp_path / "cache" / "mnist"), "MLP_MNIST_DIR=", "data_dir="]:
        assert expected in message, expected
    assert not (tmp_path / "cache").exists()  # not even an empty folder


def test_download_dataset_keeps_files_already_there(fake_mnist, tmp_path):
    paths = download_dataset("mnist", progress=False)
    assert [p.parent for p in paths] == [tmp_path / "cache" / "mnist"] * 4
    hits = len(fake_mnist.hits)
    assert download_dataset("mnist", progress=False) == paths and len(fake_mnist.hits) == hits


def test_command_line_prefetch(fake_mnist, tmp_path, capsys):
    assert main(["download", "--dir", str(tmp_path / "d"), "--dataset", "mnist"]) == 0
    assert listing(tmp_path / "d") == sorted(f"{name}.gz" for name in FILES)
    assert str(tmp_path / "d" / "train-images-idx3-ubyte.gz") in capsys.readouterr().out


def test_command_line_reports_failure(refused_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(mlp.data.download, "FASHION_MNIST_MIRRORS", (refused_url,))
    assert main(["download", "--dir", str(tmp_path / "d"), "--dataset", "fashion"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: could not download") and "MLP_FASHION_MNIST_DIR=" in err
    assert listing(tmp_path / "d") == []
    with pytest.raises(SystemExit):
        main(["download", "--dataset", "cifar"])


def test_module_is_runnable_with_python_dash_m():
    result = subprocess.run([sys.executable, "-m", "mlp.data", "download", "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "--dataset {mnist,fashion}" in result.stdout


def test_cache_root_defaults_to_home(monkeypatch, tmp_path):
    monkeypatch.delenv("MLP_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_root() == tmp_path / ".cache" / "mlp-book"
