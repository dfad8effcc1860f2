#!/usr/bin/env python3
"""Re-execute notebooks in place so that their stored outputs are reproducible.

    python tools/execute.py chapters/03_forward.ipynb [more.ipynb ...]
    python tools/execute.py            # every chapters/*.ipynb
    python tools/execute.py --threads 1 --out /tmp/t1 chapters/09_training_mnist.ipynb
                                       # another machine's run, for tools/spread.py

The stored outputs are the truth of the book: the online book shows them as they are
(execution is off at build time) and `pytest` re-runs every notebook with strict nbval and
compares them. So a notebook is only ever executed by this script, which

* runs it with nbclient in a fresh kernel named `python3`, cwd = the notebook's folder,
  PYTHONHASHSEED=0, MLP_BLAS_THREADS=2 (the BLAS threads each chapter pins), a generous per-cell timeout, and widget state stored in the notebook
  metadata (so the online book can render the widgets);
* normalises everything that would otherwise change from run to run: execution timestamps
  and other editor/runner metadata are dropped, kernelspec/language_info are fixed values,
  execution counts are 1..n, consecutive stream outputs are merged, and ipywidgets' random
  model ids are replaced by ids derived from their order of creation;
* stores what nbval will see: nbval has no widget front end, so output produced inside an
  ipywidgets Output widget (e.g. by `interact`) reaches it as the cell's own output and its
  clear_output is ignored. This script does the same (see NbvalConsistentClient), so such
  output is stored as a normal cell output right below the widget, compared by nbval, and
  shown in the online book; in a live kernel it appears inside the widget as usual;
* fails (exit 1, file left untouched) if any cell raises, and prints each notebook's wall time.

Running it twice gives byte-identical files.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
KERNEL_NAME = "python3"
CELL_TIMEOUT = 3600  # seconds per cell: MNIST training cells are slow on a 2-core machine
STORED_THREADS = 2  # the BLAS threads of the stored outputs (conftest.py's default too)
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL_NAME}
LANGUAGE_INFO = {  # what ipykernel reports, minus the interpreter's patch version
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
# Notebook- and cell-level metadata written by runners and editors, never by authors.
VOLATILE_NB_KEYS = {"papermill", "execution", "vscode", "colab", "toc-autonumbering", "widgets"}
VOLATILE_CELL_KEYS = {"execution", "ExecuteTime", "papermill", "collapsed", "scrolled", "vscode",
                      "pycharm", "trusted", "outputId", "colab"}
MODEL_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")  # also inside "IPY_MODEL_<id>"


class NbvalConsistentClient(NotebookClient):
    """nbclient, but output inside an Output widget is handled the way nbval handles it.

    nbclient routes output produced while an Output widget captures (`with out:`, interact)
    into that widget's state; nbval, which has no widget front end, gets the same messages as
    plain cell output and ignores their clear_output. Storing what nbval sees keeps strict
    nbval passing and puts every number the reader sees in a compared output.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._captured: dict[str, int] = {}  # msg_id -> how many Output widgets capture it

    def register_output_hook(self, msg_id, hook):
        self._captured[msg_id] = self._captured.get(msg_id, 0) + 1

    def remove_output_hook(self, msg_id, hook):
        self._captured[msg_id] = max(self._captured.get(msg_id, 0) - 1, 0)

    def clear_output(self, outs, msg, cell_index):
        if self._captured.get(msg["parent_header"].get("msg_id")):
            return  # nbval ignores clear_output; so do we inside an Output widget
        super().clear_output(outs, msg, cell_index)


def stable_model_id(index: int) -> str:
    """The replacement for the index-th widget model id: 32 hex digits, same on every run."""
    return hashlib.sha256(f"mlp-book widget {index}".encode()).hexdigest()[:32]


