"""Helpers the tests share across packages: fake speech engines and real MP3s of silence, builds of
a project, and translation edits. Tests import them as `support.<module>` (pytest's pythonpath)."""
