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
from npkit.course.training.conclusions import conclusion
from npkit.course.widgets.base import disclaimer, library_or_errors, module_header
from npkit.course.widgets.duress_checklist import DuressChecklist

header = module_header(2)
display(header, disclaimer())

# %% [markdown]
# ## The four conditions
#
# Duress is the general defence prosecutors and courts reach for when a victim of
# trafficking is charged. It usually needs four things (Fitzgerald 2024, V.A):
#
# 1. **Imminent threat**: a threat of death or serious harm that is imminent, aimed at the
#    defendant or someone close enough.
# 2. **No reasonable escape**: no reasonable chance to get away or get help. The law asks for
#    reasonable conduct, not courage.
# 3. **Proportionate**: the harm threatened is at least as grave as the harm caused. Harm to
#    life or body weighs more than harm to property.
# 4. **No voluntary exposure**: the defendant did not knowingly join people who might force
#    them into crime.
#
# npkit compares three versions of the defence (Fitzgerald 2024, V.A–B.1):
#
# - **England & Wales** (common law; Fitzgerald cites *R v LM* for the threat and for
#   voluntary association): all four conditions. The sources state no English rule on
#   proportionality, so applying the general condition there is **npkit's reading**.
# - **Malaysia** (the Malaysian case Fitzgerald quotes, *Mohamed Yusof bin Haji Ahmad v PP*):
#   the person must fear *instant death* at the very time of the act. The threats must be ones
#   that could be carried out on the spot. The section number (s 94), the voluntary-exposure
#   bar and the murder exclusion are not in npkit's sources: npkit marks them "verify before
#   use".
# - **Rome Statute art 31(1)(d)**: imminent death, or continuing or imminent serious bodily
#   harm, to the person or someone else. The person must not *intend* a greater harm than the
#   one avoided. An abstract or merely likely danger is not enough (*Ongwen*). This is the
#   **international-criminal-law analogue**, shown for comparison: it is not a defence a
#   domestic court applies to a scam-fraud charge.

# %% [markdown]
# ## Exercise: condition by condition
#
# Choose Jane, John or Sarah and read the story. **Decide first**: answer each condition
# *yes* (met) or *no*. Then press **Compare with npkit**. The table sets your answers beside
# npkit's finding under each version, marks which conditions each version requires, and says
# whether duress succeeds. Below it come what the source concludes about the case, npkit's
# reasons with their sources, and the smallest changes to the facts that would change the
# result. None of it is on the page before you compare.

# %%
cases, problems = library_or_errors()
checklist = DuressChecklist(cases, "jane")
display(problems, checklist.widget)

# %%
# What the source concludes for each case is shown after "Compare with npkit" (notes.yaml,
# concludes.duress.<case>): Jane V.B.1, John V.B.2, Sarah V.B.3.
print(conclusion("jane", "duress.england_wales"))
print(conclusion("jane", "duress.malaysia"))
print(conclusion("jane", "duress.rome_statute"))
# expect: Jane: duress under England & Wales (R v LM): fails
# expect: Jane: duress under Malaysia (Mohamed Yusof): fails
# expect: Jane: duress under Rome Statute art 31(1)(d) (international analogue): fails

# %%
print(conclusion("john", "duress.england_wales"))
# expect: John: duress under England & Wales (R v LM): fails

# %%
print(conclusion("sarah", "duress.england_wales"))
# expect: Sarah: duress under England & Wales (R v LM): fails

# %% [markdown]
# ## Why this matters
#
# Duress was built for a single moment of compulsion, not for months of control in a
# compound. It asks the victim to prove a specific, immediate threat, and it shuts out anyone
# who went willingly at first. Once you have compared Jane and John, ask what that means for
# a victim of trafficking. Module 3 shows what the non-punishment principle does instead
# (Fitzgerald 2024, V.C).
#
# ### Duress has a neighbour: necessity
#
# Duress is not the only old defence behind the principle. Fitzgerald says the compulsion
# model of non-punishment (module 3) draws on two traditional defences: duress and
# **necessity** (Fitzgerald 2024, IV.B.1). She also names both when she explains why the law
# does not blame a person who had no real chance to act otherwise (III.B.2).
#
# npkit's sources name necessity but do not set out its conditions. So npkit tests duress
# only. If your law has a necessity defence, check its conditions in your own law. Ask
# whether it would fail victims for the same reasons duress does.

# %%
bind_learner(module=2, widgets=[checklist], header=header)

# %% [markdown]
# ## Reflection
#
# 1. Which condition did you find hardest to decide for Jane, and what fact decided it?
# 2. Compare John's imminent-threat row under England & Wales and under the Malaysian test.
#    What is the difference between the two tests?
# 3. Look at "What would have to change" for Jane. Are those changes realistic in a scam
#    compound?
# 4. Should a person who knowingly joined a scam operation, then was beaten into staying, lose
#    the defence? What does the non-punishment principle say?
# 5. Does your law have a defence of necessity? Would it help Jane where duress does not?
