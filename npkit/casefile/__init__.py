"""Case files: the format, loading, editing, the library, generated docs."""
