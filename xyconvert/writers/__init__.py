"""Writers: turn a Document into output files."""
