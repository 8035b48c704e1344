"""Sinergi: the information system of an inter-agency coordination program."""

__version__ = "0.1.0"
