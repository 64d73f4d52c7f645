"""Finding papers: the Whoosh index of corpus and notes, the query language and its compilation,
search-as-you-type over titles, and highlighting what matched."""
