"""The languages of the course: data only, no gettext and no current language, so the law
layer's loaders may read translated text (npkit.i18n.content) without depending on which
language a page chose (.importlinter)."""

DEFAULT = "en"
PSEUDO = "en_XA"
# The languages a learner can choose, in their own names (the switch shows these).
LANGUAGES: dict[str, str] = {"en": "English", "th": "ไทย"}
