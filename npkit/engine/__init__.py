"""The engine: applies the law to facts and builds the assessment tree."""
