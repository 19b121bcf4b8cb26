"""TruceWatch: an evidence-linked ledger of claims, events and casualty figures from the news."""

__version__ = "0.1.0"
