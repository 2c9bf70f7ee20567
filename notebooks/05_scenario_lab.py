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
from npkit.course.widgets.scenario_lab import ScenarioLab

header = module_header(5)
display(header, disclaimer())

# %% [markdown]
# ## How to use the lab
#
# 1. **Pick a case** and open "Read the story". Jane is loaded first.
# 2. **Decide first.** Before you touch anything, write down what you expect. Will duress
#    succeed for Jane if a floor boss threatens to beat her there and then? Will the
#    Malaysian test agree? Which models stop protecting her if the traffickers had not
#    ordered the scams?
# 3. **Change one fact at a time.** The line above the table says what your last change did;
#    rows marked **changed** now differ from the case file.
# 4. **Ask why.** Pick a row under "Why?" to see each condition, its reasons and its source.
#    Press "What would have to change?" for the smallest changes that would flip an outcome.
# 5. **Keep it.** If you opened the lab from the course's start page, it remembers your case
#    and your changes when you come back. "Download this scenario as a case file" saves your
#    version to share with your group or your trainer. "Reset to the case file" undoes
#    everything.
#
# Everything works by keyboard: Tab moves between controls, Space ticks a box, the arrow keys
# choose in a menu.

# %%
cases, problems = library_or_errors()
# for_page: the same lab as ScenarioLab(...), taken ready-built from the course server when it
# has one (issue 16: a room of 30 opens this page at once)
lab = ScenarioLab.for_page(cases, start="jane", problems=problems)
display(lab.widget)
# Who is signed in; keeps the learner's scenario (the case and the facts they changed) and the
# learner in the links to other modules. Here, not in a cell of its own at the end: each code
# cell costs every trainee's kernel and the server a round of messages (issue 16).
bind_learner(module=5, widgets=[lab], header=header)

# %% [markdown]
# ## Check yourself: Jane
#
# In the case file, Jane is confined, watched, stripped of her documents and now and then
# warned of "serious trouble", with a hint about her family back home. She saw violence done
# to others. Decide first, and write it down with one reason: does duress succeed for her in
# England & Wales? Then open "Why?" in the lab for the England & Wales row: it gives npkit's
# reasons, each with its source. Compare them with Fitzgerald's reading of threats like these
# (Fitzgerald 2024, V.B.1).

# %%
print(conclusion("jane", "duress.england_wales"))
# expect: Jane: duress under England & Wales (R v LM): fails

# %% [markdown]
# Now the teaching variant "Jane, changed" (pick it in the lab's case list). A floor boss
# stands over her desk and threatens to beat her senseless right there if she stops. Decide
# first: does duress now succeed in England & Wales? Does the Malaysian test that Fitzgerald
# quotes (V.B.1) agree? Then load the case, compare its two duress rows, and read "Why?" for
# each.

# %%
print(conclusion("jane_imminent", "duress.england_wales"))
print(conclusion("jane_imminent", "duress.malaysia"))
# expect: Jane: duress under England & Wales (R v LM): succeeds
# expect: Jane: duress under Malaysia (Mohamed Yusof): fails

# %% [markdown]
# ## Reflection
#
# 1. Which one fact made duress succeed for Jane? How often would a person at a scam desk be
#    able to prove a threat like that?
# 2. With that threat added, why does the Malaysian test still refuse the defence? What would
#    have to change, and is that a fair thing to ask of a victim?
# 3. Untick "The traffickers ordered the act". Which models and which states stop protecting
#    Jane, and which still do? Why (Fitzgerald 2024, IV.B)?
# 4. Load Sarah. Why does almost no single switch change her outcomes (Fitzgerald 2024, V.B.3)?
# 5. Which fact would you want your own trainees to argue about? Build that scenario, download
#    it and share it with your group.
