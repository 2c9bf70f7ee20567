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
from npkit.course.widgets.models_table import Discussion, ModelsTable, OffenceCategories

header = module_header(3)
display(header, disclaimer())

# %% [markdown]
# ## One case, every model
#
# Duress asks whether a threat of death or serious harm was about to be carried out. The
# non-punishment principle asks a different question: **how is the offence linked to the
# trafficking?** States and scholars answer it in several ways, called *models*
# (Fitzgerald 2024, IV.B; ASEAN NPP study; ALSA 2025 abstract).
#
# **Decide first.** Jane was deceived into a scam compound, locked in, and ordered to defraud
# strangers. Before you look at the table, note which models would protect her from the fraud
# charge. The models are compulsion (strict), compulsion (broad), causation, a closed list of
# offences (Thailand's), presumption and dual-factor.
#
# Then use the table: pick a case and a charge. Each row gives the outcome, the reason that
# decides it and its source. Open **Full reasoning** under a row for every condition and
# citation. Each citation carries a confidence mark. *Stated in the source* and *reported by
# the source* say how close npkit stays to a source. **npkit's reading** marks a gap in the
# sources that npkit fills. **From outside npkit's sources: verify before use** marks law
# that none of the sources states.

# %%
cases, problems = library_or_errors()
models = ModelsTable(cases, "jane")
display(problems, models.widget)

# %% [markdown]
# ## Reading the table
#
# - **Compulsion** protects only offences the person was compelled to commit. It draws on two
#   old criminal defences, duress and necessity (Fitzgerald 2024, IV.B.1). Read strictly, it
#   asks that the trafficker *coerce* the victim, as Indonesia's law does (as the ASEAN NPP
#   study reports it). Reading "coerce" as force or threats is npkit's reading. The strict
#   reading misses the quieter control of scam compounds. Read broadly, every trafficking
#   means counts (Fitzgerald 2024, IV.B.1).
# - **Causation** asks whether the offence would have happened but for the trafficking
#   (IV.B.2). Two narrower readings are shown beneath it. *Temporal proximity* covers only
#   acts done during the trafficking, and Fitzgerald rejects it. *Directness* was used by the
#   Hague Court in *Mehak* to refuse protection for violence unrelated to the exploited work.
# - A **closed list** protects only listed offences. The ASEAN NPP study names five states
#   whose provision is limited to a list (Brunei Darussalam, Lao PDR, Malaysia, Myanmar,
#   Thailand). Scam fraud is on none of the lists the sources report (IV.A.2).
# - **Presumption**: the ALSA 2025 abstract only names this model; npkit takes its content
#   from the ASEAN NPP study. The principle applies from the earliest point a person is a
#   potential victim, without waiting for formal identification. The burden of proof is on
#   the State (recommendation 19). A missing fact is not a rebuttal.
# - **Dual-factor** is proposed in the ALSA 2025 abstract without a test. The weighing you see
#   is **npkit's reading**, and every line of it says so.
# - **Duress, for contrast**: the last rows test the general defence. The Rome Statute row is
#   how international criminal law defines duress (Fitzgerald 2024, V.A). It is an
#   **analogue** for comparison, not a defence a domestic court applies to a scam-fraud charge.
#
# **Duress fails, the principle protects.** Fitzgerald finds that duress fails Jane but that
# the non-punishment principle would protect her (2024, V.B.1 and V.C). Model by model, the
# table is npkit's application of that conclusion. Most models protect her; strict
# compulsion and the closed list do not. Now switch the case to **John**, who knew the work
# was scamming. Then switch to **Sarah**, who went back of her own accord. What changes, and
# why? (V.B.2, V.B.3)

# %% [markdown]
# ### Check your reading
#
# Answer each question from the table above. Then open the answer to check your reading.
#
# **John agreed to scam work. Does causation protect him?**
#
# <details><summary>Answer for John under causation</summary>
#
# Yes. His consent to scamming does not stop him being a victim. But for his trafficking, he
# would not have defrauded anyone (Fitzgerald 2024, V.B.2).
#
# </details>

# %%
print(conclusion("john", "models.causation"))
# expect: John: model causation: protected

# %% [markdown]
# **Jane is charged with fraud. Does a closed list of offences protect her?**
#
# <details><summary>Answer for Jane under a closed list</summary>
#
# No. Fraud is on no list the sources report. Thailand's list, for example, covers
# immigration, false information, document, prostitution and work-permit offences. So a
# closed list leaves her unprotected, however clear her trafficking is (Fitzgerald 2024,
# IV.A.2 and V.B.1).
#
# </details>

# %%
print(conclusion("jane", "models.closed_list"))
# expect: Jane: model closed_list: not protected

# %% [markdown]
# **Does causation protect Jane?**
#
# <details><summary>Answer for Jane under causation</summary>
#
# Yes. The scams are the very purpose of her trafficking (IV.B.2, V.B.1).
#
# </details>

# %%
print(conclusion("jane", "models.causation"))
# expect: Jane: model causation: protected

# %% [markdown]
# **Rosa was ordered to beat a visitor. That is not the housework she was exploited for. Does
# the directness reading of causation protect her?**
#
# <details><summary>Answer for Rosa under directness</summary>
#
# No. On the directness reading of *Mehak*, the link between her trafficking and the beating
# is not direct enough (IV.B.2).
#
# </details>

# %%
print(conclusion("mehak_like", "models.causation_direct"))
# expect: Rosa: model causation_direct: not protected

# %% [markdown]
# ## Which offences? Status, purpose, secondary
#
# Fitzgerald sorts the offences victims are charged with into three groups (2024, IV.C):
#
# - **status** offences arise from being there: entering, staying, working or travelling
#   without the right papers (Lina overstayed her visa);
# - **purpose** offences are what the person was trafficked to do (Jane's scams);
# - **secondary** offences are committed to escape, survive or cope (Tomas hit a guard on
#   his way out).
#
# Rosa's offence fits none of them: violence her exploiters ordered, unrelated to her work.
#
# **Decide first:** which models protect Tomas? Which protect Rosa? Then reveal the table.

# %%
display(OffenceCategories(cases).widget)

# %% [markdown]
# Which models leave out one of the three categories, and which protect all of them?
# Fitzgerald argues that the three share one feature: none of these offences would have
# happened but for the trafficking (IV.C). Which model fits that argument best?

# %%
display(Discussion().widget)

# %%
# Who is signed in; keeps the learner in the links to other modules.
bind_learner(module=3, widgets=[], header=header)

# %% [markdown]
# ## Reflection
#
# 1. Which model would you want in your own law, and what would it cost a victim like Jane or
#    Tomas if your choice were read narrowly?
# 2. Why does a closed list fail scam-centre victims even when they are identified?
# 3. The dual-factor weighing is npkit's reading. What would a court need to turn the ALSA
#    2025 proposal into a test it could apply?
# 4. Does a directness reading, as in *Mehak*, protect the public, or the traffickers who
#    gave the order?
# 5. Should the size of the losses matter? Where in the law, if anywhere, should it count?
