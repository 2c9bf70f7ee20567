# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Join a workshop

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
