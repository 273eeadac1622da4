"""The `disclosure` command line: build (with the build lock and the atomic swap: build.py, output.py),
check (and --fix: fix.py), new (scaffold.py), kiosk, serve (preview.py), admin (admin_server.py),
report. The top floor: may import every stage, nothing imports it."""
