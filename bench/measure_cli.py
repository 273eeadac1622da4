"""What the measuring scripts (page_weight, search_scale, serve_latency) share: the corpus options, the
corpus (and its built site) they measure, and how they leave their figures (JSON + a Markdown table)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def corpus_arguments(ap, built_site: bool = False) -> None:
    ap.add_argument("--records", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--short", action="store_true", help="the short-bodies corpus (generate.py --short)")
    ap.add_argument("--workdir", default="/tmp/bench")
    if built_site:
        ap.add_argument("--site", help="a built site of this corpus (default: the corpus's site/, built if missing)")
        ap.add_argument("--rebuild", action="store_true", help="build the corpus's site even if one exists")


def profile(args) -> str:
    return "short" if args.short else "default"


def corpus(args) -> tuple[Path, Path]:
    """(workdir, the cached corpus) for these options (bench/run.py makes and caches corpora)."""
    import run as runner

    workdir = Path(args.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    path, _ = runner.ensure_corpus(args.records, args.seed, workdir, profile(args))
    return workdir, path


def built_site(args, corpus_dir: Path) -> Path:
    """--site, or the corpus's own site/ (built with `disclosure build` when missing or --rebuild)."""
    if args.site:
        return Path(args.site).resolve()
    if (corpus_dir / "site" / "index.html").is_file() and not args.rebuild:
        return corpus_dir / "site"
    print(f"building {corpus_dir} ...", file=sys.stderr)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "site_builder.cli", "build", "-f", str(corpus_dir / "mkdocs.yml")],
                   cwd=corpus_dir, check=True, stdout=subprocess.DEVNULL, env=env)
    return corpus_dir / "site"


def leave(result: dict, out: Path, table: str) -> None:
    """The raw figures as JSON at `out` (said on stderr), the table on stdout."""
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"raw figures: {out}", file=sys.stderr)
    print(table)
