"""Sharing notes between clones through git: setup, the `sync` run, the merge driver git calls
for notes files, and the clashes a person settles (inside a note's text, or a whole file)."""
