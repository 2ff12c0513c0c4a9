// The projector page: draws the state the server streams (/events), ticks the clock and
// the countdown between updates, reconnects by itself. Text only ever goes in through
// textContent: names and motions typed by the secretary are never read as HTML.
"use strict";

const WARN_SECONDS = 30;
let state = null;
let receivedAt = 0;
let lastPhase = "";
let lastShape = "";
let audio = null;

function $(id) { return document.getElementById(id); }

function setText(node, text) { if (node.textContent !== text) node.textContent = text; }

function elapsedSinceUpdate() { return (performance.now() - receivedAt) / 1000; }

function fill(stage, s) {
  for (const node of stage.querySelectorAll("[data-label]")) {
    setText(node, (s.labels || {})[node.dataset.label] || "");
  }
  const fields = {
    council: s.council, title: s.title, date: s.date, time: s.time, place: s.place,
    closed: s.closed,
    signed: s.counts ? String(s.counts.signed) : "",
    expected: s.counts ? String(s.counts.expected) : "",
    present: s.counts ? String(s.counts.present) : "",
    guests: s.counts ? String(s.counts.guests) : "",
    quorum: s.quorum ? s.quorum.text : "",
    quorum_brief: s.quorum ? s.quorum.brief : "",
  };
  for (const node of stage.querySelectorAll("[data-field]")) {
    setText(node, fields[node.dataset.field] || "");
  }
}

function list(node, entries, make) {
  node.replaceChildren(...entries.map((entry) => {
    const li = document.createElement("li");
    make(li, entry);
    return li;
  }));
}

function show(name) {
  for (const stage of document.querySelectorAll(".stage")) stage.hidden = stage.id !== name;
  document.body.dataset.stage = name;
}

function render(s) {
  state = s;
  receivedAt = performance.now();
  document.documentElement.lang = s.lang;
  if (s.stage === "broken") {
    fill($("broken"), s);
    setText($("broken-message"), s.message || "");
    show("broken");
    return;
  }
  const stage = $(s.stage);
  fill(stage, s);
  if (s.stage === "welcome") {
    list($("agenda-list"), s.agenda, (li, item) => { li.textContent = item.title; });
  } else if (s.stage === "open") {
    renderOpen(s);
  } else if (s.stage === "closed") {
    const labels = s.labels;
    setText($("resolutions-head"), s.resolutions.length ? labels.resolutions : labels.no_resolutions);
    list($("resolution-list"), s.resolutions, (li, r) => {
      const tag = document.createElement("span");
      tag.className = "r";
      tag.textContent = r.r;
      const counts = document.createElement("span");
      counts.className = "counts-line";
      counts.textContent = r.counts;
      li.append(tag, document.createTextNode(r.text), counts);
    });
    $("not-adopted").hidden = !s.not_adopted.length;
    list($("not-adopted-list"), s.not_adopted, (li, m) => {
      const tag = document.createElement("span");
      tag.className = "r";
      tag.textContent = m.outcome;
      li.append(tag, document.createTextNode(m.text));
      if (m.counts) {
        const counts = document.createElement("span");
        counts.className = "counts-line";
        counts.textContent = m.counts;
        li.append(counts);
      }
    });
  }
  show(s.stage);
  tick();
  fitAll();
}

function renderOpen(s) {
  setText($("item-title"), s.item ? s.item.n + "　" + s.item.title : "");
  list($("open-agenda"), s.agenda, (li, item) => {
    li.textContent = item.title;
    li.classList.toggle("current", !!s.item && item.n === s.item.n);
  });
  $("results").hidden = !s.results.length;
  list($("results-list"), s.results, (li, r) => {
    const tag = document.createElement("span");
    tag.className = r.adopted ? "r adopted" : "r rejected";
    tag.textContent = r.outcome;
    const counts = document.createElement("span");
    counts.className = "counts-line";
    counts.textContent = r.counts;
    li.append(tag, document.createTextNode(r.text), counts);
  });
  const quorum = $("quorum-box");
  quorum.classList.toggle("met", s.quorum.met);
  quorum.classList.toggle("unmet", !s.quorum.met);
  list($("queue-list"), s.queue, (li, name) => { li.textContent = name; });
  setText($("queue-more"), s.queue_more ? s.labels.queue_more.replace("{n}", s.queue_more) : "");
  const motion = s.motion;
  $("motion").hidden = !motion || !!s.vote;
  if (motion) {
    setText($("motion-text"), motion.text);
    setText($("motion-by"), motion.by);
    setText($("motion-second"), motion.second || s.labels.no_seconder);
    setText($("motion-rule"), motion.rule);
  }
  const vote = s.vote;
  $("vote").hidden = !vote;
  $("floor").hidden = !!vote;  // the result stays up until the next event
  if (vote) {
    const box = $("vote");
    box.classList.toggle("adopted", vote.adopted);
    box.classList.toggle("rejected", !vote.adopted);
    setText($("vote-outcome"), vote.outcome);
    setText($("vote-motion"), vote.motion);
    setText($("vote-yes"), String(vote.yes));
    setText($("vote-no"), String(vote.no));
    setText($("vote-abstain"), String(vote.abstain));
    setText($("vote-nv"), String(vote.not_voting));
    $("vote-nv-box").hidden = !vote.not_voting;
    $("vote-recused").hidden = !vote.recused;
    setText($("vote-recused"), vote.recused ? s.labels.recused.replace("{n}", vote.recused) : "");
    setText($("vote-arithmetic"), vote.arithmetic);
    setText($("vote-rule"), vote.rule);
  }
}

