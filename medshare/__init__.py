"""medshare: lawful, consent-based sharing of medical-insurance data with commercial insurers."""

__version__ = "0.1.0"
