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
# npkit's finding under each version. It marks which conditions each version requires, and
# says whether duress succeeds. Below it are npkit's reasons with their sources. Last come the
# smallest changes to the facts that would change the result.

# %%
cases, problems = library_or_errors()
checklist = DuressChecklist(cases, "jane")
display(problems, checklist.widget)

# %% [markdown]
# ## What the source concludes
#
# **Jane** (Fitzgerald 2024, V.B.1) had no safe way out and did not expose herself to the
# risk: she was deceived. But the threats aimed at her were occasional and vague. The threats
# to her family were far from immediate. Seeing others beaten or die is not a threat aimed
# at her. A court would also likely weigh those threats as less than the large, ongoing fraud.
# Duress fails under *R v LM* and under the Malaysian test. Fitzgerald does not apply the Rome
# Statute to Jane: the Rome Statute outcome npkit shows for her is npkit's application.

# %%
print(conclusion("jane", "duress.england_wales"))
print(conclusion("jane", "duress.malaysia"))
print(conclusion("jane", "duress.rome_statute"))
# expect: Jane: duress under England & Wales (R v LM): fails
# expect: Jane: duress under Malaysia (Mohamed Yusof): fails
# expect: Jane: duress under Rome Statute art 31(1)(d) (international analogue): fails

# %% [markdown]
# **John** (V.B.2) faced direct threats and beatings when he missed his targets. He had no
# safe way out, and threats to life and body outweigh harm to property. Fitzgerald calls his
# case "mixed". Yet he chose to join a scam operation. So under *R v LM* he laid himself open
# to the compulsion, and duress fails in England & Wales.

# %%
print(conclusion("john", "duress.england_wales"))
# expect: John: duress under England & Wales (R v LM): fails

# %% [markdown]
# **Sarah** (V.B.3) went back of her own accord and faced no imminent threat: rewards, not
# threats, kept her working. Duress fails.

# %%
print(conclusion("sarah", "duress.england_wales"))
# expect: Sarah: duress under England & Wales (R v LM): fails

# %% [markdown]
# ## Why this matters
#
# Duress was built for a single moment of compulsion, not for months of control in a
# compound. It asks the victim to prove a specific, immediate threat. It shuts out anyone who
# went willingly at first. Jane and John are victims of trafficking, and duress does not
# protect them. Module 3 shows what the non-punishment principle does instead (Fitzgerald
# 2024, V.C).
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
# 2. On npkit's reading of his facts, John's imminent-threat condition is met in England &
#    Wales but not under the Malaysian test. What is the difference between the two tests?
# 3. Look at "What would have to change" for Jane. Are those changes realistic in a scam
#    compound?
# 4. Should a person who knowingly joined a scam operation, then was beaten into staying, lose
#    the defence? What does the non-punishment principle say?
# 5. Does your law have a defence of necessity? Would it help Jane where duress does not?
