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
from npkit.course.widgets.asean import AseanCase, AseanTable
from npkit.course.widgets.base import disclaimer, library_or_errors, module_header

header = module_header(4)
display(header, disclaimer())

# %% [markdown]
# ## Ten states, ten answers
#
# Every ASEAN Member State is party to ACTIP. Its art 14(7) asks each state to consider not
# holding victims liable for unlawful acts directly related to their trafficking (Fitzgerald
# 2024, IV.A.2). Seven states have written a non-punishment provision into their
# anti-trafficking law. But they link the offence to the trafficking in different ways. Most
# cover only a short list of offences (ASEAN NPP study, Sources of the non-punishment
# principle: Domestic law and policy).
#
# The table below is the region's law as the sources report it. Explore it with the filters:
# choose *fraud* under "Is this offence type covered?", then try each link model and the
# "Provision" filter. Tick "Include international instruments" to add the treaties and other
# texts beyond the region. Then, under *One case in every state*, you record which states you
# expect to protect a scam-centre victim before npkit shows its answer.
#
# Every row says where it comes from, how sure npkit is (its confidence mark) and when it was
# last checked. npkit has read only its three sources, not the statutes: **verify the
# current law** before relying on any row.

# %%
display(AseanTable(instruments=False).widget)

# %% [markdown]
# ## One case in every state
#
# **Decide first:** Jane was identified as a victim and is charged with fraud (and, in npkit's
# version of her story, money laundering). Which states protect her? Tick them below, then
# press **Compare with npkit**: the outcomes and the counts appear only then. Afterwards pick
# another case or charge and guess again; open **Full reasoning** under any row to see the
# coverage test and the link model applied.

# %%
cases, problems = library_or_errors()
in_every_state = AseanCase(cases, "jane")
display(problems, in_every_state.widget)

# %% [markdown]
# ### Where protection is discretionary, and why
#
# Some texts do not decide the outcome themselves; they leave it to an official. **Thailand**'s
# s 41 shields victims only from a closed list of offences (immigration, false information,
# documents, prostitution, working without a permit), and even for those a prosecution can go
# ahead with the Minister of Justice's written permission (Fitzgerald 2024, IV.A.2; ASEAN NPP
# study). Try Lina, charged only with overstaying, in the exercise above: what does her outcome
# in Thailand turn on? **ACTIP art 14(7)** obliges states only to
# *consider* not holding victims liable, subject to their own law and "in appropriate cases";
# Fitzgerald reads this flexibility as going to *how* a state gives effect to the principle,
# not *whether* it does, and "not holding" liable as ruling out mere mitigation of sentence
# (IV.A.2). Where a state has no provision at all (Cambodia, Singapore, Viet Nam), everything
# rests on decisions not to charge or prosecute, and the study found few cases anywhere in
# the region where a statutory provision was actually invoked.

# %% [markdown]
# ### Thailand's second route: forced labour
#
# Thailand's s 41 list does not reach fraud. But the sources point to a second route. Thai law
# has a closed list of exploitative purposes, and forced criminality is not on it. Thai
# authorities have instead treated scam-centre cases as **forced labour**, under s 6/1 of the
# Anti-TIP Act (Fitzgerald 2024, II.B.2).
#
# Thailand and Malaysia have also ratified the ILO's 2014 Protocol to the Forced Labour
# Convention. Its art 4(2) covers victims compelled to commit unlawful acts as a direct result
# of forced labour. Fitzgerald says this matters most where scam cases are already treated as
# forced labour, as in Thailand (IV.A.2).
#
# The two sources describe art 4(2) differently. Fitzgerald calls it a requirement not to
# prosecute or penalise. The ASEAN study says it *entitles* the authorities not to prosecute
# (Sources of the non-punishment principle: International law and policy). npkit follows the
# study and shows a discretion. Find the ILO Protocol row in the reference table (under *Ten
# states, ten answers*, with the international instruments included). Check the Protocol's
# own text before you rely on it.
#
# ### Punishment is more than a prison sentence
#
# ACTIP asks states to consider not holding victims liable **criminally or administratively**
# (art 14(7), as both sources report it). Fitzgerald reads its "unlawful acts" as reaching
# beyond crimes (IV.A.2). So a fine, immigration detention or removal can punish a victim too.
#
# Detention has been part of the principle from the start. While the Palermo Protocol was
# being negotiated, states were urged not to detain or prosecute trafficked persons for status
# offences. The OHCHR Principles of 2002 say victims should not be detained, charged or
# prosecuted for illegal entry or stay. The same goes for unlawful acts that flow directly
# from their trafficking (Fitzgerald 2024, IV.A.1). Fitzgerald describes the principle as
# protecting against detention, prosecution and punishment alike (III).
#
# In practice many returnees are charged with immigration offences (II.A.3). The ASEAN study
# found victims treated as irregular migrants and deported (Victim identification challenges).
# Fitzgerald reports justice systems set up to prosecute, punish and deport, without asking
# how the offence links to the exploitation (IV.D).

# %%
# Checked against the sources, never shown to learners: fraud is not on Thailand's list, so
# even an identified victim is not protected there (Fitzgerald 2024, IV.A.2).
print(conclusion("jane", "jurisdictions.TH"))
# expect: Jane: TH: not protected

# %%
# Malaysia follows the causation model, but only for immigration and document offences (ASEAN
# NPP study).
print(conclusion("jane", "jurisdictions.MY"))
# expect: Jane: MY: not protected

# %%
# The Philippines covers any offence directly related to the trafficking, and acts done on the
# trafficker's order (RA 9208 s 17, as reported in Fitzgerald 2024, IV.A.2).
print(conclusion("jane", "jurisdictions.PH"))
# expect: Jane: PH: protected

# %%
# Lina's overstay is on Thailand's list, but the Minister of Justice may still permit her
# prosecution in writing (IV.A.2).
print(conclusion("status_only", "jurisdictions.TH"))
# expect: Lina: TH: discretionary

# %%
bind_learner(module=4, widgets=[in_every_state], header=header)

# %% [markdown]
# ## Reflection
#
# 1. Compare Jane's outcome in the Philippines with her outcome in Thailand, for the same
#    acts. What does the difference mean for victims moved across borders and prosecuted where
#    they land?
# 2. Which is the bigger gap in the region: states with no provision, or provisions limited
#    to a short list of offences?
# 3. Thailand leaves prosecution of a listed offence to the Minister's written permission. What
#    should guide that decision, and who should be able to challenge it?
# 4. ACTIP binds all ten states but only to "consider". Is that enough to protect a victim in
#    Cambodia, Singapore or Viet Nam?
# 5. Every row here may be out of date. Where would you check the current law in your own
#    jurisdiction?
# 6. A victim is not charged, but is held in immigration detention and then deported. Has she
#    been punished? What does ACTIP's "administratively" add?
# 7. Could a Thai prosecutor use the forced-labour route for Jane's fraud? What would they need
#    to show?
