# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %%
# Voila's floor: the least a widget page can be. The benchmarks serve it with the modules,
# from the same Voila, and divide each module's time by its time.
import ipywidgets as w

display(w.Button(description="Floor"))  # noqa: F821 - display is a builtin in a kernel
