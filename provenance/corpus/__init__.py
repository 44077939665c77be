"""Many documents against large collections: the SQLite n-gram index of sources, and scanning."""
