"""Drug Policy Atlas: drug criminalization in the United States, state by state."""

__version__ = "0.1.0"
