"""Stage 4, write the site's other outputs: RSS feeds and OPML (feeds.py), data/*.json (exports.py), the
search index (search/), the editors' form admin/ (admin.py). Imports sources/, plan/ and render/."""
