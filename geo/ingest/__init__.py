"""Articles in: text files with front matter, web pages, pasted text, JSON lines."""