def normalise_widget_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Replace the random widget model ids, in metadata and outputs alike, by stable ones.

    Ids are numbered in the order the kernel created the models (the order of the stored
    state), then in order of first appearance in the outputs for any the state lacks.
    """
    text = json.dumps(nb, sort_keys=False)
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    ids = list(state)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view and view.get("model_id") not in ids:
                ids.append(view["model_id"])
    mapping = {old: stable_model_id(i) for i, old in enumerate(ids)}
    if not mapping:
        return nb
    text = MODEL_ID.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)
    return nbformat.from_dict(json.loads(text))


def coalesce_streams(outputs: list) -> list:
    """Merge consecutive stream outputs of the same stream (their split depends on timing)."""
    merged: list = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and prev is not None
                and prev.get("output_type") == "stream" and prev.get("name") == out.get("name")):
            prev["text"] = prev["text"] + out["text"]
        else:
            merged.append(out)
    return merged


def drop_empty_views(outputs: list) -> list:
    """An `interact` cell's figure is stored as the cell's own output (NbvalConsistentClient),
    so its widget view would show the controls a second time, over an empty Output, in the
    online book: when a cell has both a picture and widget views, keep only the picture."""
    if not any("image/png" in out.get("data", {}) for out in outputs):
        return outputs
    return [out for out in outputs if WIDGET_VIEW not in out.get("data", {})]


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip volatile metadata, renumber execution counts, stabilise widget ids (in place-ish)."""
    widgets = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
    for key in VOLATILE_NB_KEYS:
        nb.metadata.pop(key, None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = copy.deepcopy(LANGUAGE_INFO)
    if widgets and widgets.get("state"):  # keep only the state the book needs to render them
        nb.metadata["widgets"] = {WIDGET_STATE: {"state": widgets["state"],
                                                 "version_major": widgets.get("version_major", 2),
                                                 "version_minor": widgets.get("version_minor", 0)}}
    count = 0
    for i, cell in enumerate(nb.cells):
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if not cell.get("id"):
            cell["id"] = f"cell-{i}"
        if cell.cell_type != "code":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
            continue
        cell.outputs = drop_empty_views(coalesce_streams(cell.outputs))
        if cell.execution_count is not None or cell.outputs:
            count += 1
            cell.execution_count = count
            for out in cell.outputs:
                if out.output_type == "execute_result":
                    out.execution_count = count
    nb.nbformat, nb.nbformat_minor = 4, 5
    return normalise_widget_ids(nb)


def execute(path: Path, timeout: int = CELL_TIMEOUT, threads: int = STORED_THREADS
            ) -> nbformat.NotebookNode:
    """Execute the notebook at path with the pinned kernel; return the normalised result."""
    nb = nbformat.read(path, as_version=4)
    os.environ["PYTHONHASHSEED"] = "0"  # inherited by the kernel process
    # each chapter's first cell pins this many BLAS threads (mlp.book.blas.pin_threads)
    os.environ["MLP_BLAS_THREADS"] = str(threads)
    os.environ["MLP_BOOK_BUILD"] = "1"  # cells that need a live front end print a note instead
    client = NbvalConsistentClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=timeout,
        startup_timeout=120,
        store_widget_state=True,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    client.execute()
    return normalise(nb)


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write like Jupyter does (indent 1, trailing newline) so diffs stay small."""
    nbformat.validate(nb)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Re-execute notebooks in place, reproducibly.")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to execute (default: chapters/*.ipynb)")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell")
    parser.add_argument("--threads", type=int, default=STORED_THREADS,
                        help="BLAS threads (default %(default)s; anything else needs --out)")
    parser.add_argument("--out", type=Path, default=None,
                        help="write the executed notebooks into this folder instead of in place "
                             "(tools/spread.py compares them with the stored ones)")
    args = parser.parse_args(argv)
    if args.threads != STORED_THREADS and args.out is None:
        parser.error(f"the stored outputs are made with {STORED_THREADS} threads; "
                     "write other runs elsewhere with --out")
    paths = args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    failed = []
    for path in paths:
        start = time.perf_counter()
        try:
            nb = execute(path, args.timeout, args.threads)
        except CellExecutionError as err:
            failed.append(path)
            print(f"FAILED {path} after {time.perf_counter() - start:.1f} s (file left unchanged):\n{err}",
                  file=sys.stderr)
            continue
        target = args.out / path.name if args.out else path
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
        write(nb, target)
        print(f"executed {path} in {time.perf_counter() - start:.1f} s", flush=True)
    if failed:
        print(f"{len(failed)} notebook(s) failed: {', '.join(map(str, failed))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
