"""Lessons: a class prepared once as a file of steps (a lab, its state, a question, an
explanation), checked against the model store, stepped through in the window."""
