"""npkit: the non-punishment principle, case by case.

A teaching tool, not legal advice. Verify current law before relying on anything here.
"""

__version__ = "0.1.0"

DISCLAIMER = (
    "npkit is a teaching tool, not legal advice. Statutes and case law change: "
    "verify the current law of any jurisdiction before relying on an outcome shown here."
)
