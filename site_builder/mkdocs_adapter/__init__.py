"""The MkDocs plugin `disclosure` (plugin.py: hooks) and its options (config.py). The only place, with
render/pool.py, that knows MkDocs; it runs the stages in MkDocs' event order."""
