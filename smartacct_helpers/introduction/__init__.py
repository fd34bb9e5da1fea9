"""The report's introduction: the storyline that opens the report, its findings and its recommendation."""
