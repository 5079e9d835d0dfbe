"""The face engine: detect, align, embed, judge quality, search, calibrate.

Knows nothing of deployments, databases or the web: it turns pixels into templates and
templates into scored candidates, so that the rest of the system can decide what is lawful.
"""
