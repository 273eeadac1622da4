"""One-stop government information disclosure (政务公开) site builder.

The core modules (catalogue, records, validate, index, pages, exports) are pure: plain data in and
out, no MkDocs. `plugin` adapts them to MkDocs events and `cli` wraps the whole build.
"""

__version__ = "0.1.0"