function two(n) { return String(n).padStart(2, "0"); }

// 1:05 while time is left (seconds rounded up), 0:00 at zero, -0:04 once over
function face(remaining) {
  if (remaining > 0) {
    const whole = Math.ceil(remaining);
    return [Math.floor(whole / 60) + ":" + two(whole % 60), whole <= WARN_SECONDS ? "warn" : "normal"];
  }
  const over = Math.floor(-remaining);
  return [(over ? "-" : "") + Math.floor(over / 60) + ":" + two(over % 60), "over"];
}

function tick() {
  if (!state || state.stage !== "open") return;
  const since = elapsedSinceUpdate();
  const clock = Math.floor(state.clock + since) % 86400;
  setText($("clock"), two(Math.floor(clock / 3600)) + ":" + two(Math.floor(clock / 60) % 60) + ":" + two(clock % 60));
  const box = $("floor");
  const floor = state.floor;
  let phase = "idle";
  if (!floor) {
    setText($("speaker"), state.labels.nobody_speaking);
    setText($("countdown"), "");
    setText($("phase"), "");
  } else {
    setText($("speaker"), floor.name);
    const elapsed = floor.elapsed + since;
    if (floor.limit > 0) {
      const [text, p] = face(floor.limit - elapsed);
      phase = p;
      setText($("countdown"), text);
      setText($("phase"), p === "over" ? state.labels.over : state.labels.left);
    } else {
      const whole = Math.max(0, Math.floor(elapsed));
      phase = "normal";
      setText($("countdown"), Math.floor(whole / 60) + ":" + two(whole % 60));
      setText($("phase"), state.labels.no_limit);
    }
  }
  const shape = $("speaker").textContent + "|" + $("countdown").textContent.length + "|" + $("phase").textContent;
  if (shape !== lastShape) {
    lastShape = shape;
    fitAll();
  }
  for (const name of ["idle", "normal", "warn", "over"]) box.classList.toggle(name, name === phase);
  box.dataset.phase = phase;
  if (state.sound && phase !== lastPhase && (phase === "warn" || phase === "over") && lastPhase !== "") {
    chime(phase === "over" ? 3 : 1);
  }
  lastPhase = phase;
}

// --sound: one tone at the warning (举牌), three at zero (响铃). Browsers allow sound
// only after someone clicked the page once; the chime is quiet until then.
function chime(times) {
  try {
    audio = audio || new AudioContext();
    for (let n = 0; n < times; n += 1) {
      const start = audio.currentTime + n * 0.35;
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.3, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.3);
      tone.connect(gain).connect(audio.destination);
      tone.start(start);
      tone.stop(start + 0.3);
    }
  } catch (error) {
    // no audio device: the colours still say it
  }
}

// Nothing is ever cut off and the page never scrolls: long motions shrink first, within
// their box; if anything still does not fit (a long title wrapping onto more lines, a
// long name), the whole page shrinks, a few percent at a time (every size is in rem).
// A phone (the narrow layout) scrolls instead, and keeps its sizes.
const PHONE = window.matchMedia("(max-width: 600px)");

function cut(node) {
  return node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1;
}

function anythingCut() {
  const stage = document.querySelector(".stage:not([hidden])");
  if (!stage) return false;
  const width = window.innerWidth;
  const height = window.innerHeight;
  for (const node of [stage, ...stage.querySelectorAll("*")]) {
    if (node.closest("svg") || node.getClientRects().length === 0) continue;
    const box = node.getBoundingClientRect();
    if (box.right > width + 1 || box.bottom > height + 1 || box.left < -1 || box.top < -1) return true;
    if (cut(node)) return true;
  }
  return false;
}

function fitBoxes() {
  for (const node of document.querySelectorAll(".fit")) {
    node.style.fontSize = "";
    if (node.getClientRects().length === 0) continue;
    let size = parseFloat(getComputedStyle(node).fontSize);
    const least = size * 0.45;
    while (cut(node) && size > least) {
      size *= 0.92;
      node.style.fontSize = size + "px";
    }
  }
}

function fitAll() {
  const root = document.documentElement;
  root.style.fontSize = "";
  if (PHONE.matches) {
    for (const node of document.querySelectorAll(".fit")) node.style.fontSize = "";
    return;
  }
  let size = parseFloat(getComputedStyle(root).fontSize);
  const least = size * 0.3;
  fitBoxes();
  while (anythingCut() && size > least) {
    size *= 0.94;
    root.style.fontSize = size + "px";
    fitBoxes();
  }
}

function connect() {
  const source = new EventSource("/events");
  source.onopen = () => { $("link").hidden = true; };
  source.onmessage = (event) => { render(JSON.parse(event.data)); };
  source.onerror = () => {
    $("link").hidden = false;
    setText($("link"), "⟳");
    if (source.readyState === EventSource.CLOSED) {
      // refused (too many screens) or the server said no: try again in a while
      setTimeout(connect, 3000);
    }
  };
}

document.addEventListener("click", () => { if (audio) audio.resume(); else if (state && state.sound) audio = new AudioContext(); });
window.addEventListener("resize", fitAll);
setInterval(tick, 200);
connect();
