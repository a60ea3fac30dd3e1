#!/usr/bin/env bash
# Installs Debian's Chromium (and a font) for the editor screenshot check (scripts/editor-check.js,
# test/e2e/editor.test.ts) — only when it is missing. Idempotent; safe to run on every CI run.
#   usage: bash scripts/install-chromium.sh
# Uses apt-get directly as root, via sudo when that works without a password, and otherwise only prints
# what to run. Always exits 0: without Chromium the editor test fails with the same instruction.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
log() { echo "[install-chromium] $*" >&2; }

if [ -x "$CHROMIUM" ]; then
  log "chromium already installed: $CHROMIUM"
  exit 0
fi

PKGS=(chromium fonts-liberation)
if ! command -v apt-get >/dev/null 2>&1; then
  log "no apt-get here; install Chromium yourself and set CHROMIUM_PATH to its binary"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  log "not root and no password-less sudo: run 'sudo apt-get update && sudo apt-get install -y --no-install-recommends ${PKGS[*]}'"
  exit 0
fi

log "installing ${PKGS[*]} with apt-get ..."
export DEBIAN_FRONTEND=noninteractive
# A failed install is reported, not fatal: the editor test then fails with its own instruction.
if "${SUDO[@]}" apt-get update -qq &&
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null &&
  [ -x /usr/bin/chromium ]; then
  log "installed: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
else
  log "could not install ${PKGS[*]} (see apt-get's output above); the editor check needs /usr/bin/chromium"
fi
exit 0
