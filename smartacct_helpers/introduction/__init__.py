"""From numbers to action: the storyline and recommendation that open the report, and the introduction plan of notebook 08."""
