"""The user's data: one annotation per paper (star, status, tags, note) kept in a TOML notes
file beside the corpus, read and written safely, merged three ways, watched and undoable."""
