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
from npkit.course.widgets.quiz import Quiz

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
# - **On your own:** answer, press **Check answers**, read the feedback, then **Try again**.
# - **As a lecturer:** choose a module under "Questions from" to set a shorter exercise, or
#   leave "All modules" for a final check. Students need no code and no login.

# %%
cases, problems = library_or_errors()
quiz = Quiz(bank(cases))
display(problems, quiz.widget)

# %% [markdown]
# ## For lecturers: the answer key
#
# Each question's answer, with why and its source, appears under the question only after
# **Check answers**. To read the whole key before a class, press **Check answers** without
# answering: every question then says "Not answered" and gives its answer. Students: answer
# first, or the key gives the answers away.

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
bind_learner(module=7, widgets=[quiz], header=header)

# %% [markdown]
# ## Reflection
#
# 1. Which questions did you get wrong, and which module would you go back to?
# 2. Pick one answer whose source surprised you. Read that part of the source: does npkit's
#    paraphrase match it?
# 3. Which questions depend on npkit's own reading (the Dual-Factor model, the mapping of
#    offence types)? How would you check them against current law?
# 4. Write one question of your own, with its answer and a source, for a colleague.
