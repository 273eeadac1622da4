"""Stage 1, read and check: editors' files (catalogue/*.yml, content/records/**/*.md, attachments) into
plain, validated data with every problem carrying file:line (problems.py). `validate.load_project` is
the stage's entry point. Imports nothing from the later stages."""
