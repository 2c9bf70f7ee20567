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
from npkit.course.widgets.base import disclaimer, library_or_errors, module_header
from npkit.course.widgets.decision_path import DecisionPath, WhyPunish, context_panel
from npkit.law.stages import stop_line

header = module_header(6)
display(header, disclaimer())

# %% [markdown]
# ## Six stages, six chances
#
# A person charged with a crime they were made to commit passes through up to six stages,
# and the ASEAN study groups its 26 recommendations by them: identification and
# investigation (1–5), arrest and charge (6–9), prosecution (10–15), trial and defences
# (16–20), conviction and sentencing (21–24), and after conviction (25–26).
#
# In theory the principle applies at every stage. The study's participants agreed it should
# apply **from the earliest point** a person is recognised as a *potential* victim, without
# waiting for a formal decision on victim status or a charge against a trafficker. Once
# someone is inside the system as an offender, few are diverted, and what they have already
# been through cannot be undone (ASEAN NPP study, "When the non-punishment principle applies
# in practice"; "Victim identification challenges"). Fitzgerald makes the same point for
# scam centres: victims treated as offenders are rarely redirected to protection
# (Fitzgerald 2024, IV.D).

# %%
display(context_panel())

# %% [markdown]
# ## Exercise: where should it have stopped?
#
# Pick a case: **Jane** (identified as a victim, still charged), **John** (never identified:
# treated as a willing offender) or **Sarah** (charged for her second stay). Read the story
# and where the case stands now.
#
# **Decide first**: choose the stage at which the non-punishment principle should have
# stopped the process, or "it should not stop the process". Then press **Check**. npkit
# shows its answer with reasons and sources, and each stage: whether the case reached it,
# whether it was a missed chance, and what the ASEAN study recommends there.

# %%
cases, problems = library_or_errors()
path = DecisionPath(cases, "jane")
display(problems, path.widget)

# %% [markdown]
# ## What the sources say, and npkit's application
#
# **Jane** and **John** show the signs of trafficking from the first contact (deception,
# confinement, threats; for John, beatings). Applying the study's "earliest point", npkit
# says the process should have stopped at identification. Every later stage either case
# reached (arrest and charge, prosecution, trial) was a missed chance. Jane was even
# identified as a victim and still charged; John was never identified at all (ASEAN NPP
# study; Fitzgerald 2024, V.B.1–2).
#
# **Sarah** was a victim during her first stay, but she went back of her own accord, with no
# means used and rewards rather than coercion keeping her there. For the second stay, when
# the charged fraud took place, she is not a victim (Fitzgerald 2024, V.B.3), so the
# principle does not stop this process, and the study warns against stretching it to people
# who are not victims (recommendation 20).

# %%
print(stop_line("jane"))
print(stop_line("john"))
print(stop_line("sarah"))
# expect: Jane: the principle should stop the process at: identification
# expect: John: the principle should stop the process at: identification
# expect: Sarah: the principle does not stop the process

# %% [markdown]
# ## Discussion: why punish them at all?
#
# Scam victims lose real money, and prosecutors often point to the size of the losses.
# Fitzgerald asks what punishing a victim would achieve (Fitzgerald 2024, III.B):
#
# - **A responsible agent** (Hart): punishment needs an offender who could have kept the law.
# - **Choice, capacity and character**: was it the victim's choice, did they have a fair
#   chance to act otherwise, does the act show their character?
# - **The purposes of punishment**: retribution, deterrence, incapacitation, rehabilitation.
# - **Who gains**: traffickers use victims as shields; victims who fear punishment stay
#   silent.
#
# Answer each prompt for Jane (yes, no or not sure), then press **Compare with Fitzgerald**.
# In a workshop, take a show of hands on each prompt before comparing.

# %%
why = WhyPunish("Jane")
display(why.widget)

# %%
bind_learner(module=6, widgets=[path, why], header=header)

# %% [markdown]
# ## Reflection
#
# 1. Who, at the identification stage, could have stopped Jane's case, and what would they
#    have needed to know?
# 2. John was never identified as a victim. Which of recommendations 1–5 would most likely
#    have changed that?
# 3. Sarah is not protected for her second stay. Should anything in her first stay still
#    count at sentencing?
# 4. Which purpose of punishment do you find hardest to set aside for a scam worker, and why?
# 5. In your own system, who has the discretion to stop a case at each stage?
