"""OpenLFR: lawful, overt live facial recognition, with the law's safeguards built in."""

__version__ = "0.1.0"
