"""The papers: reading a corpus folder's files (every format paperdeck knows) into `Paper`s,
telling duplicates apart by identity, and caching what was read so a large corpus opens fast."""
