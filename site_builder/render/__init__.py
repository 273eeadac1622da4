"""Stage 3, render: Markdown bodies to sanitized HTML (bodies.py, tables.py, mdsafe.py), pages through the
theme on every core (pool.py), page compaction and the Content-Security-Policy (htmlout.py, csp.py),
the offline (kiosk) transforms (offline.py) and a record's HTML for feeds (feedhtml.py). Imports
sources/ and plan/ only."""
