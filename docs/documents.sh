#!/usr/bin/env bash
# Pictures of the printed documents, for the README and for looking at them (docs/*.png).
#
#     bash docs/documents.sh
#
# Renders the bundled example meeting (meetings/) and a planned meeting made from it, in a
# temporary copy, with the council's public particulars set, then turns each document
# into a PNG the way a person would check it: the minutes' print HTML photographed by a
# headless Chromium, the notices, the meeting notice and the sign-in sheet printed to PDF
# by yiguan and rasterised by pdftoppm, and the Word minutes converted by LibreOffice;
# the notice as yiguan makes it for a phone (notice-phone.png, its first image).
# Then the pages as the office gets them (docs/pages/): the first and the last page of
# every document, printed to PDF by yiguan and as LibreOffice lays out its Word file, and
# the table of them in docs/exports.md (between its `documents.sh` marks), with the page
# counts. The planned meeting has a council of 20, two members who sent apologies and
# three guests: the sign-in sheet's case.
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
# a meeting still to be held, for the meeting notice and the sign-in sheet: a council of
# 20, two apologies sent, three guests known
$yiguan member add 欧阳晓明 >/dev/null
$yiguan member add 司马春花 >/dev/null
$yiguan new 四月议事会 --date 2022-04-12 --time 19:30 --place 幸福里社区活动室 \
    --host 王丽娟 --recorder 张敏 >/dev/null
$yiguan agenda add 饮水机费用 --by 刘艳 -m 2022-04-12 >/dev/null
$yiguan agenda add 五一活动安排 -m 2022-04-12 >/dev/null
$yiguan excuse 刘艳 --reason 出差 -m 2022-04-12 >/dev/null
$yiguan excuse 司马春花 -m 2022-04-12 >/dev/null
$yiguan sign 王丽娟 --guest --org 幸福里社区（社区书记） --at 19:10 -m 2022-04-12 >/dev/null
$yiguan sign 张敏 --guest --org 兰州爱颐社工 --at 19:10 -m 2022-04-12 >/dev/null
$yiguan sign 李婷 --guest --org 兰州爱颐社工 --at 19:12 -m 2022-04-12 >/dev/null

page() {  # PDF → PNG of its first page, 110 dpi (A4 is 910 × 1286)
    pdftoppm -png -r 110 -singlefile "$1" "${2%.png}"
}

$yiguan minutes -m 2022-03-08 -o "$scratch/minutes.html" >/dev/null
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --no-first-run --hide-scrollbars --window-size=900,1300 \
    --screenshot="$docs/minutes.png" "file://$scratch/minutes.html" 2>/dev/null
$yiguan notice -m 2022-03-08 -o "$scratch/notice.pdf" >/dev/null
page "$scratch/notice.pdf" "$docs/notice.png"
# the notice as images for a phone (--format png): its first image
mkdir "$scratch/phone"
$yiguan notice -m 2022-03-08 -o "$scratch/phone/notice.png" >/dev/null
if [ -f "$scratch/phone/notice.png" ]; then first=notice.png; else first=notice-1.png; fi
cp "$scratch/phone/$first" "$docs/notice-phone.png"

# one resolution carried out and evaluated by residents (居民评议), for the results notice
$yiguan done 2022-03-08/A3 --on 2022-03-20 >/dev/null
$yiguan evaluate 2022-03-08/R3 --satisfied 30 --basic 5 --unsatisfied 2 --date 2022-04-28 \
    --how 入户 >/dev/null
$yiguan notice --results -m 2022-03-08 --from 2022-05-01 -o "$scratch/results.pdf" >/dev/null
page "$scratch/results.pdf" "$docs/results.png"
$yiguan announce -m 2022-04-12 --issued 2022-04-05 -o "$scratch/announce.pdf" >/dev/null
page "$scratch/announce.pdf" "$docs/announce.png"
$yiguan sign-sheet -m 2022-04-12 -o "$scratch/sign-sheet.pdf" >/dev/null
page "$scratch/sign-sheet.pdf" "$docs/sign-sheet.png"
$yiguan minutes -m 2022-03-08 -o "$scratch/minutes.docx" >/dev/null
word_pdf() {  # .docx → .pdf beside it, as LibreOffice lays it out (a profile of its own)
    soffice "-env:UserInstallation=file://$scratch/lo-profile" --headless --convert-to pdf \
        --outdir "$(dirname "$1")" "$1" >/dev/null 2>&1
}
word_pdf "$scratch/minutes.docx"
page "$scratch/minutes.pdf" "$docs/minutes-docx.png"
ls -1 "$docs"/minutes.png "$docs"/notice.png "$docs"/results.png "$docs"/announce.png \
    "$docs"/sign-sheet.png "$docs"/minutes-docx.png

# --- the first and the last page of every document, PDF and Word ---------------------------
pages=$docs/pages
rm -rf "$pages"
mkdir -p "$pages" "$scratch/pdf" "$scratch/word"
count() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }
shot() {  # PDF, page number, PNG: 75 dpi in grey, readable and small (A4 is 620 × 877)
    pdftoppm -png -gray -r 75 -f "$2" -l "$2" -singlefile "$1" "${3%.png}"
}
table="| 文书 | PDF：首页 | PDF：末页 | Word（LibreOffice 排版）：首页 | Word：末页 |
|---|---|---|---|---|"
for spec in "minutes|会议记录|minutes -m 2022-03-08" "notice|决议公示|notice -m 2022-03-08" \
        "results|实施结果公示|notice --results -m 2022-03-08 --from 2022-05-01" \
        "announce|会议通知|announce -m 2022-04-12 --issued 2022-04-05" \
        "sign-sheet|签到表|sign-sheet -m 2022-04-12"; do
    IFS='|' read -r name title command <<<"$spec"
    # shellcheck disable=SC2086  # the command's words are meant to split
    $yiguan $command -o "$scratch/pdf/$name.pdf" >/dev/null
    # shellcheck disable=SC2086
    $yiguan $command -o "$scratch/word/$name.docx" >/dev/null
    word_pdf "$scratch/word/$name.docx"
    counts="PDF $(count "$scratch/pdf/$name.pdf") 页，Word $(count "$scratch/word/$name.pdf") 页"
    row="| **$title**<br>$counts |"
    for kind in pdf word; do
        file=$scratch/$kind/$name.pdf
        last=$(count "$file")
        shot "$file" 1 "$pages/$name-$kind-1.png"
        row="$row ![$title $kind 1/$last](pages/$name-$kind-1.png) |"
        if [ "$last" -gt 1 ]; then
            shot "$file" "$last" "$pages/$name-$kind-last.png"
            row="$row ![$title $kind $last/$last](pages/$name-$kind-last.png) |"
        else
            row="$row 只有一页 |"
        fi
    done
    table="$table
$row"
done
# the table into docs/exports.md, between its marks (the rest of the file as it is)
python3 - "$docs/exports.md" "$table" <<'PY'
import re, sys
path, table = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
begin, end = "<!-- documents.sh: pages -->", "<!-- /documents.sh -->"
assert begin in text and end in text, f"{path} has lost its marks {begin} … {end}"
text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: f"{begin}\n{table}\n{end}",
              text, flags=re.S)
open(path, "w", encoding="utf-8").write(text)
PY
ls -1 "$pages"
