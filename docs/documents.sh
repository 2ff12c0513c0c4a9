#!/usr/bin/env bash
# Pictures of the printed documents, for the README and for looking at them (docs/*.png).
#
#     bash docs/documents.sh
#
# Renders the bundled example meeting (meetings/) and a planned meeting made from it, in a
# temporary copy, with the council's public particulars set, then turns each document
# into a PNG the way a person would check it: the minutes' print HTML photographed by a
# headless Chromium, the notices, the meeting notice and the sign-in sheet printed to PDF
# by yiguan and rasterised by pdftoppm, and the Word minutes converted by LibreOffice.
# Needs chromium, poppler-utils, fonts-noto-cjk and LibreOffice (soffice).
set -eu
cd "$(dirname "$0")/.."
docs=$PWD/docs
yiguan=$PWD/.venv/bin/yiguan
browser=${YIGUAN_BROWSER:-$(command -v chromium || command -v chromium-browser)}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

mkdir "$scratch/meetings"
cp meetings/council.toml meetings/2022-03-08.toml "$scratch/meetings/"
export YIGUAN_DIR=$scratch/meetings YIGUAN_LANG=zh
$yiguan council set org 幸福里社区居民委员会 >/dev/null
$yiguan council set notice_place 社区居务公开栏 >/dev/null
$yiguan council set contact 0931-8888888 >/dev/null
# a meeting still to be held, for the meeting notice and the sign-in sheet
$yiguan new 四月议事会 --date 2022-04-12 --time 19:30 --place 幸福里社区活动室 \
    --host 王丽娟 --recorder 张敏 >/dev/null
$yiguan agenda add 饮水机费用 --by 刘艳 -m 2022-04-12 >/dev/null
$yiguan agenda add 五一活动安排 -m 2022-04-12 >/dev/null

page() {  # PDF → PNG of its first page, 110 dpi (A4 is 910 × 1286)
    pdftoppm -png -r 110 -singlefile "$1" "${2%.png}"
}

$yiguan minutes -m 2022-03-08 -o "$scratch/minutes.html" >/dev/null
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --no-first-run --hide-scrollbars --window-size=900,1300 \
    --screenshot="$docs/minutes.png" "file://$scratch/minutes.html" 2>/dev/null
$yiguan notice -m 2022-03-08 -o "$scratch/notice.pdf" >/dev/null
page "$scratch/notice.pdf" "$docs/notice.png"
$yiguan notice --results -m 2022-03-08 --from 2022-05-01 -o "$scratch/results.pdf" >/dev/null
page "$scratch/results.pdf" "$docs/results.png"
$yiguan announce -m 2022-04-12 --issued 2022-04-05 -o "$scratch/announce.pdf" >/dev/null
page "$scratch/announce.pdf" "$docs/announce.png"
$yiguan sign-sheet -m 2022-04-12 -o "$scratch/sign-sheet.pdf" >/dev/null
page "$scratch/sign-sheet.pdf" "$docs/sign-sheet.png"
$yiguan minutes -m 2022-03-08 -o "$scratch/minutes.docx" >/dev/null
soffice --headless --convert-to pdf --outdir "$scratch" "$scratch/minutes.docx" >/dev/null 2>&1
page "$scratch/minutes.pdf" "$docs/minutes-docx.png"
ls -1 "$docs"/minutes.png "$docs"/notice.png "$docs"/results.png "$docs"/announce.png \
    "$docs"/sign-sheet.png "$docs"/minutes-docx.png
