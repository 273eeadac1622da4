"""Stage 2, index and plan: records grouped (index.py), the pages the site will have and what each shows
(pages.py, report.py, sitemap.py, applyform.py, identity.py). Plain data, no MkDocs, no HTML. Imports
only sources/."""
