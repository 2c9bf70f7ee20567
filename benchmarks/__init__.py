"""npkit's benchmarks: how fast the course feels to a trainee, against Voila's own floor.

``make bench`` (``python -m benchmarks.run``) writes ``build/bench.json`` and prints a table;
see docs/performance.md. The modules:

- :mod:`benchmarks.site`: the Voila server under test (npkit's own command line, serving the
  built modules and a trivial "floor" notebook) and the signals it gives;
- :mod:`benchmarks.voila_probe`: the launcher that adds those signals to Voila's log;
- :mod:`benchmarks.pages`: what "interactive" means on each page, measured in the page;
- :mod:`benchmarks.browser`: first render, fact toggles, a room of concurrent trainees;
- :mod:`benchmarks.inprocess`: ``import npkit`` and assessing every case, in-process;
- :mod:`benchmarks.report`: the machine, the JSON, the table, docs/performance.md.
"""
