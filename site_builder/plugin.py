"""Compatibility: configs and installed metadata that name `site_builder.plugin:DisclosurePlugin`; the plugin is site_builder/mkdocs_adapter/plugin.py."""
from .mkdocs_adapter.plugin import DisclosurePlugin  # noqa: F401
