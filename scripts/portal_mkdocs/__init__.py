"""The portal as a MkDocs plugin (`plugins: - portal` in mkdocs.yml): events only; the work is in `portal`."""
