#!/usr/bin/env bash
# Install npkit for JupyterHub single-user servers into the `python` first on PATH, from the
# repository root: deploy/jupyterhub/Dockerfile runs it in the image, `make jupyterhub-smoke`
# in build/jupyterhub-smoke/venv. The rest is Binder's set-up (binder/postBuild):
#   - npkit, editable: the modules read cases/ and the Voila template from the source folder;
#   - the modules built from their jupytext sources (notebooks/*.py -> *.ipynb);
#   - binder/configure.py: jupyter-server-proxy serves the course at <server>/npkit/ with
#     standalone Voila, the command `make dashboard` uses (kernels started per visit).
set -euo pipefail
cd "$(dirname "$0")/../.."

python -m pip install --quiet -r deploy/jupyterhub/requirements.txt -e ".[notebooks,postgres]"
python tools/build_notebooks.py
python binder/configure.py
