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
# A live poll on a case's questions, for a room with a projector. Start a session below; the
# trainer panel (not for the projector) says how to run it.

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
