"""The app in a real browser: Debian's chromium (Playwright) against `streamlit run` on 127.0.0.1.

Opens the explorer, clicks a node and lands on its profile; records every
request any frame makes and fails on one that leaves 127.0.0.1; loads an
article full of HTML/JS/Markdown payloads and checks nothing ran (no dialog,
no ``window.__xss``, no injected element, no link to the payloads' targets).
Screenshots of every page go to tests/artifacts/screenshots/.
"""

from __future__ import annotations

import html
import importlib.util
import shutil
import sys
import time
from urllib.parse import quote, urlsplit

import pytest
from browser_helpers import BROWSER_MARKS, ROOT, SHOTS, browser, streamlit_app, wait_idle

CATALOG = """type,name,name_zh,aliases,wikidata,market,maker
Vendor,CoreOS,,CoreOS Inc.,,containers,
Vendor,Docker Inc.,Docker 公司,Docker,,containers,
Vendor,Google,谷歌,,Q95,cloud,
"""

pytestmark = BROWSER_MARKS


def _load_synth():
    spec = importlib.util.spec_from_file_location("ecokg_bench_synth_browser", ROOT / "bench" / "synth.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


synth = _load_synth()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run app.py` on a free 127.0.0.1 port against a synthetic store with the hostile article."""
    tmp = tmp_path_factory.mktemp("browser")
    store = tmp / "store"
    g = synth.write_store(store, entities=80, facts=240, seed=11)
    hub = next(e for e in g.entities if e.type == "Vendor")
    evil = synth.write_hostile(store, partner=hub)
    zh = next(e for e in g.entities if "zh" in e.labels)
    catalog = tmp / "catalog.csv"
    catalog.write_text(CATALOG, encoding="utf-8")
    with streamlit_app(store, tmp / "streamlit.log", ECOKG_CATALOG=str(catalog)) as base:
        yield {"base": base, "hub": hub, "evil": evil, "zh": zh}


@pytest.fixture(scope="module")
def browser_session(server):
    """One page for the module; its record holds every request and dialog since the first test."""
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    with browser() as (context, record):
        yield context.new_page(), record


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def explorer_frame(page):
    page.wait_for_selector("iframe", timeout=60_000)
    for _ in range(200):
        for frame in page.frames:
            if frame != page.main_frame and frame.evaluate("() => typeof window.ecoNetwork !== 'undefined'"):
                return frame
        page.wait_for_timeout(100)
    raise AssertionError("the explorer's network frame never loaded")


def wait_for_labels(page, check, timeout_s: float = 60.0) -> list[str]:
    """Node labels of the (re-)drawn network once `check(labels)` holds: a rerun replaces the frame."""
    deadline = time.time() + timeout_s
    last: list[str] = []
    while time.time() < deadline:
        for frame in page.frames:
            if frame == page.main_frame:
                continue
            try:
                if not frame.evaluate("() => window.ecoReady === true"):
                    continue
                last = frame.evaluate("() => window.ecoNetwork.body.data.nodes.get().map(n => n.label)")
            except Exception:  # noqa: BLE001 - a frame being replaced mid-poll
                continue
            if check(last):
                return last
        page.wait_for_timeout(200)
    raise AssertionError(f"network labels never matched; last seen {last[:5]}")


def no_script_ran(page, record) -> None:
    assert not record.dialogs, f"a dialog fired: {record.dialogs}"
    for frame in page.frames:
        state = frame.evaluate(
            """() => ({xss: typeof window.__xss !== 'undefined' ? window.__xss : null,
                       injected: document.querySelectorAll('#xss-injected').length,
                       evil: Array.from(document.querySelectorAll('a[href], iframe[src]'))
                               .map(e => e.getAttribute('href') || e.getAttribute('src'))
                               .filter(h => /evil\\.example|^\\s*javascript:/i.test(h)),
                       where: Array.from(document.querySelectorAll('a[href*="evil"]')).map(e => e.parentElement.outerHTML.slice(0, 600))})"""
        )
        where = state.pop("where")
        assert state == {"xss": None, "injected": 0, "evil": []}, (frame.url, state, where)


def test_explorer_click_opens_profile_and_nothing_leaves_localhost(server, browser_session):
    page, record = browser_session
    base = server["base"]

    page.goto(base + "/")
    wait_idle(page)
    page.get_by_text("Ecosystem overview").wait_for()
    shot(page, "01-overview")

    page.goto(base + "/explorer")
    wait_idle(page)
    frame = explorer_frame(page)
    frame.wait_for_function("window.ecoReady === true", timeout=60_000)
    target = frame.evaluate(
        """() => { const n = window.ecoNetwork; const ids = n.body.data.nodes.getIds();
                   const id = ids[0]; const p = n.getPositions([id])[id]; const d = n.canvasToDOM(p);
                   const r = document.getElementById('net').getBoundingClientRect();
                   return {id: id, label: n.body.data.nodes.get(id).label, x: d.x + r.left, y: d.y + r.top}; }"""
    )
    assert frame.evaluate("() => window.ecoNetwork.physics.options.enabled") is False  # drawn where it was laid out
    shot(page, "02-explorer")
    box = page.locator("iframe").first.bounding_box()
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])  # a click opens the node's panel
    frame.locator("#act-profile").click()
    page.wait_for_url("**/profile?entity=*", timeout=20_000)
    wait_idle(page)
    assert page.url.endswith("/profile?entity=" + quote(target["id"], safe=""))
    page.get_by_role("heading", name=target["label"], exact=True).first.wait_for(timeout=20_000)
    assert page.locator("h1").first.inner_text() == target["label"]
    page.locator('[data-testid="stExpander"] [data-testid="stHtml"]').first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # the other open groups draw alongside the first
    closed = [e for e in page.locator('[data-testid="stExpander"]').all()
              if e.locator('[data-testid="stHtml"]').count() == 0]
    if closed:  # groups of a big profile load when opened
        closed[0].locator("summary").first.click()
        wait_idle(page)
        closed[0].locator('[data-testid="stHtml"]').first.wait_for(timeout=20_000)
    shot(page, "03-profile")

    for name in ("centrality", "matrix", "sparql", "ingest"):
        page.goto(f"{base}/{name}")
        wait_idle(page, timeout=120_000)
        shot(page, f"04-{name}")

    assert record.left_localhost() == []
    no_script_ran(page, record)


def test_hostile_article_runs_nothing(server, browser_session, tmp_path_factory):
    page, record = browser_session
    base = server["base"]
    evil_iri = "https://w3id.org/ecokg/entity/" + server["evil"].id
    page.goto(f"{base}/profile?entity={quote(evil_iri, safe='')}")
    wait_idle(page)
    page.get_by_text("Corp").first.wait_for()
    expanders = page.locator('[data-testid="stExpander"]')
    expanders.locator('[data-testid="stHtml"]').nth(1).wait_for(timeout=30_000)
    assert expanders.count() == 2  # develops and competesWith, open: small profiles show everything
    assert expanders.locator('[data-testid="stHtml"]').count() == 2
    for summary in expanders.locator("details.eco-ev summary, .eco-ev details summary").all():
        summary.click()  # every sentence opened: still text
    shot(page, "05-hostile-profile")
    assert "<img src=x" in page.locator("h1").first.inner_text()  # shown as text
    no_script_ran(page, record)

    page.goto(f"{base}/explorer")
    wait_idle(page)
    page.locator('[data-testid="stSidebar"] input[aria-label="Search names"]').fill("Evil")
    page.keyboard.press("Enter")
    wait_idle(page)
    wait_for_labels(page, lambda labels: synth.HOSTILE_NAME in labels)
    shot(page, "06-hostile-explorer")
    no_script_ran(page, record)

    page.goto(f"{base}/ingest")
    wait_idle(page)
    page.locator('textarea[aria-label="Article text"]').fill(
        "CoreOS partnered with Google. " + synth.HOSTILE_EVIDENCE + " " + synth.HOSTILE_TITLE
    )
    page.keyboard.press("Control+Enter")
    page.get_by_role("tab", name="Upload files").click()
    upload = tmp_path_factory.mktemp("upload") / "hostile.html"
    upload.write_text(
        "<html><head><title>Hostile page</title><script>window.__xss=9</script></head><body><article>"
        "<p>CoreOS partnered with Google on containers, the companies said on Tuesday in a joint statement.</p>"
        f"<p>{html.escape(synth.HOSTILE_EVIDENCE)}</p><img src=x onerror=\"window.__xss=10\"></article></body></html>",
        encoding="utf-8",
    )
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
    page.get_by_text("hostile.html").first.wait_for(timeout=20_000)
    page.get_by_role("button", name="Extract").click()
    page.get_by_text("entities ·").nth(1).wait_for(timeout=120_000)
    wait_idle(page)
    assert page.locator('[data-testid="stHtml"] mark').count() >= 2  # displaCy highlights, in both previews
    shot(page, "07-hostile-ingest-preview")
    no_script_ran(page, record)
    assert record.left_localhost() == []


def test_chinese_labels_render(server, browser_session):
    page, record = browser_session
    zh = server["zh"]
    iri = "https://w3id.org/ecokg/entity/" + zh.id
    page.goto(f"{server['base']}/profile?entity={quote(iri, safe='')}")
    wait_idle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("中文").click()
    wait_idle(page)
    page.get_by_role("heading", name=zh.labels["zh"]).first.wait_for(timeout=30_000)
    shot(page, "08-profile-zh")
    page.goto(f"{server['base']}/explorer")  # a new session: English again until switched
    wait_idle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("中文").click()
    wait_idle(page)
    wait_for_labels(page, lambda labels: any(any("\u4e00" <= ch <= "\u9fff" for ch in lab) for lab in labels))
    shot(page, "09-explorer-zh")
    no_script_ran(page, record)


# ------------------------------------------------------------------ issue 14: navigation, find, graph workbench
def test_every_page_opens_by_its_url(server, browser_session):
    page, record = browser_session
    for path, heading in (("overview", "Ecosystem overview"), ("explorer", "Graph explorer"),
                          ("centrality", "Centrality and communities"), ("matrix", "Competition matrix"),
                          ("sparql", "SPARQL"), ("ingest", "Ingest articles")):
        page.goto(f"{server['base']}/{path}")
        wait_idle(page, timeout=120_000)
        page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=30_000)
        assert page.get_by_text("Page not found").count() == 0, path
        assert urlsplit(page.url).path == "/" + path


def test_find_enter_switches_the_profile_and_its_url_is_shareable(server, browser_session):
    page, record = browser_session
    hub = server["zh"]  # not the most-mentioned entity, which the page opens on
    hub_iri = "https://w3id.org/ecokg/entity/" + hub.id
    page.goto(f"{server['base']}/profile")
    wait_idle(page)
    first = page.locator("h1").first.inner_text()
    assert first != hub.name
    page.locator('input[aria-label="Find an entity"]').fill(hub.name)
    page.keyboard.press("Enter")  # no pick from the list
    page.wait_for_url("**/profile?entity=" + quote(hub_iri, safe=""), timeout=30_000)
    wait_idle(page)
    page.get_by_role("heading", name=hub.name, exact=True).first.wait_for(timeout=30_000)
    shared = page.url
    other = page.context.new_page()  # someone opening the shared link
    try:
        other.goto(shared)
        wait_idle(other)
        other.get_by_role("heading", name=hub.name, exact=True).first.wait_for(timeout=30_000)
    finally:
        other.close()
    # evidence: a sentence opens in full with its article's title
    item = page.locator('[data-testid="stHtml"] .eco-ev details').first
    item.wait_for(timeout=30_000)
    assert not item.locator(".sent").is_visible()
    item.locator("summary").click()
    assert item.locator(".sent").is_visible() and item.locator(".sent").inner_text().strip()
    assert item.locator(".src").inner_text().startswith("Synthetic article") or "article" in item.locator(".src").inner_text()


def _node_xy(frame, page, node_id: str) -> tuple[float, float]:
    d = frame.evaluate(
        """(id) => { const n = window.ecoNetwork; const p = n.getPositions([id])[id]; const d = n.canvasToDOM(p);
                     const r = document.getElementById('net').getBoundingClientRect();
                     return {x: d.x + r.left, y: d.y + r.top}; }""", node_id)
    box = page.locator("iframe").first.bounding_box()
    return box["x"] + d["x"], box["y"] + d["y"]


def test_explorer_find_expand_evidence_tooltip_and_export(server, browser_session, tmp_path):
    import xml.etree.ElementTree as ET

    page, record = browser_session
    page.goto(f"{server['base']}/explorer")
    wait_idle(page)
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text="Draw the top N nodes").get_by_role("slider")
    thumb.focus()
    page.keyboard.press("Home")  # 10 nodes
    page.keyboard.press("ArrowRight")  # 20: some neighbours left to expand into
    wait_for_labels(page, lambda labels: len(labels) == 20)
    wait_idle(page)
    frame = explorer_frame(page)
    frame.wait_for_function("window.ecoReady === true", timeout=60_000)

    # readable labels: none smaller than 12 px on screen, at the fitted zoom and zoomed out
    assert frame.evaluate("() => window.ecoLabelPx()") >= 11.99
    frame.evaluate("() => { window.ecoNetwork.moveTo({scale: 0.3}); window.ecoNetwork.emit('zoom', {scale: 0.3}); }")
    assert frame.evaluate("() => window.ecoLabelPx()") >= 11.99
    frame.evaluate("() => window.ecoNetwork.fit({animation: false})")

    # arrows mid-edge (clear of the labels under the nodes), on directed predicates only
    arrows = frame.evaluate(
        """() => Object.values(window.ecoNetwork.body.edges).map(e => ({
                 pred: e.id.split('|')[1], to: e.options.arrows.to.enabled, middle: e.options.arrows.middle.enabled}))""")
    assert arrows and not any(a["to"] for a in arrows)
    symmetric = {"competesWith", "partnersWith", "integratesWith"}
    assert all(a["middle"] == (a["pred"] not in symmetric) for a in arrows)
    assert any(a["middle"] for a in arrows)

    # find and highlight
    nodes = frame.evaluate("() => window.ecoNetwork.body.data.nodes.get().map(n => ({id: n.id, label: n.label}))")
    target = next(n for n in nodes if n["id"].endswith(server["hub"].id))
    frame.locator("#find").fill(target["label"])
    frame.locator("#find").press("Enter")
    assert target["id"] in frame.evaluate("() => window.ecoNetwork.getSelectedNodes()")
    assert "match" in frame.locator("#status").inner_text()
    frame.locator("#find").fill("")
    frame.locator("#find").press("Enter")
    frame.evaluate("() => window.ecoNetwork.fit({animation: false})")

    # a tooltip does not stay once the mouse has left
    x, y = _node_xy(frame, page, target["id"])
    page.mouse.move(x, y)
    frame.locator(".vis-tooltip").wait_for(state="visible", timeout=10_000)
    page.mouse.move(5, 5)  # out of the drawing, out of the frame
    page.wait_for_timeout(300)
    assert not frame.locator(".vis-tooltip").is_visible()

    # expand a node's neighbours on click; nobody else moves
    with_more = frame.evaluate("() => window.ecoVisible().nodes.map(x => x.id)")
    before = frame.evaluate("() => window.ecoNetwork.getPositions()")
    clicked = None
    for node_id in with_more:
        x, y = _node_xy(frame, page, node_id)
        page.mouse.click(x, y)
        frame.locator("#panel").wait_for(state="visible", timeout=5_000)
        if frame.locator("#act-expand").is_enabled():
            clicked = node_id
            break
    assert clicked, "no drawn node has undrawn neighbours"
    count = len(before)
    frame.locator("#act-expand").click()
    after = frame.evaluate("() => window.ecoNetwork.getPositions()")
    assert len(after) > count
    assert all(after[k] == before[k] for k in before)
    added = set(after) - set(before)
    edges = frame.evaluate("() => window.ecoNetwork.body.data.edges.get().map(e => [e.from, e.to])")
    assert all(any(clicked in e and a in e for e in edges) for a in added)  # each new node is linked to it

    # an edge's evidence on click
    frame.locator("#panel .close").click()
    frame.evaluate("() => window.ecoNetwork.fit({animation: false})")
    candidates = frame.evaluate(
        """() => { const n = window.ecoNetwork, r = document.getElementById('net').getBoundingClientRect();
                   const pos = n.getPositions(), pts = Object.values(pos).map(p => n.canvasToDOM(p)), out = [];
                   n.body.data.edges.get().forEach(e => {
                     const a = n.canvasToDOM(pos[e.from]), b = n.canvasToDOM(pos[e.to]);
                     const m = {x: a.x + (b.x - a.x) * 0.4, y: a.y + (b.y - a.y) * 0.4};
                     if (m.x < 40 || m.y < 40 || m.x > r.width - 380 || m.y > r.height - 40) return;
                     const clear = Math.min(...pts.map(p => Math.hypot(p.x - m.x, p.y - m.y)));
                     out.push({id: e.id, clear: clear, x: m.x + r.left, y: m.y + r.top}); });
                   return out.sort((u, v) => v.clear - u.clear).slice(0, 8); }""")
    box = page.locator("iframe").first.bounding_box()
    for edge in candidates:  # clear of nodes and labels; another edge may still cross there
        page.mouse.click(box["x"] + edge["x"], box["y"] + edge["y"])
        page.wait_for_timeout(200)
        if frame.locator("#panel .ev").count():
            break
    frame.locator("#panel .ev").first.wait_for(timeout=5_000)
    shown = frame.evaluate("() => window.ecoNetwork.getSelectedEdges()")
    assert len(shown) == 1
    pred = shown[0].split("|")[1]
    assert pred in frame.locator("#panel h4").inner_text()
    assert frame.locator("#panel .ev p").first.inner_text().strip()
    shot(page, "10-explorer-edge-evidence")

    # export of the current view
    visible = frame.evaluate("() => window.ecoVisible()")
    files = {}
    for button, name in (("#exp-png", "png"), ("#exp-svg", "svg"), ("#exp-graphml", "graphml"), ("#exp-gexf", "gexf")):
        with page.expect_download(timeout=20_000) as dl:
            frame.locator(button).click()
        path = tmp_path / f"view.{name}"
        dl.value.save_as(path)
        files[name] = path
    assert files["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    gml = ET.parse(files["graphml"]).getroot()
    assert len(gml.findall(".//g:node", ns)) == len(visible["nodes"])
    assert len(gml.findall(".//g:edge", ns)) == len(visible["edges"])
    gexf = ET.parse(files["gexf"]).getroot()
    assert len(gexf.findall(".//{http://gexf.net/1.3}node")) == len(visible["nodes"])
    svg = ET.parse(files["svg"]).getroot()
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}circle")) == len(visible["nodes"])

    assert record.left_localhost() == []
    no_script_ran(page, record)


def _editor_frame(page):
    for _ in range(200):
        for frame in page.frames:
            if frame != page.main_frame and "sparql_editor" in frame.url:
                try:
                    if frame.evaluate("() => typeof window.ecoEditor !== 'undefined'"):
                        return frame
                except Exception:  # noqa: BLE001 - a frame still loading
                    pass
        page.wait_for_timeout(100)
    raise AssertionError("the SPARQL editor never loaded")


def test_sparql_editor_highlights_numbers_completes_and_runs(server, browser_session):
    page, record = browser_session
    page.goto(f"{server['base']}/sparql")
    wait_idle(page)
    ed = _editor_frame(page)
    assert urlsplit(ed.url).hostname == "127.0.0.1"  # served by the app, not a CDN
    numbers = ed.locator(".CodeMirror-gutter-wrapper .CodeMirror-linenumber")
    numbers.first.wait_for(timeout=20_000)
    assert numbers.count() >= 5 and numbers.nth(1).inner_text() == "2"
    gutter = ed.evaluate("() => document.querySelector('.CodeMirror-gutters').getBoundingClientRect().width")
    first_char = ed.evaluate("() => document.querySelector('.CodeMirror-line').getBoundingClientRect().left")
    assert first_char >= gutter  # the numbers sit beside the text, not under it
    assert ed.locator(".cm-keyword").count() >= 2  # SELECT, WHERE, ... highlighted
    # completion of a predeclared prefix
    ed.evaluate("() => { const cm = window.ecoEditor; cm.setValue(''); cm.focus(); }")
    ed.locator(".CodeMirror textarea").type("SELECT ?s WHERE { ?s sk")
    ed.locator(".CodeMirror textarea").press("Control+Space")
    ed.locator(".CodeMirror-hint").first.wait_for(timeout=10_000)
    hints = ed.locator(".CodeMirror-hint").all_inner_texts()
    assert "skos:" in hints
    ed.locator(".CodeMirror textarea").press("Enter")  # takes the first hint
    assert "?s skos:" in ed.evaluate("() => window.ecoEditor.getValue()")
    # a typed query runs with Ctrl+Enter and shows rows
    ed.evaluate("() => window.ecoEditor.setValue('SELECT ?a WHERE { ?a a schema:NewsArticle } LIMIT 4')")
    ed.locator(".CodeMirror textarea").press("Control+Enter")
    page.get_by_text("4 row(s)").wait_for(timeout=30_000)
    # an error is the library's message as plain text
    ed.evaluate("() => window.ecoEditor.setValue('SELECT ?a WHERE { ?a a schema:NewsArticle ')")
    ed.locator(".CodeMirror textarea").press("Control+Enter")
    page.get_by_text("The query could not run").wait_for(timeout=30_000)
    wait_idle(page)
    code = page.locator('[data-testid="stCode"]').first
    code.wait_for(timeout=10_000)
    assert code.inner_text().strip()  # the message itself, in a plain code block
    # picking an example replaces the editor's text
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Example queries").click()
    page.get_by_role("option", name="Most-cited facts").click()
    wait_idle(page)
    ed = _editor_frame(page)
    page.wait_for_timeout(500)
    assert "COUNT(*) AS ?articles" in ed.evaluate("() => window.ecoEditor.getValue()")
    shot(page, "11-sparql-editor")
    assert record.left_localhost() == []
