"""The daily triage flow's derived data (issue #13): when each paper first appeared, the
session (where the user left off), statistics, and the "predicted" ranking. None of it is the
user's notes: it lives in the user state or cache folders and is rebuilt or forgotten at will."""
