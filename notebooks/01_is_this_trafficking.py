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
from npkit.course.widgets.tagger import ElementTagger, VictimQuestion

header = module_header(1)
display(header, disclaimer())

# %% [markdown]
# ## Three elements
#
# Under the Palermo Protocol (art 3) and ACTIP (art 2), an adult is a victim of trafficking
# when three elements come together (Fitzgerald 2024, II.B):
#
# - an **act**: recruiting, transporting, transferring, harbouring or receiving the person;
# - a **means**: threats or force, other coercion, abduction, fraud, deception, abuse of power
#   or of a position of vulnerability, or payments to someone who controls the person;
# - a **purpose** of exploitation: forced labour, servitude, slavery, sexual exploitation,
#   organ removal and more. The list is open, so **forced criminality** (being made to commit
#   crimes for the exploiters' gain) counts.
#
# One of each is enough, and means can appear at any stage, from recruitment to the compound.

# %% [markdown]
# ## Exercise: tag the elements
#
# Pick a case (Jane is first). Go through the story passage by passage. Tick every element
# the passage shows. Use **Tab** and **Space** if you prefer the keyboard. Then press **Check
# my tags**. The feedback names your right and wrong tags and counts what you missed. Press
# **Show the answer** to see every element the case file marks.

# %%
cases, problems = library_or_errors()
tagger = ElementTagger(cases, "jane")
display(problems, tagger.widget)

# %% [markdown]
# ## When consent does not matter
#
# John knew the job was scamming and went willingly. Does that stop him being a victim?
# **Decide first**, then open npkit's analysis.

# %%
victim_john = VictimQuestion(cases, "john")
display(victim_john.widget)

# %% [markdown]
# Once any means is used, the person's consent to the exploitation is irrelevant: nobody can
# agree to be trafficked. John's friend exploited his unemployment, and John was deceived
# about the conditions and his freedom to leave, then beaten and locked up. Knowing the work
# was crime does not undo that (Fitzgerald 2024, V.B.2).

# %%
print(conclusion("john", "victim"))
# expect: John: victim of trafficking: victim

# %% [markdown]
# ## The child rule
#
# Nara is sixteen. Her uncle told her the truth about the work, and nobody locked her in or
# threatened her. Is she a victim? **Decide first.**

# %%
victim_child = VictimQuestion(cases, "child")
display(victim_child.widget)

# %% [markdown]
# For a child an act and a purpose are enough: no means has to be shown (ASEAN NPP study,
# Sources of the non-punishment principle: Domestic law and policy). The age limit of 18 and
# the Palermo Protocol's art 3(c)-(d) are not quoted in npkit's sources: npkit marks them
# "verify before use". Nara was recruited, moved, handed over and kept in the compound
# (acts) to run scams for its owners (purpose). In npkit's analysis, the **Means** line is met
# by her age alone. Nara is a teaching variant npkit made up to show this rule.

# %%
print(conclusion("child", "victim"))
# expect: Nara: victim of trafficking: victim

# %% [markdown]
# ## A victim once, not a victim now
#
# Sarah was trafficked into a compound, freed in a raid, and later went back by her own choice.
# She is charged for scams she ran during her **second** stay. **Decide first**: is she a
# victim for that period?

# %%
victim_sarah = VictimQuestion(cases, "sarah")
display(victim_sarah.widget)

# %% [markdown]
# Victim status is judged for the period of the offence. The first time, Sarah was deceived
# and confined: that was trafficking. The second time, she contacted the recruiters herself.
# She knew the work and the conditions. No means was used on her, and she was never punished.
# Rewards and promotion kept her working, not coercion. Fitzgerald concludes that her
# informed consent was never overcome. So for the second stay there is no means and no
# exploitation of her. She is not a victim for that stay (Fitzgerald 2024, V.B.3, drawing on
# UNODC). npkit follows that conclusion.

# %%
print(conclusion("sarah", "victim"))
# expect: Sarah: victim of trafficking: not victim

# %% [markdown]
# ### An open question, not a settled rule
#
# Fitzgerald's answer for Sarah is clear. The practitioners in the ASEAN study were less sure
# (Interpretation of the non-punishment principle: Establishing the link between the offence
# and the trafficking). They found that the point where the link to the trafficking breaks is
# **disputed**. Most held that protection should stop only when nothing still bends the
# person's choice to offend.
#
# So ask: when Sarah went back, was anything still bending her choice? Think of her debts, her
# months in the compound, and the people who had trafficked her before. npkit shows
# Fitzgerald's outcome. The debate is for you and your group.

# %%
bind_learner(module=1, widgets=[tagger, victim_john, victim_child, victim_sarah],
             header=header)

# %% [markdown]
# ## Reflection
#
# 1. Which passage of Jane's story was hardest to tag, and why?
# 2. John agreed to do scam work. Why does that not stop him being a victim, when Sarah's
#    agreement does?
# 3. Nara was not deceived, threatened or locked in. What would a prosecutor who looked only
#    for force or lies have missed?
# 4. In your system, who decides whether a person is a victim, and at what stage?
# 5. Sarah went back after her first time in a compound and months of debt at home. Was her
#    choice free? Who should have to prove it?
