"""Reports of an analysis: the JSON contract, markdown, pandas frames, pictures and files on disk."""
