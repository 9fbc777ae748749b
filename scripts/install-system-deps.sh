#!/usr/bin/env bash
# Debian packages PortalDesk uses for documents: qpdf (page counts, split/merge/rotate without
# loading a PDF into memory), poppler-utils (pdftoppm thumbnails and page images, pdftotext word
# boxes) and Tesseract with its Dutch and English models (OCR of scans and photos; its orientation
# model comes with tesseract-ocr). Installs only what is missing; called by `npm start`, `npm test`
# and CI. Without root it only reports.
set -euo pipefail
missing=()
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
for lang in nld eng; do
  tesseract --list-langs 2>/dev/null | grep -qx "$lang" || missing+=("tesseract-ocr-$lang")
done
[ ${#missing[@]} -eq 0 ] && exit 0
bash "$(dirname "$0")/apt-install.sh" "PortalDesk" "${missing[@]}" || [ $? -eq 2 ]
