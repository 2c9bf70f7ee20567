"""The law: facts, the legal tests, their sources and the rule registry."""
