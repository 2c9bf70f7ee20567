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
from npkit.course.training.conclusions import stop_line
from npkit.course.widgets.base import disclaimer, library_or_errors, module_header
from npkit.course.widgets.decision_path import DecisionPath, WhyPunish, context_panel

header = module_header(6)
display(header, disclaimer())

# %% [markdown]
# ## Six stages, six chances
#
# A person charged with a crime they were made to commit passes through up to six stages.
# The ASEAN study groups its 26 recommendations by these stages:
#
# 1. identification and investigation (recommendations 1–5);
# 2. arrest and charge (6–9);
# 3. prosecution (10–15);
# 4. trial and defences (16–20);
# 5. conviction and sentencing (21–24);
# 6. after conviction (25–26).
#
# In theory the principle applies at every stage. The study's participants agreed it should
# apply **from the earliest point** a person is recognised as a *potential* victim. It should
# not wait for a formal decision on victim status, or for a charge against a trafficker. Once
# someone is inside the system as an offender, few are moved out of it. What they have
# already been through cannot be undone (ASEAN NPP study, "When the non-punishment principle
# applies in practice"; "Victim identification challenges"). Fitzgerald makes the same point for
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
# stopped the process, or "it should not stop the process". Then press **Check**. Only then
# does npkit show its answer with reasons and sources, what the sources conclude about the
# case, and each stage: whether the case reached it, whether it was a missed chance, and what
# the ASEAN study recommends there.

# %%
cases, problems = library_or_errors()
path = DecisionPath(cases, "jane")
display(problems, path.widget)

# %%
# Checked against the sources, never shown to learners; what the sources conclude for each
# case is shown after Check (notes.yaml, concludes.stop.<case>; ASEAN NPP study, When the
# non-punishment principle applies in practice; Fitzgerald 2024, V.B.1-3).
print(stop_line("jane"))
print(stop_line("john"))
print(stop_line("sarah"))
# expect: Jane: the principle should stop the process at: identification
# expect: John: the principle should stop the process at: identification
# expect: Sarah: the principle does not stop the process

# %% [markdown]
# ## What prosecutors still miss
#
# **Decide first.** Go back to step 2, "Exercise: where should it have stopped?", and pick
# **Ploy**, then **Vinh**. For each, choose the stage where the process should have stopped
# and press **Check**. Then read on.
#
# ### A plea deal is still punishment
#
# Ploy was offered three years in prison if she pleaded guilty. UNODC found such offers made
# to victims charged with scam offences, though the offences likely flowed from their
# trafficking (Fitzgerald 2024, IV.D). A victim afraid of a long sentence may accept.
#
# A shorter sentence does not apply the principle. Fitzgerald reads ACTIP's "not holding"
# victims liable as ruling out a mere lighter penalty (IV.A.2). The ASEAN study treats a
# reduced sentence only as a last resort, for a victim already convicted (When the
# non-punishment principle applies in practice; recommendation 22).
#
# ### Identified by one agency, charged by another
#
# NGOs told of people whom one Thai agency, the Department of Special Investigation, had
# identified as victims and let go home. The Royal Thai Police later charged them as scammers,
# although the police could have chosen not to (Fitzgerald 2024, IV.D). Ploy's story follows
# that pattern.
#
# The same gap opens between countries. The ASEAN study asks states to agree on who is a
# victim, and to recognise people identified as victims in another country (International
# cooperation challenges). Ask: whose finding should bind the prosecutor?
#
# ### Lawsuits and threats of punishment as control
#
# Traffickers use the law against their victims. They threaten victims with punishment for
# immigration or labour offences, to keep them under control. They may bring defamation or
# libel cases to silence them (ASEAN NPP study, Victim punishment in practice: Use of victim
# punishment by traffickers).
#
# Fitzgerald reports scam-centre victims facing defamation charges from their traffickers.
# Crime groups linked to real businesses can afford lawyers; their victims often cannot
# (Fitzgerald 2024, III.B.4). When officials treat victims as offenders, the traffickers'
# threats come true.
#
# ### Children in conflict with the law
#
# Children, too, have been prosecuted for what they did while trafficked, even for
# trafficking other children. Some were taken for adults and never identified as victims. The
# study therefore stresses presuming a person is a child until their age is known (ASEAN NPP
# study, Victim punishment in practice: Punishment of children).
#
# Some child victims who offend are classed as "children in conflict with the law", young
# offenders, not as victims. The study calls this contrary to their best interests. It also
# notes that the age of criminal responsibility matters, and may need raising. Vinh's story
# shows both problems.

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
# 1. Who, at the stage you chose for Jane, could have stopped her case, and what would they
#    have needed to know?
# 2. John was never identified as a victim. Which of recommendations 1–5 would most likely
#    have changed that?
# 3. Sarah was trafficked during her first stay and charged for her second. Should anything in
#    her first stay count at sentencing, whatever the outcome for the second?
# 4. Which purpose of punishment do you find hardest to set aside for a scam worker, and why?
# 5. In your own system, who has the discretion to stop a case at each stage?
# 6. A victim is offered a shorter sentence for a guilty plea. What should a defence lawyer, a
#    prosecutor and a judge each do?
# 7. One agency identifies a person as a victim; another charges her. Whose decision should
#    count, and how would the second agency even know of the first?
# 8. A fifteen-year-old recruited two younger boys for the compound. Is he a child offender or
#    a child victim? Who decides, and when?
