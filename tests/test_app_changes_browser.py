"""The "What changed" page in a real browser (Debian's chromium via Playwright) against `streamlit run`."""

from __future__ import annotations

import pytest
from browser_helpers import BROWSER_MARKS, SHOTS, browser, streamlit_app, wait_idle
from time_helpers import write_story, write_story_catalog

from kg.store import EmbeddedStore

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("changes-browser")
    store = tmp / "store"
    with EmbeddedStore(store) as s:
        write_story(s)
        write_story_catalog(s, tmp)
    with streamlit_app(store, tmp / "streamlit.log") as base:
        yield base


def test_what_changed_page_shows_items_and_the_rank_chart(server):
    with browser() as (context, record):
        page = context.new_page()
        page.goto(server + "/changes")
        wait_idle(page)
        page.get_by_role("heading", name="What changed").first.wait_for(timeout=30_000)
        # default range: the last year of data (2016): Docker and CoreOS partner again after the 2015 end
        page.get_by_text("New alliances (1)").wait_for(timeout=30_000)
        assert "ecokg changes --from 2016-01-01 --to 2016-02-01" in page.inner_text("body")
        page.get_by_role("heading", name="Centrality over time").wait_for()
        page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first.wait_for(
            timeout=30_000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "05-changes.png"), full_page=True)
    assert record.left_localhost() == []
