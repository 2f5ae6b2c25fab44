"""The care leaver portal's own logic. Nothing here imports MkDocs."""
