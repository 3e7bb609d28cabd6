#!/usr/bin/env bash
# Rebuilds the dashboard's code-editor bundle (CodeMirror 6) from editor.js
# into ../static/editor.bundle.js, with its licence beside it. The bundle is
# committed, so building hookbridge never needs npm: run this only after
# changing editor.js or the versions in package.json, then commit
# package-lock.json and the two generated files.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund
./node_modules/.bin/esbuild editor.js \
  --bundle --minify --format=esm --target=es2020 \
  --legal-comments=none \
  --banner:js="/*! hookbridge code editor. Bundles CodeMirror 6, Lezer, style-mod, w3c-keyname, crelt and find-cluster-break: MIT License, (C) Marijn Haverbeke and others; see editor.bundle.LICENSE.txt */" \
  --outfile=../static/editor.bundle.js
cp node_modules/@codemirror/view/LICENSE ../static/editor.bundle.LICENSE.txt
ls -l ../static/editor.bundle.js
