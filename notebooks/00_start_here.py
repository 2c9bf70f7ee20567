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
from npkit.course.training.modules import MODULES
from npkit.course.widgets import ui
from npkit.course.widgets.base import disclaimer, module_header

header = module_header(0)
display(header, disclaimer())

# %% [markdown]
# ## Who this is for
#
# This course is for prosecutors, police officers, judges, defence lawyers and law students.
# You meet people charged with crimes they were made to commit while they were trafficked.
# Above all, you meet the thousands forced to run online scams in compounds in Southeast Asia.
# When they come home, many are charged with fraud and money laundering.
#
# The course asks one question again and again: *should this person be punished?* It shows
# why the general defence of **duress** rarely answers it for trafficking victims, and what
# the **non-punishment principle** does instead.

# %% [markdown]
# ## How to use it
#
# - **On your own:** take the modules in order. Each one asks you to decide first, then shows
#   npkit's analysis with its reasons and sources. Nothing you do needs any code.
# - **In a workshop:** the trainer leads modules 1–3 and 6 with the room and uses the
#   scenario lab (module 5) live. The trainer's guide that comes with npkit (docs/facilitator.md)
#   has plans for 90 minutes and for half a day.
# - **In class:** set module 7 as an exercise; every answer comes with feedback and a source.

# %%
display(ui.html_widget("catalogue.html.j2", modules=MODULES))

# %% [markdown]
# ## Where the law comes from
#
# npkit paraphrases three documents and cites them on every finding. The first is
# Fitzgerald, *Protecting Forced Offenders* (Thai Legal Studies, 2024). The second is the
# regional study of non-punishment law and practice in the ASEAN Member States. The third is
# an ALSA 2025 abstract that proposes a "Dual-Factor" model. Where a source gives no test and
# npkit fills the gap, the result is marked **npkit's reading**. Law that none of the three
# states (a statute's section number, a judgment they do not cite, the age of 18) is marked
# **from outside npkit's sources: verify before use**. Every country row says where it comes
# from, how sure npkit is and when it was last checked. The glossary (in the top bar of every
# page) explains the legal terms.

# %%
print(len(MODULES), "modules")
# expect: 8 modules

# %%
# Who is signed in; keeps the learner in the links to other modules.
bind_learner(module=0, widgets=[], header=header)
