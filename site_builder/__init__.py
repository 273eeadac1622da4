"""One-stop government information disclosure (政务公开) site builder.

The packages follow the build (docs/architecture.md): sources/ (read and check) → plan/ (index, pages)
→ render/ (HTML) → outputs/ (feeds, exports, search) ; mkdocs_adapter/ runs them as MkDocs events and
commands/ is the `disclosure` command. A package imports only the ones before it. sources/, plan/
and outputs/ are pure: plain data in and out, no MkDocs. `plugin.py` and `cli.py` here are
compatibility names for configs and scripts that name `site_builder.plugin` / `site_builder.cli`.
"""

__version__ = "0.1.0"
