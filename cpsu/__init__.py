"""CPSU budget-case builder: Cost Per Supported User, projected as the company grows."""

__version__ = "0.1.0"
