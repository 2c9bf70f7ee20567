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
# ## Does consent matter?
#
# John knew the job was scamming and went willingly. Does that stop him being a victim?
# **Decide first**, then press **Show npkit's analysis**: npkit's finding, what the source
# concludes and what the case teaches appear only then.

# %%
victim_john = VictimQuestion(cases, "john")
display(victim_john.widget)

# %%
# The source's conclusion, shown after the answer: notes.yaml, concludes.victim.john (V.B.2).
print(conclusion("john", "victim"))
# expect: John: victim of trafficking: victim

# %% [markdown]
# ## A child who was told the truth
#
# Nara is sixteen. Her uncle told her the truth about the work, and nobody locked her in or
# threatened her. Is she a victim? **Decide first.**

# %%
victim_child = VictimQuestion(cases, "child")
display(victim_child.widget)

# %%
# The child rule, shown after the answer: notes.yaml, concludes.victim.child.
print(conclusion("child", "victim"))
# expect: Nara: victim of trafficking: victim

# %% [markdown]
# ## Going back
#
# Sarah was trafficked into a compound, freed in a raid, and later went back by her own choice.
# She is charged for scams she ran during her **second** stay. **Decide first**: is she a
# victim for that period?

# %%
victim_sarah = VictimQuestion(cases, "sarah")
display(victim_sarah.widget)

# %%
# The source's conclusion and the open question, shown after the answer: notes.yaml,
# concludes.victim.sarah (V.B.3) and open.sarah.
print(conclusion("sarah", "victim"))
# expect: Sarah: victim of trafficking: not victim

# %% [markdown]
# ### Discuss: was her choice free?
#
# Once you have seen npkit's analysis, ask: when Sarah went back, was anything still bending
# her choice? Think of her debts, her months in the compound, and the people who had
# trafficked her before. The sources do not all answer this the same way.

# %%
bind_learner(module=1, widgets=[tagger, victim_john, victim_child, victim_sarah],
             header=header)

# %% [markdown]
# ## Reflection
#
# 1. Which passage of Jane's story was hardest to tag, and why?
# 2. John agreed to do scam work, and Sarah agreed to go back. Do the two agreements count
#    the same way? Why, or why not?
# 3. Nara was not deceived, threatened or locked in. What would a prosecutor who looked only
#    for force or lies have missed?
# 4. In your system, who decides whether a person is a victim, and at what stage?
# 5. Sarah went back after her first time in a compound and months of debt at home. Was her
#    choice free? Who should have to prove it?
