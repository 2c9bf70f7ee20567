# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Run a workshop
#
# A live poll on a case's questions, for a room with a projector.
#
# 1. **Start.** Choose a case and a title, and press *Start a session*. Put the large **join
#    code** on the projector. Trainees open *Join a workshop* on the course's start page, type
#    the code and a nickname.
# 2. **Keep the trainer link private.** It opens this session again (after a reload, or on
#    another day) and controls it. Copy it or bookmark the link itself; do not show it on
#    the projector.
# 3. **Ask, then reveal.** The chart fills as answers arrive, with counts in words as well as
#    bars. *Lock answers* when the room has decided (the store then refuses late answers),
#    *Reveal npkit's answer* to show the answer, its reasons and sources here and on every
#    trainee's screen, and *Next* to move everyone on.
# 4. **Afterwards.** *Prepare downloads* gives the results as a CSV file and a one-page
#    summary for your report; *Delete this session* removes it and every answer.
#
# Answers are shown without names. Free-text answers are shown exactly as typed, as text.

# %%
from IPython.display import display

from npkit.course.widgets.base import disclaimer
from npkit.course.widgets.workshop_trainer import TrainerPage, rehearsal

page = TrainerPage()
display(page.widget, disclaimer())

# %%
# A dry run in a throwaway store: a session on Jane's case, three trainees answer the first
# question (two say duress fails, one says it succeeds), the trainer locks it, a fourth
# trainee's late answer is refused, the trainer reveals npkit's answer and moves on, then
# deletes the session.
print(rehearsal("jane", ["fails", "fails", "succeeds"]))
# expect: joined 4, answered 3
# expect: counts: succeeds 1; fails 2
# expect: late answer refused after the lock: True
# expect: trainee sees npkit's answer after the reveal: True
# expect: trainee follows the trainer to the next question: True
# expect: deleted: True

# %%
# Keeps the chart live. The trainer link's secret reaches this kernel from the page's script
# (it follows # in the link, so no server sees it), and the session opens then.
page.from_url()
