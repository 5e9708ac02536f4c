"""The watch library: feeds, fetching, extraction, boards, translation, search, digest."""
