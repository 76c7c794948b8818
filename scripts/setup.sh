#!/usr/bin/env bash
# Sets up everything `make book` and `make test` need, on a fresh Debian machine (run as root), idempotently:
#   1. system packages (CJK fonts, chromium for the browser tests, the XeLaTeX toolchain for the PDF,
#      poppler for PDF checks, python3-venv) — each installed only if `dpkg -s` says it is missing;
#   2. the virtualenv .venv with the locked requirements and dcbook (editable) — pip runs only when
#      requirements.txt or pyproject.toml changed since the last successful install (stamp in .venv).
# Environment: DCBOOK_SKIP_APT=1 skips step 1 (e.g. no root); PYTHON=python3.11 picks the interpreter.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

APT_PACKAGES=(
  python3 python3-venv python3-pip
  fonts-noto-cjk fonts-noto-core fonts-dejavu-core
  chromium
  poppler-utils
  texlive-xetex texlive-lang-chinese texlive-latex-extra texlive-fonts-recommended latexmk
)

missing=()
if [[ "${DCBOOK_SKIP_APT:-0}" != "1" ]]; then
  for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg -s "$pkg" >/dev/null 2>&1; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]})); then
    if [[ "$(id -u)" != "0" ]]; then
      echo "setup: missing system packages: ${missing[*]}" >&2
      echo "setup: run as root (or install them yourself and set DCBOOK_SKIP_APT=1)" >&2
      exit 1
    fi
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
    fc-cache -f >/dev/null 2>&1 || true  # refresh the font cache for the new CJK fonts
  else
    echo "setup: system packages present"
  fi
fi

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "setup: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi

STAMP="$VENV/.dcbook-requirements.sha256"
want="$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [[ "$want" != "$have" ]]; then
  echo "setup: installing Python requirements into $VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -r requirements.txt -e .
  echo "$want" >"$STAMP"
else
  echo "setup: Python requirements up to date"
fi
