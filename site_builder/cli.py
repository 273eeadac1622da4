"""Compatibility: scripts and installed metadata that name `site_builder.cli` (`main`, `build_site`); the commands are in site_builder/commands/."""
from .commands.cli import build_site, main  # noqa: F401

if __name__ == "__main__":
    raise SystemExit(main())
