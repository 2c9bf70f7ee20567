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
# strangers. Read how each model works (next, under *The models*), then tick the models you
# expect to protect her from the fraud charge and press **Compare with npkit**. The table and
# its counts appear only then.
#
# Each row of the table gives the outcome, the reason that decides it and its source; open
# **Full reasoning** under a row for every condition and citation. Each citation carries a
# confidence mark: *stated in the source*, *reported by the source*, **npkit's reading** where
# npkit fills a gap the sources leave, or **from outside npkit's sources: verify before use**
# for law none of the sources states.

# %% [markdown]
# ## The models
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

# %%
cases, problems = library_or_errors()
models = ModelsTable(cases, "jane")
display(problems, models.widget)

# %% [markdown]
# ### Then try John and Sarah
#
# Once you have compared Jane, switch the case to **John**, who knew the work was scamming, and
# to **Sarah**, who went back of her own accord. Guess again for each, then compare: what
# changes, and why? (Fitzgerald 2024, V.B.2, V.B.3)

# %%
# Checked against the source, never shown to learners: John's consent to scamming does not
# stop him being a victim, and but for his trafficking he would not have defrauded anyone
# (Fitzgerald 2024, V.B.2).
print(conclusion("john", "models.causation"))
# expect: John: model causation: protected

# %%
# Jane is charged with fraud, which is on no list the sources report (Thailand's covers
# immigration, false information, document, prostitution and work-permit offences), so a
# closed list leaves her unprotected however clear her trafficking (IV.A.2 and V.B.1).
print(conclusion("jane", "models.closed_list"))
# expect: Jane: model closed_list: not protected

# %%
# Under causation the scams are the very purpose of her trafficking (IV.B.2, V.B.1).
print(conclusion("jane", "models.causation"))
# expect: Jane: model causation: protected

# %%
# Rosa was ordered to beat a visitor, which is not the housework she was exploited for. On the
# directness reading of Mehak, the link is not direct enough (IV.B.2).
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
bind_learner(module=3, widgets=[models], header=header)

# %% [markdown]
# ## Reflection
#
# 1. Which model would you want in your own law, and what would it cost a victim like Jane or
#    Tomas if your choice were read narrowly?
# 2. Could a closed list protect scam-centre victims who are identified? What would it have to
#    list?
# 3. The dual-factor weighing is npkit's reading. What would a court need to turn the ALSA
#    2025 proposal into a test it could apply?
# 4. Does a directness reading, as in *Mehak*, protect the public, or the traffickers who
#    gave the order?
# 5. Should the size of the losses matter? Where in the law, if anywhere, should it count?
