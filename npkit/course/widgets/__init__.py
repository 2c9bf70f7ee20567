"""ipywidgets components the training modules compose. They only present: every outcome,
reason and answer key comes from npkit's law modules, case files or training logic.

Everything a case file or a trainee typed is escaped before it reaches an HTML widget (an HTML
widget sets innerHTML, where ``<img onerror>`` would run), and every callback re-checks its
input, since widget messages from a browser are untrusted.
"""
