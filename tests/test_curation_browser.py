"""The correcting actions in a real browser: chromium against `streamlit run` on 127.0.0.1 with
ECOKG_CURATE=1 renames an entity through the profile (confirmation included); without it the
profile has no correcting box. Screenshots go to tests/artifacts/screenshots/."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from browser_helpers import BROWSER_MARKS, SHOTS, browser, streamlit_app, wait_idle
from curation_helpers import GOOG, build, iri

from kg.curation import actions
from kg.store import EmbeddedStore

pytestmark = BROWSER_MARKS


@pytest.fixture
def page():
    with browser(width=1300, height=1600) as (context, record):
        yield context.new_page()
    assert record.left_localhost() == []


def idle(page) -> None:
    wait_idle(page, settle_ms=400)


def test_rename_through_the_browser_and_absent_when_off(tmp_path, page):
    store = tmp_path / "store"
    with EmbeddedStore(store) as s:
        build(s, tmp_path / "articles")
    SHOTS.mkdir(parents=True, exist_ok=True)
    url = "/profile?entity=" + quote(iri(GOOG), safe="")

    with streamlit_app(store, tmp_path / "off.log") as base:
        page.goto(base + url)
        idle(page)
        page.get_by_role("heading", name="Google").first.wait_for()
        assert page.get_by_role("heading", name="Correct").count() == 0
        assert page.get_by_label("Why").count() == 0

    with streamlit_app(store, tmp_path / "on.log", ECOKG_CURATE="1", ECOKG_USER="browser-analyst") as base:
        page.goto(base + url)
        idle(page)
        page.get_by_role("heading", name="Correct").wait_for()
        page.get_by_label("Why").fill("the company's legal name")
        page.get_by_label("Why").press("Enter")
        idle(page)
        page.get_by_label("New name").fill("Google LLC")
        page.get_by_label("New name").press("Enter")
        idle(page)
        page.get_by_role("button", name="Rename…").click()
        idle(page)
        page.get_by_text("Confirm: rename Google to Google LLC").wait_for()
        with EmbeddedStore(store, read_only=True) as s:
            assert actions.list_corrections(s) == []  # not before the confirmation
        page.get_by_role("button", name="Confirm").click()
        idle(page)
        page.get_by_role("heading", name="Google LLC").wait_for()
        idle(page)
        page.get_by_text("rename Google to Google LLC · browser-analyst").wait_for()  # in the undo list
        page.screenshot(path=str(SHOTS / "curation-profile.png"), full_page=True)

    with EmbeddedStore(store, read_only=True) as s:
        done = actions.list_corrections(s)
    assert [(c.kind, c.name, c.who, c.why) for c in done] == [
        ("rename", "Google LLC", "browser-analyst", "the company's legal name")]
