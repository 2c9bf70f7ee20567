# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Join a workshop
#
# Your trainer puts a case's questions to the room. Type the **code on the trainer's screen**
# and a **nickname** (not your real name), then answer each question as the trainer reaches
# it. Decide on your own first: nobody else sees your answer, and the trainer sees the room's
# answers without names. You can change an answer and send it again until the trainer closes
# the question. When the trainer reveals npkit's answer, it appears here with its reasons and
# sources.

# %%
from IPython.display import display

from npkit.course.widgets.base import disclaimer
from npkit.course.widgets.workshop_trainee import TraineePage
from npkit.store.workshop.inputs import clean_join_code

page = TraineePage()
display(page.widget, disclaimer())

# %%
# A join code may be typed in lower case, with spaces or dashes.
print(clean_join_code(" k7m-2qx "))
# expect: K7M2QX

# %%
# The session code and the learner in the page's address; then follow the trainer live.
page.from_url()
