"""From numbers to action: the introduction plan of notebook 08."""
