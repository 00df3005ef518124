"""Map data the plot helpers draw (Natural Earth, public domain): see tasks/make_outline.py."""
