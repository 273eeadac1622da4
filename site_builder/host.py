"""The host that renders the site: MkDocs 1.6 when it is installed, else ProperDocs 1.6 (the community
continuation of MkDocs 1.x, PyPI `properdocs`, same plugin API). Importing this module makes `mkdocs.*`
importable on either: under ProperDocs it installs `properdocs.replacement`'s import hook first (as the
`properdocs` command does), so every `mkdocs.*` import resolves to `properdocs.*`. Every module of ours
that imports MkDocs imports this one before (see docs/platform.md).

With both installed, the environment variable DISCLOSURE_HOST=properdocs (set by `disclosure --host
properdocs`) picks ProperDocs; DISCLOSURE_HOST=mkdocs insists on MkDocs.

NAME is the host ("mkdocs" or "properdocs"), VERSION its version and LOGGER its root logger, on which
`--strict` counts warnings: our command and render workers listen there."""

from __future__ import annotations

import logging
import os

MISSING = ("未安装网站生成宿主：需要 MkDocs 1.6（pip install 'mkdocs>=1.6,<2'）或 ProperDocs 1.6"
           "（pip install 'properdocs>=1.6.7,<1.7'，见 README“只用 ProperDocs 安装”）。请安装其中之一后重试。")


class HostMissing(ImportError):
    """Neither MkDocs nor ProperDocs can be imported (the message says what to install, in Chinese)."""


CHOICES = ("mkdocs", "properdocs")
WANTED = os.environ.get("DISCLOSURE_HOST", "").strip().lower()
if WANTED not in ("", *CHOICES):
    raise HostMissing(f"环境变量 DISCLOSURE_HOST={WANTED!r} 无效：请写 mkdocs 或 properdocs（或不设，自动选择）。")


def _properdocs() -> None:
    try:
        import properdocs.replacement  # noqa: F401  (installs the mkdocs.* → properdocs.* import hook)
    except ModuleNotFoundError as missing:
        if missing.name not in ("properdocs", "properdocs.replacement"):
            raise
        raise HostMissing(MISSING if not WANTED else
                          "指定了 ProperDocs 作宿主，但未安装：pip install 'properdocs>=1.6.7,<1.7'") from None


if WANTED == "properdocs":
    _properdocs()
try:
    import mkdocs
except ModuleNotFoundError as error:
    if error.name != "mkdocs":
        raise
    if WANTED == "mkdocs":
        raise HostMissing("指定了 MkDocs 作宿主，但未安装：pip install 'mkdocs>=1.6,<2'") from None
    _properdocs()
    import mkdocs

NAME = "properdocs" if mkdocs.__name__ == "properdocs" else "mkdocs"
VERSION = mkdocs.__version__
LOGGER = NAME

if NAME == "properdocs":
    # as properdocs/__main__.py does: messages to the `mkdocs.*` loggers (ours, other plugins') reach the
    # host's root logger, where its --strict counter is
    logging.getLogger("mkdocs").parent = logging.getLogger("properdocs")
    logging.getLogger("mkdocs").setLevel(logging.NOTSET)


def root_logger() -> logging.Logger:
    """The host's root logger: its --strict warning counter and our command's output hang here."""
    return logging.getLogger(LOGGER)
