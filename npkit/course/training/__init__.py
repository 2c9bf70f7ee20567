"""Training logic the modules present: the module catalogue, scoring the element tagger and the
duress checklist, the prosecutor's decision path and the quiz. No legal rule lives here: every
answer key is read from a case file or from :func:`npkit.assess`."""
