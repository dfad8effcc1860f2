#!/usr/bin/env python3
"""Copy the browser assets the built book needs from node_modules/ into book/vendor/.

The online book must work without any CDN (offline readers, classrooms behind a proxy, and
our own headless-browser checks). `npm ci` installs exact versions (package-lock.json);
this script copies only the files the pages load:

    book/vendor/_static/offline/js/require.js     requirejs (AMD loader of the widget manager)
    book/vendor/_static/offline/js/widgets/embed-amd.js
        @jupyter-widgets/html-manager: base, controls and output widgets are bundled in it,
        so nothing is fetched from a CDN; plus the Font Awesome fonts it references
    book/vendor/_static/offline/mathjax/...       MathJax 3: tex-chtml.js, its output fonts,
        the TeX extensions it may autoload, the menu and accessibility parts
    book/vendor/_static/offline/js/widgets-setup.js
        ours (book/js/): where the manager finds its fonts; MathJax 3 for widget labels

`_config.yml` adds book/vendor with Sphinx's `html_extra_path`, so the files land in
_build/html/_static/offline/ (Sphinx resolves relative script paths against _static/) without
book/vendor ever being a *static path*: Jupyter Book adds every .js file of a static path to
every page, which would load MathJax twice and render each widget several times.

Usage: python tools/vendor_assets.py [--node-modules node_modules] [--out book/vendor]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (package, path inside the package, destination inside --out); directories are copied whole.
ASSETS = [
    ("requirejs", "require.js", "js/require.js"),
    ("@jupyter-widgets/html-manager", "dist", "js/widgets"),
    ("mathjax", "es5/tex-chtml.js", "mathjax/tex-chtml.js"),
    ("mathjax", "es5/input/tex", "mathjax/input/tex"),
    ("mathjax", "es5/output/chtml", "mathjax/output/chtml"),
    ("mathjax", "es5/ui", "mathjax/ui"),
    ("mathjax", "es5/a11y", "mathjax/a11y"),
    ("mathjax", "es5/sre", "mathjax/sre"),
    (None, "book/js/widgets-setup.js", "js/widgets-setup.js"),  # ours: see the file
]
# Files of html-manager's dist that the pages never load (source maps, the non-AMD bundles).
SKIP = {"embed.js", "embed.js.map", "embed.js.LICENSE.txt", "libembed-amd.js"}


def copy_assets(node_modules: Path, out: Path, prefix: str = "_static/offline") -> list[Path]:
    """Copy ASSETS from node_modules into out/prefix (replacing out); return the copied files."""
    packages = sorted({pkg for pkg, _, _ in ASSETS if pkg})
    missing = [pkg for pkg in packages if not (node_modules / pkg / "package.json").is_file()]
    if missing:
        raise SystemExit(f"vendor_assets: {', '.join(missing)} not in {node_modules}; run `npm ci` first")
    if out.exists():
        shutil.rmtree(out)
    for pkg, src, dst in ASSETS:
        source = node_modules / pkg / src if pkg else ROOT / src
        target = out / prefix / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=lambda d, names: [n for n in names if n in SKIP or n.endswith(".map")])
        else:
            shutil.copy2(source, target)
    versions = {pkg: json.loads((node_modules / pkg / "package.json").read_text())["version"] for pkg in packages}
    (out / prefix / "VERSIONS.json").write_text(json.dumps(versions, indent=1, sort_keys=True) + "\n")
    return [p for p in out.rglob("*") if p.is_file()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, default=ROOT / "node_modules")
    parser.add_argument("--out", type=Path, default=ROOT / "book" / "vendor")
    parser.add_argument("--prefix", default="_static/offline", help="folder inside --out")
    args = parser.parse_args(argv)
    files = copy_assets(args.node_modules, args.out, args.prefix)
    size = sum(p.stat().st_size for p in files)
    print(f"vendor_assets: {len(files)} files, {size / 1e6:.1f} MB -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
