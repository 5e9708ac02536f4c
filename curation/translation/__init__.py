"""Machine translation of English sources into French: providers, memory, glossary, corrections."""
