# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %%
from IPython.display import display

from npkit.course.binding import bind_learner
from npkit.course.training.quiz import answer_key_line, bank
from npkit.course.widgets.base import disclaimer, library_or_errors, module_header
from npkit.course.widgets.quiz import Quiz, linked_page

header = module_header(7)
display(header, disclaimer())

# %% [markdown]
# ## How it works
#
# The questions cover modules 1–6. Some are about the cases (Jane, John, Sarah and the
# teaching variants): their answers come from npkit's assessment of the case files, the same
# analysis the other modules show. The others are about the sources themselves. Every answer
# comes with a reason and a source.
#
# The quiz has one page per module. A bar says which page you are on and how many questions
# you have answered. **Next page**, **Previous page** and "Go to page" turn the pages; your
# answers on every page are kept (with a learner code, also when you come back).
#
# - **On your own:** answer a page's questions, press **Check answers**, read the feedback,
#   then **Try again** to clear that page. Each page's answers appear only after its own
#   **Check answers**; the score shows that page and, overall, every page you have checked.
# - **As a lecturer:** to set a shorter exercise on one module, send students the module 7
#   address with `&page=3` (or `?page=3`) added for module 3's questions, and so on for modules
#   1–6. The quiz opens on that page; the others stay one click away for a final check.

# %%
cases, problems = library_or_errors()
quiz = Quiz(bank(cases))
display(problems, quiz.widget)

# %% [markdown]
# ## For lecturers: the answer key
#
# Each question's answer, with why and its source, appears under the question only after
# **Check answers** on its page. To read the key before a class, press **Check answers** on
# each page without answering: every question then says "Not answered" and gives its answer.
# Students: answer first, or the key gives the answers away.

# %%
# A sample of the key, checked against the sources and never shown to learners: John joined
# the scammers knowingly, so duress fails under English law (Fitzgerald 2024, V.B.2); Sarah is
# not a victim for her second stay (V.B.3); Jane's fraud is outside Thailand's closed list of
# offences (IV.A.2); the principle should stop Jane's case at identification, the earliest
# point (ASEAN NPP study); Thailand is the state where the Minister of Justice may still permit
# the prosecution of a victim for a listed offence (IV.A.2), one of five states whose
# protection is limited to a list.
print(answer_key_line("duress-ew-john"))
print(answer_key_line("victim-sarah"))
print(answer_key_line("model-closed_list-jane"))
print(answer_key_line("stop-jane"))
print(answer_key_line("state-closed-list"))
# expect: duress-ew-john: fails
# expect: victim-sarah: not a victim
# expect: model-closed_list-jane: not protected
# expect: stop-jane: identification and investigation
# expect: state-closed-list: Thailand

# %%
binding = bind_learner(module=7, widgets=[quiz], header=header)
quiz.go(linked_page())  # a lecturer's link ending in "&page=3" opens module 3's page
display(binding)

# %% [markdown]
# ## Reflection
#
# 1. Which questions did you get wrong, and which module would you go back to?
# 2. Pick one answer whose source surprised you. Read that part of the source: does npkit's
#    paraphrase match it?
# 3. Which questions depend on npkit's own reading (the Dual-Factor model, the mapping of
#    offence types)? How would you check them against current law?
# 4. Write one question of your own, with its answer and a source, for a colleague.
